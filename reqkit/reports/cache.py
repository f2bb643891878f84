"""Warm `report`: file facts by stat, versions by tip commit, near-duplicate pairs by text.

Beside the check and history caches in the user cache dir (`REQKIT_CACHE_DIR`
overrides, `REQKIT_NO_CACHE` turns it off), safe to delete. Its name carries reqkit's
code fingerprint and the repository, so another version or repository never reads it.
A file is trusted by its size, mtime, ctime and inode, and never when it was modified in
the last two seconds (its mtime may not tell yet); the pairs are keyed by a digest of
every requirement's text and the threshold, so they can never be stale. The n-gram set of
each title and description is kept in a second file (read only when the pairs must be
computed again), keyed by a digest of that text: an edit computes one text's, not 10k.

`check --base` (RK320) keeps its own table, `BlobGrams`: per Git blob (a content id, so
never stale), the declared ID, `links.duplicates` and the n-grams as numbers into one
vocabulary, so a warm run neither parses nor tokenises the 10k files it compares.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import marshal
import os
import time
from array import array
from itertools import filterfalse, repeat
from pathlib import Path
from typing import Any

from reqkit.loader.cachedir import write_cache_file
from reqkit.reports.duplicates import Pair
from reqkit.reports.flow import Durations, FlowPoint, FlowReport, LeadTime, Period
from reqkit.reports.items import Item, new_tuple
from reqkit.reports.timeline import Version

__all__ = [
    "BlobGrams",
    "Packed",
    "ReportCache",
    "item_row",
    "pack_versions",
    "row_item",
    "text_key",
    "unpack_versions",
]

_RACY_NS = 2_000_000_000
UTC = dt.UTC
Stamp = tuple[int, int, int, int]
#: Versions as built-in values (marshal, pickle): see `pack_versions`.
Packed = tuple[list[tuple[str, float]], list[str], list[int], list[int], list[str | None]]


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
    if r[11] is None and r[12] is None and r[13] is None:
        return new_tuple(Item, r)  # no dates to convert: the row is the item (10k a warm run)
    fields: list[Any] = [*r[:11], _dt(r[11]), _dt(r[12]), _dt(r[13]), *r[14:]]
    return Item(*fields)


def stamp(st: os.stat_result, now_ns: int | None = None) -> Stamp | None:
    """What trusts a file, or None when it changed too recently to be trusted (`now_ns`:
    the time, taken once for many files; earlier is only safer)."""
    if (time.time_ns() if now_ns is None else now_ns) - st.st_mtime_ns < _RACY_NS:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


class ReportCache:
    """Five parts, one file each (`report-<key>.files|versions|pairs|grams|flow`), each
    read on first use and written only when it changed: an edited file rewrites the file
    facts and the pairs, a new commit the versions and the flow, a new day the flow, and
    nothing else."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._parts: dict[str, Any] = {}
        self._dirty: set[str] = set()
        self._used_grams: dict[bytes, str] = {}

    def _part(self, name: str, kind: type) -> Any:
        """The part `name` as stored (a `kind`, else empty), read on first use."""
        found = self._parts.get(name)
        if found is None:
            found = kind()
            if self.path is not None:
                with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                    loaded = marshal.loads(self.path.with_suffix(f".{name}").read_bytes())
                    if isinstance(loaded, kind):
                        found = loaded
            self._parts[name] = found
        return found

    def _put(self, name: str, value: Any) -> None:
        if self.path is not None:
            self._parts[name] = value
            self._dirty.add(name)

    @classmethod
    def open(cls, *, root: Path, enabled: bool = True) -> ReportCache:
        return cls(_cache_file(root, "report-{key}", enabled))

    @property
    def files(self) -> dict[str, tuple[Stamp, tuple[Any, ...]]]:
        """Path → (stamp, item row) of the working tree's files."""
        files: dict[str, tuple[Stamp, tuple[Any, ...]]] = self._part("files", dict)
        return files

    def item(self, rel: str, st: Stamp | None) -> Item | None:
        hit = self.files.get(rel)
        return row_item(hit[1]) if hit is not None and st is not None and hit[0] == st else None

    def items(
        self, found: list[tuple[str, Stamp | None]]
    ) -> tuple[list[Item], list[tuple[int, str, Stamp | None]]]:
        """`item` of many files at once: (the cached items, (position, rel, stamp) of the
        others)."""
        get = self.files.get
        hits: list[Item] = []
        misses: list[tuple[int, str, Stamp | None]] = []
        for k, (rel, st) in enumerate(found):
            hit = get(rel)
            if hit is not None and st is not None and hit[0] == st:
                hits.append(row_item(hit[1]))
            else:
                misses.append((k, rel, st))
        return hits, misses

    def put_item(self, rel: str, st: Stamp | None, item: Item) -> None:
        self.put_row(rel, st, item_row(item))

    def put_row(self, rel: str, st: Stamp | None, row: tuple[Any, ...]) -> None:
        """`put_item` of an item already as a row (see `item_row`)."""
        if st is not None and self.path is not None:
            self.files[rel] = (st, row)
            self._dirty.add("files")

    def keep_only(self, rels: set[str]) -> None:
        files = self.files
        gone = set(files) - rels
        for rel in gone:
            del files[rel]
        if gone and self.path is not None:
            self._dirty.add("files")

    def has_pairs(self, key: str) -> bool:
        stored = self._part("pairs", tuple)
        return bool(stored) and stored[0] == key

    def get_pairs(self, key: str) -> list[Pair] | None:
        if not self.has_pairs(key):
            return None
        return [new_tuple(Pair, p) for p in self._part("pairs", tuple)[1]]

    def put_pairs(self, key: str, pairs: list[Pair]) -> None:
        self._put("pairs", (key, [(p.a, p.b, p.score) for p in pairs]))  # only the latest

    def grams_of(self, text: bytes) -> frozenset[str] | None:
        """The cached n-gram set of a text digest (see `text_key`), or None."""
        found: str | None = self._part("grams", dict).get(text)
        if found is None:
            return None
        self._used_grams[text] = found
        return frozenset(found.split("\n")) if found else frozenset()

    def put_grams(self, text: bytes, grams: frozenset[str]) -> None:
        """Remember a text's n-grams (one string: quick to store and read); the file keeps
        only the texts this run used."""
        if self.path is not None:
            self._used_grams[text] = "\n".join(sorted(grams))
            self._dirty.add("grams")

    def get_versions(self, tip: str) -> dict[str, list[Version]] | None:
        """Every requirement's versions on the first-parent chain of `tip` (a commit)."""
        stored = self._part("versions", tuple)
        return unpack_versions(stored[1]) if stored and stored[0] == tip else None

    def put_versions(self, tip: str, versions: dict[str, list[Version]] | Packed) -> None:
        packed = versions if isinstance(versions, tuple) else pack_versions(versions)
        self._put("versions", (tip, packed))  # only the latest: a commit never changes

    def get_flow(self, key: str, now: dt.datetime) -> FlowReport | None:
        """The flow section kept under `key`, when no version it was made from is later
        than `now` (a later `now` the same day counts versions it did not)."""
        stored = self._part("flow", tuple)
        if not stored or stored[0] != key:
            return None
        if stored[1] is not None and dt.datetime.fromisoformat(stored[1]) > now:
            return None
        return unpack_flow(stored[2])

    def put_flow(self, key: str, latest: dt.datetime | None, flow: FlowReport) -> None:
        """Keep the flow of `key`, made from versions none later than `latest`."""
        kept = None if latest is None else latest.isoformat()
        self._put("flow", (key, kept, pack_flow(flow)))  # only the latest

    def written_elsewhere(self) -> None:
        """Another process (a forked one) saved every part but the versions: this copy of
        them is out of date, so it is never written."""
        for name in ("files", "pairs", "grams"):
            self._parts.pop(name, None)
            self._dirty.discard(name)

    def save(self) -> None:
        if self.path is None:
            return
        if "grams" in self._dirty:
            self._parts["grams"] = self._used_grams
        for name in sorted(self._dirty):
            write_cache_file(self.path.with_suffix(f".{name}"), marshal.dumps(self._parts[name]))
        self._dirty.clear()


#: What `BlobGrams` keeps per blob: (declared ID, listed duplicates, gram numbers).
BlobFacts = tuple[str | None, tuple[str, ...] | None, "array[int]"]
#: A vocabulary this large starts afresh (the blobs' grams are computed again once).
_NAMES_LIMIT = 1 << 20


class BlobGrams:
    """RK320's facts per Git blob, `near-<key>.grams` in the cache dir: ([gram, ...],
    {blob: (id, duplicates, gram numbers as bytes)}). Its key is reqkit's code fingerprint
    (the parser and the n-grams) and the repository; it keeps the blobs the last run used,
    and is written only when that changed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.names: list[str] = []
        self._table: dict[str, tuple[str | None, tuple[str, ...] | None, bytes]] = {}
        self._numbers: dict[str, int] | None = None
        self._used: dict[str, BlobFacts] = {}
        self._added = False
        if path is not None:
            with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
                names, table = marshal.loads(path.read_bytes())
                if isinstance(names, list) and isinstance(table, dict):
                    self.names, self._table = names, table

    @classmethod
    def open(cls, *, root: Path, enabled: bool = True) -> BlobGrams:
        return cls(_cache_file(root, "near-{key}.grams", enabled))

    def get(self, blob: str) -> BlobFacts | None:
        found = self._used.get(blob)
        if found is None:
            stored = self._table.get(blob)
            if stored is None:
                return None
            try:
                numbers = array("I", stored[2])
            except (TypeError, ValueError, IndexError):
                return None  # not what this code writes: computed again
            if numbers and numbers[-1] >= len(self.names):
                return None
            found = self._used[blob] = (stored[0], stored[1], numbers)
        return found

    def of(self, blob: str) -> BlobFacts:
        """`get`, or the facts of a file with no data (no ID, no grams) when not known."""
        return self.get(blob) or (None, None, array("I"))

    def numbers(self, grams: frozenset[str]) -> array[int]:
        """Grams as numbers into `names` (new ones appended), in ascending order."""
        if self._numbers is None:
            self._numbers = {g: k for k, g in enumerate(self.names)}
        numbers, names = self._numbers, self.names
        for g in sorted(filterfalse(numbers.__contains__, grams)):  # (filter and map: in C)
            numbers[g] = len(names)
            names.append(g)
        return array("I", sorted(map(numbers.__getitem__, grams)))

    def put(
        self, blob: str, rid: str | None, listed: tuple[str, ...] | None, grams: frozenset[str]
    ) -> BlobFacts:
        found = self._used[blob] = (rid, listed, self.numbers(grams))
        self._added = True
        return found

    def save(self) -> None:
        """Keep what this run used (written only when that is not what the file holds)."""
        if self.path is None or not (self._added or len(self._used) != len(self._table)):
            return
        names = self.names
        used = self._used
        if len(names) > _NAMES_LIMIT:
            names, used = [], {}
        table = {blob: (rid, listed, nums.tobytes()) for blob, (rid, listed, nums) in used.items()}
        write_cache_file(self.path, marshal.dumps((names, table)))


def pack_versions(versions: dict[str, list[Version]]) -> Packed:
    """Versions as built-in values, each commit once, flat: ([(sha, timestamp)], [id],
    [versions of each id], [commit number of each version], [status of each version])."""
    index: dict[str, int] = {}
    commits: list[tuple[str, float]] = []
    ks: list[int] = []
    statuses: list[str | None] = []
    for found in versions.values():
        for v in found:
            k = index.get(v.sha)
            if k is None:
                k = index[v.sha] = len(commits)
                commits.append((v.sha, v.at.timestamp()))
            ks.append(k)
            statuses.append(v.status)
    return commits, list(versions), list(map(len, versions.values())), ks, statuses


def unpack_versions(packed: Packed) -> dict[str, list[Version]]:
    """`pack_versions` undone: every version made in one pass in C (`map`, `zip`), then
    sliced per requirement (30k versions on every warm run)."""
    commits, ids, counts, ks, statuses = packed
    ats = [dt.datetime.fromtimestamp(ts, UTC) for _, ts in commits]
    shas = [sha for sha, _ in commits]
    rows = zip(map(ats.__getitem__, ks), statuses, map(shas.__getitem__, ks), strict=True)
    flat = list(map(new_tuple, repeat(Version), rows))
    out = {}
    at = 0
    for rid, n in zip(ids, counts, strict=True):
        out[rid] = flat[at : at + n]
        at += n
    return out


def _durations(d: Durations) -> tuple[Any, ...]:
    return (d.count, d.mean_days, d.median_days, d.p85_days, d.max_days)


def _periods(periods: list[Period]) -> list[tuple[Any, ...]]:
    return [(p.period, p.start.toordinal(), p.shipped, p.arrived, p.departed) for p in periods]


def pack_flow(f: FlowReport) -> tuple[Any, ...]:
    """A flow section as built-in values (dates as ordinals, moments in ISO 8601)."""
    return (
        _durations(f.lead_time),
        _durations(f.cycle_time),
        {k: _durations(v) for k, v in f.time_in_state.items()},
        _periods(f.weekly),
        _periods(f.monthly),
        [(p.date.toordinal(), p.counts) for p in f.cumulative_flow],
        f.cumulative_step,
        [(r.id, r.start.isoformat(), r.shipped.isoformat(), r.lead_days, r.cycle_days)
         for r in f.shipped],
    )  # fmt: skip


def unpack_flow(packed: tuple[Any, ...]) -> FlowReport:
    lead, cycle, in_state, weekly, monthly, points, step, shipped = packed
    day, moment = dt.date.fromordinal, dt.datetime.fromisoformat
    return FlowReport(
        lead_time=Durations(*lead),
        cycle_time=Durations(*cycle),
        time_in_state={k: Durations(*v) for k, v in in_state.items()},
        weekly=[new_tuple(Period, (p[0], day(p[1]), *p[2:])) for p in weekly],
        monthly=[new_tuple(Period, (p[0], day(p[1]), *p[2:])) for p in monthly],
        cumulative_flow=[new_tuple(FlowPoint, (day(d), counts)) for d, counts in points],
        cumulative_step=step,
        shipped=[new_tuple(LeadTime, (r[0], moment(r[1]), moment(r[2]), *r[3:])) for r in shipped],
    )


def text_key(title: str, description: str) -> bytes:
    """What a requirement's n-grams depend on, as a digest."""
    return hashlib.blake2b(f"{title}\0{description}".encode(), digest_size=16).digest()


def _cache_file(root: Path, pattern: str, enabled: bool) -> Path | None:
    """`pattern` (with `{key}`) in the cache folder, keyed by reqkit's code and the
    repository; None when caching is off."""
    if not enabled or os.environ.get("REQKIT_NO_CACHE"):
        return None
    from reqkit.loader.cache import code_fingerprint
    from reqkit.loader.cachedir import cache_folder

    key = hashlib.sha256(f"{code_fingerprint()}|{root.resolve()}".encode()).hexdigest()[:24]
    return cache_folder() / pattern.format(key=key)
