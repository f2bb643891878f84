"""The one place a git process starts: a plain `git` subprocess per command (gitpython's
wrapper was used before; its ~0.13 s import was the largest cost of a warm run, and the
wrapper added nothing a subprocess does not give here).

Every git failure becomes a `GitError` with one line for the user. History needs the
commits: in a shallow clone the messages name the fix (`git fetch --unshallow`, or
`fetch-depth: 0` in `actions/checkout`), never an answer from partial history.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import subprocess
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from reqkit.errors import GitError

__all__ = [
    "SHALLOW_FIX",
    "Runner",
    "Started",
    "open_runner",
]

SHALLOW_FIX = (
    "this is a shallow clone and the history is cut off; run `git fetch --unshallow` "
    "(in GitHub Actions: `fetch-depth: 0` in actions/checkout)"
)
_ENV = {
    "GIT_TERMINAL_PROMPT": "0",
    "LC_ALL": "C",
    "LANGUAGE": "C",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_OPTIONAL_LOCKS": "0",  # read-only commands must not take the index lock
}
_CONFIG = ("-c", "core.quotepath=off", "-c", "log.showSignature=false", "-c", "color.ui=false")
NULL_SHA = "0" * 40
#: One `ls-tree -z` record of a blob: "<mode> blob <sha>\t<path>\0".
_BLOB_RECORD = re.compile(rb"(?:^|\0)[0-7]+ blob ([0-9a-f]+)\t([^\0]*)")


def _scratch() -> BinaryIO:
    """An unnamed file for git's input or output: in memory where Linux gives one."""
    if hasattr(os, "memfd_create"):
        return open(os.memfd_create("reqkit-git", os.MFD_CLOEXEC), "w+b")
    import tempfile

    return tempfile.TemporaryFile()


def _given(files: contextlib.ExitStack, data: bytes | None) -> BinaryIO | int:
    """git's input: `data` in an unnamed file (closed with `files`), or nothing."""
    if data is None:
        return subprocess.DEVNULL
    given = files.enter_context(_scratch())
    given.write(data)
    given.seek(0)
    return given


def _object_size(header: bytes) -> int | None:
    """The size a `cat-file --batch` header line gives; None for a missing object."""
    parts = header.split()
    return None if len(parts) < 3 or parts[1] == b"missing" else int(parts[2])


def _follow(
    proc: subprocess.Popen[bytes], fd: int, wanted: list[str]
) -> Iterator[tuple[str, bytes]]:
    """`cat-file --batch` records read from `fd` while `proc` still writes them."""
    buf = b""
    pos = 0  # in buf
    offset = 0  # in the file: what buf ends at

    def more(need: int) -> bool:
        """At least `need` bytes in buf from pos; False when git ended short of them."""
        nonlocal buf, pos, offset
        while len(buf) - pos < need:
            chunk = os.pread(fd, max(need, 1 << 20), offset)
            if chunk:
                buf = buf[pos:] + chunk
                pos = 0
                offset += len(chunk)
            elif proc.poll() is not None and os.fstat(fd).st_size <= offset:
                return False
            else:
                time.sleep(0.0005)  # git is behind: let it write
        return True

    for sha in wanted:
        eol = buf.find(b"\n", pos)
        while eol < 0:
            if not more(len(buf) - pos + 1):
                return
            eol = buf.find(b"\n", pos)
        size = _object_size(buf[pos:eol])
        pos = eol + 1
        if size is None:
            continue
        if not more(size + 1):
            return
        yield sha, buf[pos : pos + size]
        pos += size + 1


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


def _failed(command: str, err: BinaryIO) -> GitError:
    """The error of a git command whose stderr went to the file `err`."""
    err.seek(0)
    return GitError(f"git {command}: {_first_line(err.read())}")


class Started:
    """A git command running beside this process, its output kept in memory until asked."""

    def __init__(self, args: Sequence[str], start: Callable[..., subprocess.Popen[bytes]]) -> None:
        self._files = contextlib.ExitStack()
        self._out = self._files.enter_context(_scratch())
        self._err = self._files.enter_context(_scratch())
        self._args = args
        try:
            self._proc = start(args, subprocess.DEVNULL, self._out, self._err)
        except BaseException:
            self._files.close()
            raise

    def output(self) -> bytes:
        """git's stdout once it ends; a failure raises GitError, as `Runner.run` does."""
        with self._files:
            self._proc.wait()
            if self._proc.returncode != 0:
                raise _failed(self._args[0], self._err)
            self._out.seek(0)
            return self._out.read()

    def cancel(self) -> None:
        """Stop git (its answer is not needed after all)."""
        with self._files:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()


class Runner:
    """git in one work tree; `top` is the work tree's root, paths are relative to it."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self._trees: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def _start(
        self, args: Sequence[str], stdin: BinaryIO | int, stdout: BinaryIO, stderr: BinaryIO | int
    ) -> subprocess.Popen[bytes]:
        """git with reqkit's settings, or GitError when it cannot be run at all."""
        try:
            return subprocess.Popen(
                ["git", *_CONFIG, *args],
                cwd=self.top,
                env={**os.environ, **_ENV},
                stdin=stdin,
                stdout=stdout,
                stderr=stderr,
            )
        except FileNotFoundError:
            raise GitError("cannot run git: the `git` executable was not found") from None
        except OSError as exc:
            raise GitError(f"cannot run git: {exc.strerror or exc}") from None

    def _exec(self, args: Sequence[str], input: bytes | None) -> subprocess.CompletedProcess[bytes]:
        """git's output lands in an in-memory file, read once it exits: through a pipe,
        `cat-file` and `log` write it a few kilobytes at a time and each piece cost a
        wake-up and a read here (0.18 s of CPU for the 13 MB of 29k file versions, the
        same again in git), for bytes no caller reads before git is done."""
        with contextlib.ExitStack() as files:
            out = files.enter_context(_scratch())
            with self._start(args, _given(files, input), out, subprocess.PIPE) as proc:
                try:
                    _, err = proc.communicate()
                except BaseException:
                    proc.kill()
                    raise
            out.seek(0)
            return subprocess.CompletedProcess(proc.args, proc.returncode, out.read(), err)

    def rev_parse(self, *args: str) -> str:
        """`git rev-parse ARGS`; "" on failure, as `text(..., check=False)` gives."""
        done = self._exec(["rev-parse", *args], None)
        if done.returncode != 0:
            return ""
        return done.stdout.decode("utf-8", "replace").strip()

    # --- raw ------------------------------------------------------------------------

    def run(self, *args: str, input: bytes | None = None, check: bool = True) -> bytes:
        """git's stdout as bytes; a failure raises GitError (or returns b"" if not `check`)."""
        done = self._exec(args, input)
        if done.returncode != 0:
            if not check:
                return b""
            raise GitError(f"git {args[0]}: {_first_line(done.stderr)}")
        return done.stdout

    def start(self, *args: str) -> Started:
        """git started now and left running: a long read (the whole log) overlaps with
        the work this process does before it needs the answer (`Started.output`)."""
        return Started(args, self._start)

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
        # one regular-expression pass: a loop over 10k records costs ~0.1 s
        return [
            (path.decode("utf-8", "surrogateescape"), sha.decode())
            for sha, path in _BLOB_RECORD.findall(out)
        ]

    def paths(self, commit: str, folder: str) -> list[str]:
        """Every entry under `folder` ("" for all) at `commit`, whatever its type (blobs,
        symbolic links, submodules), repo-top-relative."""
        args = ["ls-tree", "-r", "-z", "--name-only", "--full-tree", commit]
        if folder:
            args += ["--", folder.rstrip("/") + "/"]
        out = self.run(*args)
        return [p.decode("utf-8", "surrogateescape") for p in out.split(b"\0") if p]

    def blobs(self, shas: Iterable[str]) -> dict[str, bytes]:
        """The contents of many objects in one `cat-file --batch` process."""
        wanted = sorted(set(shas))
        if not wanted:
            return {}
        out = self.run("cat-file", "--batch", "--buffer", input=("\n".join(wanted) + "\n").encode())
        found: dict[str, bytes] = {}
        pos = 0
        for sha in wanted:
            eol = out.index(b"\n", pos)
            size = _object_size(out[pos:eol])
            pos = eol + 1
            if size is None:
                continue
            found[sha] = out[pos : pos + size]
            pos += size + 1
        return found

    def stream_blobs(self, shas: Iterable[str]) -> Iterator[tuple[str, bytes]]:
        """(sha, contents) of many objects, each as soon as `cat-file` has written it, so
        the caller works on one core while git unpacks on another; same answers as
        `blobs` (missing objects left out), in sha order.

        git writes into an in-memory file that is read behind it (a pipe cost a wake-up
        and a read for every object, ~3 µs of this process each)."""
        wanted = sorted(set(shas))
        if not wanted:
            return
        if not hasattr(os, "pread"):  # Windows: read them all, then hand them out
            yield from self.blobs(wanted).items()
            return
        with contextlib.ExitStack() as files:
            out, err = files.enter_context(_scratch()), files.enter_context(_scratch())
            given = _given(files, ("\n".join(wanted) + "\n").encode())
            proc = self._start(["cat-file", "--batch", "--buffer"], given, out, err)
            try:
                yield from _follow(proc, out.fileno(), wanted)
            except BaseException:  # the caller stopped early (or failed): git is not needed
                proc.kill()
                raise
            finally:
                proc.wait()
            if proc.returncode != 0:
                raise _failed("cat-file", err)

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
