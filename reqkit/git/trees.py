"""Whole trees cheaply: every file's summary at a commit from the blob cache, and what
changed between two commits or between a commit and the work tree."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from reqkit.git.log import FileChange, parse_raw
from reqkit.git.passes import summarize_many
from reqkit.git.runner import Runner
from reqkit.git.snapshot import EMPTY, BlobSummary, requirement_files
from reqkit.git.store import HistoryStore
from reqkit.loader.discover import is_requirement_name

__all__ = [
    "FileVersion",
    "blob_sha",
    "changed_files",
    "tree_versions",
    "trees_versions",
    "work_tree_bytes",
]


@dataclass(frozen=True, slots=True)
class FileVersion:
    path: str
    blob: str
    summary: BlobSummary

    @property
    def id(self) -> str:
        return self.summary[0] or self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def blob_sha(raw: bytes) -> str:
    """The id Git gives these bytes as a blob (to tell an edited work-tree file)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw, usedforsecurity=False).hexdigest()


def summaries(runner: Runner, shas: set[str], store: HistoryStore) -> dict[str, BlobSummary]:
    return store.summaries(shas, lambda missing: summarize_many(runner, missing))


def tree_versions(
    runner: Runner, commit: str, folder: str, store: HistoryStore
) -> dict[str, FileVersion]:
    """path → version of every requirement file at `commit`, parsed once per blob ever."""
    return trees_versions(runner, [commit], folder, store)[0]


def trees_versions(
    runner: Runner, commits: list[str], folder: str, store: HistoryStore
) -> list[dict[str, FileVersion]]:
    """`tree_versions` of several commits, their new file versions read in one pass."""
    trees = [requirement_files(runner, commit, folder) for commit in commits]
    known = summaries(runner, {sha for files in trees for _, sha in files}, store)
    return [
        {path: FileVersion(path, sha, known.get(sha, EMPTY)) for path, sha in files}
        for files in trees
    ]


def _wanted(path: str) -> bool:
    return is_requirement_name(path.rsplit("/", 1)[-1]) and not any(
        part.startswith(".") for part in path.split("/")
    )


def changed_files(runner: Runner, since: str, until: str | None, folder: str) -> list[FileChange]:
    """Requirement files changed from `since` to `until` (None: the work tree, untracked
    files included), renames detected. Work-tree versions have `blob=None`."""
    spec = [since] if until is None else [since, until]
    args = ["diff", "--raw", "-z", "-M", "--no-abbrev", "--no-ext-diff", "--no-color", *spec, "--"]
    if folder:
        args.append(folder.rstrip("/") + "/")
    found = [ch for ch in parse_raw(runner.run(*args)) if _wanted(ch.path)]
    if until is None:
        out = runner.run(
            "ls-files", "-z", "--others", "--exclude-standard", "--", *([folder] if folder else [])
        )
        seen = {ch.path for ch in found}
        for raw_path in out.split(b"\0"):
            path = raw_path.decode("utf-8", "surrogateescape")
            if path and path not in seen and _wanted(path):
                found.append(FileChange("A", path, None, None))
    return sorted(found, key=lambda ch: ch.path)


def work_tree_bytes(top: Path, path: str) -> bytes | None:
    """A work-tree file's bytes; None when it is gone or unreadable."""
    try:
        with open(os.path.join(top, path), "rb") as fh:
            return fh.read()
    except OSError:
        return None
