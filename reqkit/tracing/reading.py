"""The requirements as the matrix needs them: a few fields each, read once, then cached.

A trace of 10k requirements spends most of its cold time parsing YAML. `plan` asks the
cache first, trusted by stat exactly as `check`'s is (size, mtime, inode and ctime
unchanged; files changed in the last two seconds never trusted); what it could not
answer is split into `chunks` that the caller parses with `Reading.read` on every core
(`reqkit.loader.forked`), and `finish` turns the results into the set. Only the fields
below are kept: the rest of a requirement is not the matrix's.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reqkit.loader.cache import Cache, CachedFile
from reqkit.loader.files import FileData, holds_date, read_file
from reqkit.loader.forked import jobs_for
from reqkit.model.reqset import Entry, RequirementSet

__all__ = ["FIELDS", "Parsed", "Reading", "plan", "read_fields"]

FIELDS = ("id", "title", "type", "status", "priority", "urgency", "tags", "links", "verified_by")
_PARALLEL_FROM = 1000  # below this, forking costs more than it saves
_CHUNK = 200  # files per unit of work: small enough for a slowed core to do fewer

Fields = dict[str, Any] | None
Parsed = tuple[Fields, CachedFile | None]  # a file's fields, or its new cache entry


def read_fields(paths: Sequence[str], max_size: int) -> list[tuple[Fields, bool]]:
    """The matrix's fields of each file (None for a file that cannot be used), and
    whether the cache can hold them as they are."""
    out: list[tuple[Fields, bool]] = []
    for path in paths:
        data = read_file(Path(path), max_size=max_size).data
        if data is None:
            out.append((None, True))
        else:
            fields = {k: data[k] for k in FIELDS if k in data}
            out.append((fields, not holds_date(fields)))
    return out


@dataclass
class Reading:
    """The requirement files of one trace: what the cache answered, what is left to parse."""

    files: Sequence[tuple[str, str]]  # (repo-relative, absolute), in discovery order
    store: Cache
    max_size: int
    datas: dict[str, Fields] = field(default_factory=dict)
    stats: dict[str, os.stat_result] = field(default_factory=dict)
    missing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def jobs(self) -> int:
        return jobs_for(len(self.missing), at_least=_PARALLEL_FROM)

    def chunks(self) -> list[range]:
        """The files still to parse (positions in `missing`), in units of work for `read`."""
        count = len(self.missing)
        return [range(i, min(i + _CHUNK, count)) for i in range(0, count, _CHUNK)]

    def read(self, chunk: range) -> list[Parsed]:
        """Parse one chunk; also on another core, so each file's cache entry is made here
        (a worker's own copy of the store) and only handed over by `finish`."""
        missing, stats, store = self.missing, self.stats, self.store
        out: list[Parsed] = []
        paths = [missing[i][1] for i in chunk]
        for i, (fields, keep) in zip(chunk, read_fields(paths, self.max_size), strict=True):
            rel = missing[i][0]
            if keep and rel in stats and store.path is not None:
                store.put(rel, stats[rel], b"", fields, [])
                out.append((None, store.fresh.pop(rel)))  # its data: the fields, once
            else:
                out.append((fields, None))
        return out

    def finish(self, read: Sequence[Parsed]) -> RequirementSet:
        """The set, once `read` holds what `read` gave for every chunk, in order."""
        store = self.store
        for (rel, _), (data, entry) in zip(self.missing, read, strict=True):
            if entry is None:
                self.datas[rel] = data
            else:  # undated fields, so the entry's copy is the same data
                self.datas[rel] = entry[4]
                store.fresh[rel] = entry
        if self.missing or len(store.fresh) != len(store.entries):
            store.remember_tree(b"trace", [])
        else:  # every file answered and none gone: the cache on disk says it all already
            store.whole_tree(b"trace")
        store.save()
        datas = self.datas
        return RequirementSet([Entry(rel, path, FileData(datas[rel])) for rel, path in self.files])


def plan(files: Sequence[tuple[str, str]], *, max_size: int, store: Cache) -> Reading:
    """What the cache holds of `files` ((repo-relative, absolute) pairs), and what not."""
    reading = Reading(files, store, max_size)
    if store.path is None:  # no cache: nothing to ask, nothing to remember
        reading.missing.extend(files)
        return reading
    datas, stats, missing = reading.datas, reading.stats, reading.missing
    by_stat = store.by_stat
    for rel, path in files:
        try:
            st = stats[rel] = os.stat(path)
        except OSError:
            missing.append((rel, path))
            continue
        hit = by_stat(rel, st)
        if hit is None:
            missing.append((rel, path))
        else:
            datas[rel] = hit[4]
    return reading
