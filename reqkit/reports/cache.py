"""Warm `report`: file facts by stat, versions by tip commit, near-duplicate pairs by text.

Beside the check and history caches in the user cache dir (`REQKIT_CACHE_DIR`
overrides, `REQKIT_NO_CACHE` turns it off), safe to delete. Its name carries reqkit's
code fingerprint and the repository, so another version or repository never reads it.
A file is trusted by its size, mtime, ctime and inode, and never when it was modified in
the last two seconds (its mtime may not tell yet); the pairs are keyed by a digest of
every requirement's text and the threshold, so they can never be stale.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import marshal
import os
import time
from pathlib import Path
from typing import Any

from reqkit.reports.duplicates import Pair
from reqkit.reports.items import Item
from reqkit.reports.timeline import Version

__all__ = ["ReportCache", "item_row", "row_item"]

_RACY_NS = 2_000_000_000
UTC = dt.UTC
Stamp = tuple[int, int, int, int]


def _ts(moment: dt.datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _dt(ts: float | None) -> dt.datetime | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, UTC)


def item_row(i: Item) -> tuple[Any, ...]:
    """An Item as built-in values only (marshal stores nothing else)."""
    return (
        i.id, i.path, i.title, i.status, i.type, i.priority, i.urgency, i.owner,
        i.department, i.release, i.tags, _ts(i.due), _ts(i.received), _ts(i.created),
        i.evaluated, i.description, i.duplicates,
    )  # fmt: skip


def row_item(r: tuple[Any, ...]) -> Item:
    fields: list[Any] = [*r[:11], _dt(r[11]), _dt(r[12]), _dt(r[13]), *r[14:]]
    return Item(*fields)


def stamp(st: os.stat_result) -> Stamp | None:
    """What trusts a file, or None when it changed too recently to be trusted."""
    if time.time_ns() - st.st_mtime_ns < _RACY_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class ReportCache:
    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.files: dict[str, tuple[Stamp, tuple[Any, ...]]] = {}
        self.pairs: dict[str, list[tuple[str, str, float]]] = {}
        self.versions: dict[str, Any] = {}  # tip commit → (commits, {id: [(commit, status)]})
        self.dirty = False
        if path is not None:
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError, KeyError):
                loaded = marshal.loads(path.read_bytes())
                self.files, self.pairs = loaded["files"], loaded["pairs"]
                self.versions = loaded["versions"]

    @classmethod
    def open(cls, *, root: Path, enabled: bool = True) -> ReportCache:
        if not enabled or os.environ.get("REQKIT_NO_CACHE"):
            return cls(None)
        from platformdirs import user_cache_dir

        from reqkit.loader.cache import code_fingerprint

        key = hashlib.sha256(f"{code_fingerprint()}|{root.resolve()}".encode()).hexdigest()[:24]
        folder = Path(os.environ.get("REQKIT_CACHE_DIR") or user_cache_dir("reqkit"))
        return cls(folder / f"report-{key}.bin")

    def item(self, rel: str, st: Stamp | None) -> Item | None:
        hit = self.files.get(rel)
        return row_item(hit[1]) if hit is not None and st is not None and hit[0] == st else None

    def put_item(self, rel: str, st: Stamp | None, item: Item) -> None:
        if st is not None and self.path is not None:
            self.files[rel] = (st, item_row(item))
            self.dirty = True

    def keep_only(self, rels: set[str]) -> None:
        gone = set(self.files) - rels
        for rel in gone:
            del self.files[rel]
        self.dirty = self.dirty or bool(gone)

    def get_pairs(self, key: str) -> list[Pair] | None:
        hit = self.pairs.get(key)
        return None if hit is None else list(map(Pair._make, hit))

    def put_pairs(self, key: str, pairs: list[Pair]) -> None:
        if self.path is not None:
            self.pairs = {key: [(p.a, p.b, p.score) for p in pairs]}  # only the latest
            self.dirty = True

    def get_versions(self, tip: str) -> dict[str, list[Version]] | None:
        """Every requirement's versions on the first-parent chain of `tip` (a commit)."""
        hit = self.versions.get(tip)
        if hit is None:
            return None
        commits, table = hit
        moments = [(dt.datetime.fromtimestamp(ts, UTC), sha) for sha, ts in commits]
        return {
            rid: [Version(moments[k][0], status, moments[k][1]) for k, status in rows]
            for rid, rows in table.items()
        }

    def put_versions(self, tip: str, versions: dict[str, list[Version]]) -> None:
        if self.path is None:
            return
        index: dict[str, int] = {}
        commits: list[tuple[str, float]] = []
        table = {}
        for rid, found in versions.items():
            rows = []
            for v in found:
                k = index.get(v.sha)
                if k is None:
                    k = index[v.sha] = len(commits)
                    commits.append((v.sha, v.at.timestamp()))
                rows.append((k, v.status))
            table[rid] = rows
        self.versions = {tip: (commits, table)}  # only the latest: a commit never changes
        self.dirty = True

    def save(self) -> None:
        if self.path is None or not self.dirty:
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f"{self.path.name}.{os.getpid()}.tmp")
            tmp.write_bytes(
                marshal.dumps({"files": self.files, "pairs": self.pairs, "versions": self.versions})
            )
            os.replace(tmp, self.path)
