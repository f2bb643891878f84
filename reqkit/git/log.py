"""One `git log --first-parent --raw -z` pass → commits and the files each one changed.

`--raw` rather than `--name-status`: it names the blob of every new version, so file
contents are read afterwards in one `cat-file --batch` instead of one process per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reqkit.git.runner import NULL_SHA, Runner

__all__ = [
    "REVIEW_TRAILER",
    "FileChange",
    "LogCommit",
    "log_args",
    "parse_log",
    "parse_raw",
    "pr_number",
    "read_log",
    "read_reviews",
]

REVIEW_TRAILER = "Reqkit-Reviewed"
_FORMAT = "%x1e%H%x1f%an%x1f%ae%x1f%ct%x1f%cI%x1f%s%x1f%b%x1f"
_PR_SQUASH = re.compile(r"\(#(\d+)\)")
_PR_MERGE = re.compile(r"^Merge pull request #(\d+)")
_MR_GITLAB = re.compile(r"^See merge request \S*!(\d+)\s*$", re.MULTILINE)
_REVIEWED = re.compile(rf"^\s*{REVIEW_TRAILER}:\s*(.+?)\s*$", re.MULTILINE | re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class LogCommit:
    sha: str
    author: str
    email: str
    timestamp: int  # committer date, seconds since the epoch
    date: str  # committer date, ISO 8601 with its offset
    subject: str
    pr: int | None
    reviewed: tuple[str, ...]  # IDs a `Reqkit-Reviewed:` line names


@dataclass(frozen=True, slots=True)
class FileChange:
    kind: str  # A added, M modified, R renamed, D deleted
    path: str
    old_path: str | None
    blob: str | None  # the new version; None when deleted (or not hashed: the work tree)
    old_blob: str | None = None  # the version before; None when added


def pr_number(subject: str, body: str = "") -> int | None:
    """`Merge pull request #12 …`, `Title (#12)` (squash), or GitLab's `See merge request …!12`."""
    merged = _PR_MERGE.match(subject)
    if merged:
        return int(merged.group(1))
    squashed = _PR_SQUASH.findall(subject)
    if squashed:
        return int(squashed[-1])
    gitlab = _MR_GITLAB.search(body)
    return int(gitlab.group(1)) if gitlab else None


def _reviewed(body: str) -> tuple[str, ...]:
    ids: list[str] = []
    for value in _REVIEWED.findall(body):
        ids.extend(part.strip() for part in re.split(r"[,\s]+", value) if part.strip())
    return tuple(dict.fromkeys(ids))


def _commit(header: bytes) -> LogCommit:
    sha, author, email, ts, date, subject, body = (
        header.decode("utf-8", "replace").split("\x1f", 6) + [""] * 7
    )[:7]
    return LogCommit(
        sha.strip(),
        author,
        email,
        int(ts or 0),
        date,
        subject,
        pr_number(subject, body),
        _reviewed(body),
    )


def parse_raw(raw: bytes) -> list[FileChange]:
    """`--raw -z` records (of `git log` or `git diff`) → FileChange values."""
    return _changes(raw)


def _changes(raw: bytes, prefix: str = "") -> list[FileChange]:
    """The records of one commit, paths with `prefix` put back (`--relative` cut it)."""
    tokens = raw.split(b"\0")
    out: list[FileChange] = []
    append = out.append
    count = len(tokens)
    i = 0
    while i < count:
        meta = tokens[i].strip()
        i += 1
        if meta[:1] != b":":
            continue
        fields = meta.split()
        old_blob = fields[2].decode() if len(fields) > 2 else None
        if old_blob == NULL_SHA:
            old_blob = None
        new_blob = fields[3].decode() if len(fields) > 3 else None
        if new_blob == NULL_SHA:
            new_blob = None
        kind = fields[4][:1].decode() if len(fields) > 4 else "M"
        first = tokens[i].decode("utf-8", "surrogateescape") if i < count else ""
        i += 1
        if kind in "RC":
            second = tokens[i].decode("utf-8", "surrogateescape") if i < count else ""
            i += 1
            if kind == "C":
                append(FileChange("A", prefix + second, None, new_blob))
            else:
                source = (prefix + first if first else None) if prefix else first
                append(FileChange("R", prefix + second, source, new_blob, old_blob))
        elif kind == "D":
            append(FileChange("D", prefix + first, None, None, old_blob))
        elif kind == "A":
            append(FileChange("A", prefix + first, None, new_blob))
        else:  # M, T (type change), U: a new version of the same path
            append(FileChange("M", prefix + first, None, new_blob, old_blob))
    return out


def log_args(tip: str, folder: str, *, since: str | None = None) -> list[str]:
    """The arguments of the `git log` that `read_log` runs (`parse_log` reads its output).

    A merge counts as one change against its first parent (the moment it reached the
    branch); renames are detected (`-M`) so a moved file keeps its history. The diff is
    restricted with `--relative` rather than a pathspec: a pathspec makes git test every
    commit for the path and then diff it again, which costs twice the tree walking.
    """
    spec = f"{since}..{tip}" if since else tip
    prefix = folder.rstrip("/") + "/" if folder else ""
    args = ["log", "--first-parent", "-m", "-M", "--raw", "--no-abbrev", "-z", "--no-color"]
    args += ["--no-ext-diff", f"--format={_FORMAT}"]
    if prefix:
        args.append(f"--relative={prefix}")
    return [*args, spec, "--"]


def parse_log(out: bytes, folder: str) -> list[tuple[LogCommit, list[FileChange]]]:
    """The output of `log_args`'s command → commits and their changes, oldest first."""
    prefix = folder.rstrip("/") + "/" if folder else ""
    commits: list[tuple[LogCommit, list[FileChange]]] = []
    for chunk in out.split(b"\x1e"):
        if not chunk.strip(b"\0\n"):
            continue
        cut = chunk.rfind(b"\x1f")
        changes = _changes(chunk[cut + 1 :], prefix)
        if not changes:
            continue  # a commit that touched nothing under the folder
        commits.append((_commit(chunk[:cut]), changes))
    commits.reverse()
    return commits


def read_log(
    runner: Runner, tip: str, folder: str, *, since: str | None = None
) -> list[tuple[LogCommit, list[FileChange]]]:
    """The first-parent commits up to `tip` that changed files under `folder`, oldest first."""
    return parse_log(runner.run(*log_args(tip, folder, since=since)), folder)


def read_reviews(runner: Runner, tip: str) -> list[LogCommit]:
    """Every commit reachable from `tip` carrying a review line (branches merged in too).

    Reviews are often empty commits, which a path-limited log never shows; and on a
    merged branch they are off the first-parent chain. One extra `git log --grep`.
    """
    out = runner.run(
        "log",
        "--no-color",
        "-E",
        "-i",
        f"--grep=^[[:space:]]*{REVIEW_TRAILER}:",
        f"--format={_FORMAT}",
        tip,
    )
    found = []
    for chunk in out.split(b"\x1e"):
        if chunk.strip(b"\0\n"):
            commit = _commit(chunk[: chunk.rfind(b"\x1f")])
            if commit.reviewed:
                found.append(commit)
    found.reverse()
    return found
