"""The history as suspect links read it, summarising only the versions they look at.

The engine (`history.build_history`) summarises every version of every file: 30k
versions for 10k requirements and 5k commits, most of a cold engine's time after the
log. Suspect links need the whole log (when each file last changed) but the meaning only
of the files that are parents, and of the rest only the ID of each file's newest
version. `SparseHistory` answers what `History` answers to them (a differential test
holds the two equal) and summarises a version only when one of those answers needs it,
through the same per-blob cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from reqkit.git.history import Commit, invert_log, last_touch, meaning_change
from reqkit.git.log import FileChange, LogCommit
from reqkit.git.snapshot import EMPTY, BlobSummary

__all__ = ["SparseHistory"]

#: Summaries of the blobs asked (a blob git cannot give may be left out).
Summaries = Callable[[set[str]], dict[str, BlobSummary]]
_Row = tuple[Any, ...]  # (commit index, kind, path, old path, blob): `invert_log`'s rows


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


class SparseHistory:
    """`History`'s answers for suspect links, from the first-parent log of one tip."""

    def __init__(
        self,
        log: list[tuple[LogCommit, list[FileChange]]],
        reviews: list[LogCommit],
        summaries: Summaries,
        known: dict[str, BlobSummary] | None = None,
    ) -> None:
        self.commits = tuple(Commit.of(c) for c, _ in log)
        by_reviewed: dict[str, list[Commit]] = {}
        for c in reviews:
            commit = Commit.of(c)
            for rid in c.reviewed:
                by_reviewed.setdefault(rid, []).append(commit)
        self.reviews = {k: tuple(v) for k, v in sorted(by_reviewed.items())}
        self._summaries = summaries
        self._known: dict[str, BlobSummary] = dict(known or {})
        live, gone = invert_log(log)
        ids = self._ids([*live, *gone])
        self._live = self._first(live, ids[: len(live)])
        self._gone = self._first(gone, ids[len(live) :])

    @staticmethod
    def _first(items: list[tuple[str, list[_Row]]], ids: list[str]) -> dict[str, list[_Row]]:
        """ID → rows of the first file (by path) holding it, as the engine keeps them."""
        out: dict[str, list[_Row]] = {}
        for (_, rows), rid in zip(items, ids, strict=True):
            out.setdefault(rid, rows)
        return out

    def _need(self, blobs: Iterable[str]) -> None:
        missing = {b for b in blobs if b and b not in self._known}
        if missing:
            found = self._summaries(missing)
            for blob in missing:
                self._known[blob] = found.get(blob) or EMPTY

    def _ids(self, items: list[tuple[str, list[_Row]]]) -> list[str]:
        """Each file's ID as the engine names its timeline: the newest version that declares
        one (summarised newest first, a round of lookups at a time), else the file's stem."""
        timelines = [rows for _, rows in items]
        ids: list[str | None] = [None] * len(timelines)
        at = [len(rows) - 1 for rows in timelines]
        pending = list(range(len(timelines)))
        while pending:
            self._need(timelines[k][at[k]][4] for k in pending if at[k] >= 0)
            waiting: list[int] = []
            for k in pending:
                rows = timelines[k]
                while at[k] >= 0:
                    blob = rows[at[k]][4]
                    if blob and blob not in self._known:
                        waiting.append(k)  # the next round reads it
                        break
                    declared = self._known[blob][0] if blob else None
                    if declared:
                        ids[k] = str(declared)
                        break
                    at[k] -= 1
                if at[k] < 0:
                    ids[k] = _stem(items[k][0])
            pending = waiting
        return [rid or "" for rid in ids]

    def _meaning(self, row: _Row) -> str | None:
        return self._known[row[4]][3] if row[4] else None

    # --- History's answers -------------------------------------------------------------

    def last_touch(self, rid: str) -> int | None:
        rows = self._live.get(rid)
        return last_touch(rows) if rows is not None else None

    def meaning_change(self, rid: str) -> int | None:
        rows = self._live.get(rid)
        if rows is None:
            return None
        self._need(row[4] for row in rows)
        return meaning_change(rows, self._meaning)

    def paths(self, rid: str) -> list[str]:
        rows = self._live.get(rid) or self._gone.get(rid)
        return sorted({row[2] for row in rows}) if rows else []

    def meanings(self, blobs: set[str]) -> dict[str, str | None]:
        self._need(blobs)
        return {b: self._known[b][3] for b in blobs}

    def prepare(self, rids: Iterable[str]) -> None:
        """Summarise every version of the live files `rids` in one pass (their meanings)."""
        self._need(row[4] for rid in rids for row in self._live.get(rid, ()))
