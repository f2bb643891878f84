"""The cold path on every core: the log in chunks, the blobs beside their summaries.

`git log --raw` spends its time diffing trees, commit by commit; the first-parent chain
splits into independent ranges, so one `git log` per core reads it in a fraction of the
time. Summaries (cheap, ~10 µs a version) are made here while one `cat-file` unpacks the
next versions on the other core; parsing whole versions (costly) is split over forked
workers (`map_forked`), each reading its own chunk. The log is also kept in the cache, so
a tip that only adds commits to a cached one reads just those.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from reqkit.git.log import FileChange, LogCommit, log_args, parse_log, read_reviews
from reqkit.git.runner import Runner, Started
from reqkit.git.snapshot import BlobSummary, summarize
from reqkit.git.store import HistoryStore
from reqkit.loader.forked import chunked, jobs_for, map_forked

__all__ = [
    "PendingLog",
    "full_log",
    "map_blobs",
    "map_blobs_many",
    "range_log",
    "reviews_of",
    "start_full_log",
    "summarize_many",
]

T = TypeVar("T")

Log = list[tuple[LogCommit, list[FileChange]]]
_CHUNK_FROM = 400  # commits; below this one process is quicker than several
_FORK_FROM = 4000  # blobs; below this starting workers costs more than it saves


def _workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _chain(runner: Runner, tip: str, since: str | None) -> list[str]:
    spec = f"{since}..{tip}" if since else tip
    return runner.text("rev-list", "--first-parent", spec).split()


def _ranges(runner: Runner, tip: str, since: str | None) -> list[tuple[str, str | None]]:
    """The first-parent chain cut into one (tip, since) range per core, newest first."""
    chain = _chain(runner, tip, since)  # newest first
    parts = _workers()
    if len(chain) < _CHUNK_FROM or parts < 2:
        return [(tip, since)]
    size = -(-len(chain) // parts)
    cuts = [chain[i] for i in range(size, len(chain), size)]  # older boundaries
    ranges = [(tip, cuts[0] if cuts else since)]
    ranges += [(cuts[i], cuts[i + 1] if i + 1 < len(cuts) else since) for i in range(len(cuts))]
    return ranges


class PendingLog:
    """The log of `tip` being read: one `git log` per range, all running from now on, so
    they overlap with whatever this process does until it asks for `log()`."""

    def __init__(self, runner: Runner, tip: str, folder: str, since: str | None) -> None:
        self.tip = tip
        self.folder = folder
        self._started: list[Started] = []
        try:
            for start, stop in _ranges(runner, tip, since):
                self._started.append(runner.start(*log_args(start, folder, since=stop)))
        except BaseException:
            self.cancel()
            raise

    def log(self) -> Log:
        try:
            parts = [parse_log(s.output(), self.folder) for s in self._started]
        except BaseException:
            self.cancel()  # one range failed: the others are not needed
            raise
        out: Log = []
        for part in reversed(parts):  # oldest range first
            out.extend(part)
        return out

    def cancel(self) -> None:
        for s in self._started:
            s.cancel()


def _read_parallel(runner: Runner, tip: str, folder: str, since: str | None) -> Log:
    return PendingLog(runner, tip, folder, since).log()


def _commit_row(c: LogCommit) -> tuple[Any, ...]:
    """A commit as plain values (the cache is marshal); `LogCommit(*row)` turns it back."""
    return (c.sha, c.author, c.email, c.timestamp, c.date, c.subject, c.pr, c.reviewed)


def _as_rows(log: Log) -> list[Any]:
    return [
        (_commit_row(c), [(f.kind, f.path, f.old_path, f.blob, f.old_blob) for f in files])
        for c, files in log
    ]


def _from_rows(rows: Any) -> Log:
    return [(LogCommit(*c), [FileChange(*f) for f in files]) for c, files in rows]


def start_full_log(runner: Runner, tip: str, folder: str, store: HistoryStore) -> PendingLog | None:
    """`full_log` of `tip` set going now, when no log is cached (None: the cache may answer,
    and reading it is quick)."""
    return None if store.has_log() else PendingLog(runner, tip, folder, None)


def full_log(
    runner: Runner,
    tip: str,
    folder: str,
    store: HistoryStore,
    pending: PendingLog | None = None,
) -> Log:
    """The first-parent log of `tip`, from the cached log of another tip where it can:
    extended when `tip` is newer on the same chain, cut when `tip` is older on it.
    `pending`: this log, started earlier (`start_full_log`)."""
    if pending is not None:
        if (pending.tip, pending.folder) == (tip, folder):
            log = pending.log()
            store.save_log(tip, _as_rows(log))
            return log
        pending.cancel()
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


def reviews_of(runner: Runner, tip: str, store: HistoryStore) -> list[LogCommit]:
    """`read_reviews` of `tip`, kept per tip (the commits reachable from it never change)."""
    kept = store.load_reviews(tip)
    if kept is not None:
        return [LogCommit(*row) for row in kept]
    found = read_reviews(runner, tip)
    store.save_reviews(tip, [_commit_row(c) for c in found])
    return found


def range_log(runner: Runner, start: str, end: str, folder: str, store: HistoryStore) -> Log:
    """The first-parent commits of `start..end` that changed files under `folder`, oldest
    first: cut from the cached log when `end` is on its chain, else read (that range only)
    and kept for the next time."""
    cached = store.load_log()
    if cached is not None:
        old_tip, rows = cached
        if old_tip == end or end in set(_chain(runner, old_tip, None)):
            wanted = set(_chain(runner, end, start))
            return [entry for entry in _from_rows(rows) if entry[0].sha in wanted]
    kept = store.load_range(start, end)
    if kept is not None:
        return _from_rows(kept)
    log = _read_parallel(runner, end, folder, start)
    store.save_range(start, end, _as_rows(log))
    return log


def map_blobs(runner: Runner, shas: Iterable[str], fn: Callable[[bytes], T]) -> dict[str, T]:
    """`fn` over the contents of many blobs. With many, every core takes chunks: a forked
    copy of this process reads its chunk with its own `cat-file` and applies `fn` there,
    so neither the contents nor the work pass through one process (`map_forked`)."""
    return _map_keyed(runner, shas, lambda _, raw: fn(raw))


def _map_keyed(runner: Runner, shas: Iterable[str], fn: Callable[[str, bytes], T]) -> dict[str, T]:
    wanted = sorted(set(shas))
    jobs = jobs_for(len(wanted), at_least=_FORK_FROM)
    if jobs < 2:
        return {sha: fn(sha, raw) for sha, raw in runner.blobs(wanted).items()}
    step = -(-len(wanted) // jobs)  # one chunk each: one `cat-file` per core reads fastest

    def work(chunk: Sequence[str]) -> list[tuple[str, T]]:
        return [(sha, fn(sha, raw)) for sha, raw in runner.blobs(chunk).items()]

    parts = map_forked(work, chunked(wanted, step), jobs)
    return {sha: value for part in parts for sha, value in part}


def map_blobs_many(
    runner: Runner, jobs: Sequence[tuple[Iterable[str], Callable[[bytes], Any]]]
) -> list[dict[str, Any]]:
    """Several `map_blobs` in one pass: each blob read once, by one worker, and every
    function applied to the blobs asked of it (a diff wants the new versions parsed and
    the whole tree summarised: mostly the same blobs)."""
    wanted = [set(shas) for shas, _ in jobs]
    fns = [fn for _, fn in jobs]

    def each(sha: str, raw: bytes) -> list[tuple[int, Any]]:
        return [(i, fn(raw)) for i, fn in enumerate(fns) if sha in wanted[i]]

    out: list[dict[str, Any]] = [{} for _ in jobs]
    every = set().union(*wanted) if wanted else set()
    for sha, results in _map_keyed(runner, every, each).items():
        for i, value in results:
            out[i][sha] = value
    return out


def summarize_many(runner: Runner, shas: Iterable[str]) -> dict[str, BlobSummary]:
    """Summaries of many blobs, each made while `cat-file` unpacks the next ones: a
    summary costs about what unpacking costs (~10 µs), so one process here and git beside
    it keep two cores busy without the forked workers of `map_blobs`, which doubled the
    unpacking (two `cat-file` caches) and added the fork and the hand-back."""
    return {sha: summarize(raw) for sha, raw in runner.stream_blobs(shas)}
