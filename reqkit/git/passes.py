"""The cold path on every core: the log in chunks, the blobs in chunks, summaries in workers.

`git log --raw` spends its time diffing trees, commit by commit; the first-parent chain
splits into independent ranges, so one `git log` per core reads it in a fraction of the
time. Blob contents and their summaries are split the same way. The log is also kept in
the cache, so a tip that only adds commits to a cached one reads just those.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from reqkit.git.log import FileChange, LogCommit, read_log
from reqkit.git.runner import Runner
from reqkit.git.snapshot import BlobSummary, summarize
from reqkit.git.store import HistoryStore

__all__ = ["full_log", "map_blobs", "summarize_many"]

T = TypeVar("T")

Log = list[tuple[LogCommit, list[FileChange]]]
_CHUNK_FROM = 400  # commits; below this one process is quicker than several
_FORK_FROM = 4000  # blobs; below this starting workers costs more than it saves


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _chain(runner: Runner, tip: str, since: str | None) -> list[str]:
    spec = f"{since}..{tip}" if since else tip
    return runner.text("rev-list", "--first-parent", spec).split()


def _read_parallel(runner: Runner, tip: str, folder: str, since: str | None) -> Log:
    chain = _chain(runner, tip, since)  # newest first
    parts = _workers()
    if len(chain) < _CHUNK_FROM or parts < 2:
        return read_log(runner, tip, folder, since=since)
    size = -(-len(chain) // parts)
    cuts = [chain[i] for i in range(size, len(chain), size)]  # older boundaries
    ranges = [(tip, cuts[0] if cuts else since)]
    ranges += [(cuts[i], cuts[i + 1] if i + 1 < len(cuts) else since) for i in range(len(cuts))]
    with ThreadPoolExecutor(max_workers=len(ranges)) as pool:
        chunks = list(pool.map(lambda r: read_log(runner, r[0], folder, since=r[1]), ranges))
    out: Log = []
    for chunk in reversed(chunks):  # oldest range first
        out.extend(chunk)
    return out


def _as_rows(log: Log) -> list[Any]:
    return [
        (
            (c.sha, c.author, c.email, c.timestamp, c.date, c.subject, c.pr, c.reviewed),
            [(f.kind, f.path, f.old_path, f.blob, f.old_blob) for f in files],
        )
        for c, files in log
    ]


def _from_rows(rows: Any) -> Log:
    return [(LogCommit(*c), [FileChange(*f) for f in files]) for c, files in rows]


def full_log(runner: Runner, tip: str, folder: str, store: HistoryStore) -> Log:
    """The first-parent log of `tip`, from the cached log of another tip where it can:
    extended when `tip` is newer on the same chain, cut when `tip` is older on it."""
    cached = store.load_log()
    if cached is not None:
        old_tip, rows = cached
        if old_tip == tip:
            return _from_rows(rows)
        chain = _chain(runner, tip, None)
        if old_tip in set(chain):
            log = _from_rows(rows) + _read_parallel(runner, tip, folder, old_tip)
            store.save_log(tip, _as_rows(log))
            return log
        if tip in set(_chain(runner, old_tip, None)):
            mine = set(chain)
            return [entry for entry in _from_rows(rows) if entry[0].sha in mine]
    log = _read_parallel(runner, tip, folder, None)
    store.save_log(tip, _as_rows(log))
    return log


_pending: list[bytes] = []
_job: Callable[[bytes], Any] | None = None


def _run_chunk(indices: range) -> list[Any]:
    assert _job is not None
    return [_job(_pending[i]) for i in indices]


def map_blobs(runner: Runner, shas: Iterable[str], fn: Callable[[bytes], T]) -> dict[str, T]:
    """`fn` over the contents of many blobs: read in parallel `cat-file`s, and run in
    forked workers when there are many (fork is used on Linux only, as `check` does)."""
    wanted = sorted(set(shas))
    parts = _workers()
    if len(wanted) < _FORK_FROM or parts < 2:
        contents = runner.blobs(wanted)
        return {sha: fn(raw) for sha, raw in contents.items()}
    size = -(-len(wanted) // parts)
    with ThreadPoolExecutor(max_workers=parts) as pool:
        found: dict[str, bytes] = {}
        for part in pool.map(
            runner.blobs, [wanted[i : i + size] for i in range(0, len(wanted), size)]
        ):
            found.update(part)
    names = list(found)
    global _pending, _job
    _pending, _job = [found[n] for n in names], fn
    try:
        if not sys.platform.startswith("linux"):
            results = _run_chunk(range(len(names)))
        else:
            import multiprocessing

            step = -(-len(names) // (parts * 2))
            chunks = [range(i, min(i + step, len(names))) for i in range(0, len(names), step)]
            with multiprocessing.get_context("fork").Pool(parts) as workers:
                results = [r for chunk in workers.map(_run_chunk, chunks) for r in chunk]
    finally:
        _pending, _job = [], None
    return dict(zip(names, results, strict=True))


def summarize_many(runner: Runner, shas: Iterable[str]) -> dict[str, BlobSummary]:
    """Summaries of many blobs (see `map_blobs`)."""
    return map_blobs(runner, shas, summarize)
