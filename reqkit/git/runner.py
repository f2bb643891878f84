"""The one place a git process starts: gitpython's `git` command wrapper, imported on
first use, and a plain `git rev-parse` for resolving refs (so a warm `report`, which
only needs HEAD's sha, does not pay for importing gitpython).

Every git failure becomes a `GitError` with one line for the user. History needs the
commits: in a shallow clone the messages name the fix (`git fetch --unshallow`, or
`fetch-depth: 0` in `actions/checkout`), never an answer from partial history.
"""

from __future__ import annotations

import functools
import os
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reqkit.errors import GitError

if TYPE_CHECKING:
    from git.cmd import Git

__all__ = [
    "SHALLOW_FIX",
    "Runner",
    "open_runner",
]

SHALLOW_FIX = (
    "this is a shallow clone and the history is cut off; run `git fetch --unshallow` "
    "(in GitHub Actions: `fetch-depth: 0` in actions/checkout)"
)
_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_OPTIONAL_LOCKS": "0",  # read-only commands must not take the index lock
}
_CONFIG = ("-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "color.ui=false")
NULL_SHA = "0" * 40


def _first_line(text: str | bytes | None) -> str:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    for line in (text or "").splitlines():
        line = line.strip()
        if line.startswith("stderr:"):
            line = line[len("stderr:") :].strip().strip("'")
        if line:
            return line.removeprefix("fatal: ").removeprefix("error: ")
    return "git failed"


class Runner:
    """git in one work tree; `top` is the work tree's root, paths are relative to it."""

    def __init__(self, top: Path, git: Git | None = None) -> None:
        self.top = top
        self._made = git
        self._trees: dict[tuple[str, str], list[tuple[str, str]]] = {}

    @property
    def _git(self) -> Git:
        """gitpython's wrapper, imported on first use: a run that only resolves refs
        (a warm `report`) never pays its ~0.15 s import."""
        if self._made is None:
            try:
                from git.cmd import Git
            except ImportError as exc:  # gitpython refuses to import without git
                raise GitError(f"cannot run git: {exc}") from None
            self._made = Git(os.fspath(self.top))
        return self._made

    def rev_parse(self, *args: str) -> str:
        """`git rev-parse ARGS` started directly (no gitpython import); "" on failure,
        as `text(..., check=False)` gives."""
        try:
            done = subprocess.run(
                ["git", *_CONFIG, "rev-parse", *args],
                cwd=self.top,
                env={**os.environ, **_ENV},
                stdin=subprocess.DEVNULL,
                capture_output=True,
                check=False,
            )
        except FileNotFoundError:
            raise GitError("cannot run git: the `git` executable was not found") from None
        except OSError as exc:
            raise GitError(f"cannot run git: {exc.strerror or exc}") from None
        if done.returncode != 0:
            return ""
        return done.stdout.decode("utf-8", "replace").strip()

    # --- raw ------------------------------------------------------------------------

    def run(self, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
        """git's stdout as bytes; a failure raises GitError (or returns b"" if not `check`)."""
        from git.exc import GitCommandError, GitCommandNotFound

        command = ["git", *_CONFIG, *args]
        try:
            if input is None:
                out = self._git.execute(
                    command,
                    stdout_as_string=False,
                    strip_newline_in_stdout=False,
                    env=_ENV,
                )
                return out if isinstance(out, bytes) else b""
            proc: Any = self._git.execute(
                command, istream=subprocess.PIPE, as_process=True, env=_ENV
            )
            stdout, stderr = proc.proc.communicate(input)
            if proc.proc.returncode != 0:
                if not check:
                    return b""
                raise GitError(f"git {args[0]}: {_first_line(stderr)}")
            return bytes(stdout)
        except GitCommandNotFound:
            raise GitError("cannot run git: the `git` executable was not found") from None
        except GitCommandError as exc:
            if not check:
                return b""
            raise GitError(f"git {args[0]}: {_first_line(exc.stderr)}") from None
        except OSError as exc:
            raise GitError(f"cannot run git: {exc.strerror or exc}") from None

    def text(self, *args: str, check: bool = True) -> str:
        return self.run(*args, check=check).decode("utf-8", "replace").strip()

    # --- refs -----------------------------------------------------------------------

    @functools.cached_property
    def shallow(self) -> bool:
        return self.rev_parse("--is-shallow-repository") == "true"

    def head(self) -> str | None:
        """The commit HEAD names, or None in a repository with no commits yet."""
        out = self.rev_parse("--verify", "--quiet", "HEAD^{commit}")
        return out or None

    def resolve(self, ref: str) -> str:
        """The commit a ref names; a ref that does not resolve is a GitError naming it."""
        if ref.startswith("-"):
            raise GitError(f"'{ref}' is not a Git ref")
        out = self.rev_parse("--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
        if not out:
            hint = f"; {SHALLOW_FIX}" if self.shallow else " (fetch it first?)"
            raise GitError(f"Git ref '{ref}' does not resolve to a commit here{hint}")
        return out

    def merge_base(self, a: str, b: str) -> str:
        out = self.text("merge-base", a, b, check=False)
        if not out:
            hint = f"; {SHALLOW_FIX}" if self.shallow else ""
            raise GitError(f"no common ancestor of {a[:12]} and {b[:12]}{hint}")
        return out.split()[0]

    def require_full_history(self) -> None:
        if self.shallow:
            raise GitError(f"history is needed, but {SHALLOW_FIX}")

    def remote_url(self, name: str = "origin") -> str | None:
        return self.text("config", "--get", f"remote.{name}.url", check=False) or None

    # --- trees and blobs ------------------------------------------------------------

    def ls_tree(self, commit: str, folder: str) -> list[tuple[str, str]]:
        """(path, blob sha) of every file under `folder` ("" for all) at `commit`.

        Remembered for a full commit sha (its tree never changes): `check --base` asks
        for the same commit's tree more than once when the base has not moved.
        """
        key = (commit, folder)
        if key in self._trees:
            return list(self._trees[key])
        files = self._ls_tree(commit, folder)
        if len(commit) == 40 and all(c in "0123456789abcdef" for c in commit):
            self._trees[key] = files
        return list(files)

    def _ls_tree(self, commit: str, folder: str) -> list[tuple[str, str]]:
        args = ["ls-tree", "-r", "-z", "--full-tree", commit]
        if folder:
            args += ["--", folder.rstrip("/") + "/"]
        out = self.run(*args)
        files = []
        for record in out.split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            kind_sha = meta.split()
            if len(kind_sha) == 3 and kind_sha[1] == b"blob":
                files.append((path.decode("utf-8", "surrogateescape"), kind_sha[2].decode()))
        return files

    def blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The contents of many objects in one `cat-file --batch` process."""
        wanted = sorted(set(shas))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode())
        found: dict[str, bytes] = {}
        pos = 0
        for sha in wanted:
            eol = out.index(b"\n", pos)
            header = out[pos:eol].split()
            pos = eol + 1
            if len(header) < 3 or header[1] == b"missing":
                continue
            size = int(header[2])
            found[sha] = out[pos : pos + size]
            pos += size + 1
        return found

    def blob_ids(self, specs: Sequence[str]) -> list[str | None]:
        """The object each `rev:path` names (None when missing), in one process."""
        if not specs:
            return []
        out = self.run(
            "cat-file",
            "--batch-check=%(objectname) %(objecttype)",
            input=("\n".join(specs) + "\n").encode(),
        )
        ids: list[str | None] = []
        for line in out.decode("utf-8", "replace").splitlines():
            parts = line.split()
            ids.append(parts[0] if len(parts) == 2 and parts[1] == "blob" else None)
        return ids


def open_runner(start: Path) -> Runner | None:
    """The runner for the work tree holding `start`, or None outside Git (not an error)."""
    from reqkit.loader.discover import git_top

    top = git_top(start.resolve())
    if top is None:
        return None
    return Runner(top)
