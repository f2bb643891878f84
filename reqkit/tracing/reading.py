"""The requirements as the matrix needs them: a few fields each, read once, then cached.

A trace of 10k requirements spends most of its time parsing YAML, so files are read on
every core when there are many (the caller meanwhile reads test results and code), and
what was read is kept in a cache of its own, trusted by stat exactly as `check`'s is
(size, mtime, inode and ctime unchanged; files changed in the last two seconds never
trusted). Only the fields below are kept: the rest of a requirement is not the matrix's.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reqkit.loader.cache import Cache
from reqkit.loader.files import FileData, read_file
from reqkit.model.reqset import Entry, RequirementSet

__all__ = ["FIELDS", "start_reading"]

FIELDS = ("id", "title", "type", "status", "priority", "urgency", "tags", "links", "verified_by")
_PARALLEL_FROM = 2000  # below this, starting workers costs more than it saves
_max_size = 0  # set before the workers fork


def _read(paths: Sequence[str]) -> list[dict[str, Any] | None]:
    out = []
    for path in paths:
        data = read_file(Path(path), max_size=_max_size).data
        out.append(None if data is None else {k: data[k] for k in FIELDS if k in data})
    return out


def start_reading(
    files: Sequence[tuple[str, str]], *, max_size: int, store: Cache
) -> Callable[[], RequirementSet]:
    """Start reading `files` ((repo-relative, absolute) pairs); call the result for the set."""
    import multiprocessing

    global _max_size
    _max_size = max_size
    datas: dict[str, Any] = {}
    stats: dict[str, os.stat_result] = {}
    missing: list[tuple[str, str]] = []
    for rel, path in files:
        try:
            st = stats[rel] = os.stat(path)
        except OSError:
            missing.append((rel, path))
            continue
        hit = store.by_stat(rel, st)
        if hit is None:
            missing.append((rel, path))
        else:
            datas[rel] = hit[4]

    def finish(read: list[dict[str, Any] | None]) -> RequirementSet:
        for (rel, _), data in zip(missing, read, strict=True):
            datas[rel] = data
            if rel in stats:
                store.put(rel, stats[rel], b"", data, [])
        store.remember_tree(b"trace", [])
        store.save()
        return RequirementSet([Entry(rel, path, FileData(datas[rel])) for rel, path in files])

    paths = [path for _, path in missing]
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < _PARALLEL_FROM or workers < 2 or not sys.platform.startswith("linux"):
        read = _read(paths)
        return lambda: finish(read)
    size = -(-len(paths) // (workers * 4))
    chunks = [paths[i : i + size] for i in range(0, len(paths), size)]
    pool = multiprocessing.get_context("fork").Pool(workers)
    pending = pool.map_async(_read, chunks)

    def wait() -> RequirementSet:
        try:
            return finish([d for part in pending.get() for d in part])
        finally:
            pool.terminate()

    return wait
