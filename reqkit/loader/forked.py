"""Spread a cold check over every core: forked copies of this process share the work.

This process works too (on 2 cores, one child is all it takes), and every process takes
the next chunk from a shared queue (a pipe of chunk numbers) when it is free, so a core slowed by another program
does less. Children inherit everything already imported and compiled (fork), return
their results pickled through a pipe, and leave with `os._exit`. A chunk a child did not
return (it crashed, was killed) is done again here: the answer never depends on children.
Linux only: fork is unsafe on macOS and missing on Windows; elsewhere the work stays here.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

__all__ = ["FILES_AT_LEAST", "FILES_PER_CHUNK", "chunked", "jobs_for", "map_forked"]

T = TypeVar("T")
R = TypeVar("R")
_MAX_JOBS = 8
#: Parsing requirement files: below this many a second process costs more than it saves,
#: and a process takes this many at a time, few enough to share the work out evenly.
FILES_AT_LEAST = 2000
FILES_PER_CHUNK = 256


def chunked(items: Sequence[T], size: int, *, taper: bool = False) -> list[Sequence[T]]:
    """`items` cut into runs of `size` (the last may be shorter), in order.

    With `taper`, the last `2 * size` items go in runs of `size // 8`: whichever process
    takes the last run, the others wait for a small one, not for a whole `size`.
    """
    if not taper:
        return [items[i : i + size] for i in range(0, len(items), size)]
    head = max(0, len(items) - 2 * size)
    small = max(1, size // 8)
    return [items[i : min(i + size, head)] for i in range(0, head, size)] + [
        items[i : i + small] for i in range(head, len(items), small)
    ]


def jobs_for(items: int, *, at_least: int) -> int:
    """How many processes to use for `items` units of work (1: stay in this process).

    `REQKIT_JOBS` overrides the core count (`1` never forks), e.g. on a shared CI runner.
    """
    if not sys.platform.startswith("linux") or items < at_least:
        return 1
    wanted = os.environ.get("REQKIT_JOBS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return min(int(wanted), _MAX_JOBS)
    return min(len(os.sched_getaffinity(0)), _MAX_JOBS)


def map_forked(
    work: Callable[[T], R],
    chunks: Sequence[T],
    jobs: int,
    *,
    pack: Callable[[R], Any] | None = None,
    unpack: Callable[[Any], R] | None = None,
) -> list[R]:
    """`[work(c) for c in chunks]`, computed by `jobs` processes (this one included).

    A child's results cross a pipe as `pack(result)`, turned back with `unpack`: plain
    data pickles faster than objects, and the results this process computed itself are
    kept as they are.
    """
    if jobs < 2 or len(chunks) < 2:
        return [work(c) for c in chunks]
    if len(chunks) > _QUEUE_MAX:  # one round per queue-full (only past ~250,000 files)
        return [
            r
            for at in range(0, len(chunks), _QUEUE_MAX)
            for r in map_forked(work, chunks[at : at + _QUEUE_MAX], jobs, pack=pack, unpack=unpack)
        ]
    queue = _queue(len(chunks))

    def drain() -> dict[int, R]:
        done: dict[int, R] = {}
        while len(claimed := os.read(queue, _INDEX)) == _INDEX:
            index = int.from_bytes(claimed, "little")
            done[index] = work(chunks[index])
        return done

    children: list[tuple[int, int]] = []
    try:
        for _ in range(min(jobs, len(chunks)) - 1):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, which never returns
                status = 1
                try:
                    os.close(read_end)
                    done: dict[int, Any] = drain()
                    if pack is not None:
                        done = {i: pack(r) for i, r in done.items()}
                    with os.fdopen(write_end, "wb") as out:
                        pickle.dump(done, out, protocol=pickle.HIGHEST_PROTOCOL)
                    status = 0
                finally:
                    os._exit(status)
            os.close(write_end)
            children.append((pid, read_end))
        results = drain()
    finally:
        os.close(queue)
    for pid, read_end in children:
        with os.fdopen(read_end, "rb") as fh, contextlib.suppress(Exception):
            shipped = pickle.load(fh)
            if unpack is not None:
                shipped = {i: unpack(r) for i, r in shipped.items()}
            results.update(shipped)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return [results[i] if i in results else work(chunks[i]) for i in range(len(chunks))]


_INDEX = 4  # bytes per chunk number in the queue
_QUEUE_MAX = 1024  # chunk numbers per queue: 4 KiB, what any pipe holds without a reader


def _queue(count: int) -> int:
    """The read end of a pipe holding the numbers 0..count-1, its write end closed.

    Every process takes the next number with one `read` of `_INDEX` bytes: Linux reads a
    pipe under its lock, so two readers never split a number, and an empty pipe whose
    writer is gone reads as the end. It replaced a `multiprocessing.Value` counter, whose
    import and shared-memory set-up cost 30-60 ms of every cold check.
    """
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"".join(i.to_bytes(_INDEX, "little") for i in range(count)))
    finally:
        os.close(write_end)
    return read_end
