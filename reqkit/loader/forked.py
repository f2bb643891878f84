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
from collections.abc import Callable, Iterator, Sequence
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

    def claims() -> Iterator[tuple[int, R]]:
        while len(claimed := os.read(queue, _INDEX)) == _INDEX:
            index = int.from_bytes(claimed, "little")
            yield index, work(chunks[index])

    results: dict[int, R] = {}
    inboxes: list[_Inbox] = []

    def receive(inbox: _Inbox, *, wait: bool) -> None:
        for index, value in inbox.frames(wait=wait):
            results[index] = unpack(value) if unpack is not None else value

    try:
        for _ in range(min(jobs, len(chunks)) - 1):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the child, which never returns
                status = 1
                try:
                    os.close(read_end)
                    for inbox in inboxes:  # an earlier child's pipe: not for this one
                        os.close(inbox.fd)
                    with os.fdopen(write_end, "wb") as out:
                        for index, result in claims():
                            shipped = pack(result) if pack is not None else result
                            blob = pickle.dumps((index, shipped), protocol=pickle.HIGHEST_PROTOCOL)
                            out.write(len(blob).to_bytes(_LENGTH, "little") + blob)
                            out.flush()
                    status = 0
                finally:
                    os._exit(status)
            os.close(write_end)
            inboxes.append(_Inbox(pid, read_end))
        for index, result in claims():
            results[index] = result
            for inbox in inboxes:  # take in what the children sent meanwhile
                receive(inbox, wait=False)
    finally:
        os.close(queue)
    for inbox in inboxes:
        with contextlib.suppress(Exception):
            receive(inbox, wait=True)
        os.close(inbox.fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(inbox.pid, 0)
    return [results[i] if i in results else work(chunks[i]) for i in range(len(chunks))]


_LENGTH = 8  # bytes of the length before each result a child sends


class _Inbox:
    """The results one child has sent so far: each chunk's as soon as it is done, so
    pickling and unpickling overlap the work instead of following it (~0.5 s at 100,000
    files), read without blocking between this process's own chunks."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid, self.fd, self.buffer = pid, fd, bytearray()
        self.broken = False
        os.set_blocking(fd, False)
        with contextlib.suppress(AttributeError, OSError):  # room for ~16 chunks' results
            import fcntl

            fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)

    def frames(self, *, wait: bool) -> list[tuple[int, Any]]:
        """The complete results received; with `wait`, everything until the child ends."""
        if wait:
            os.set_blocking(self.fd, True)
        while True:
            try:
                more = os.read(self.fd, 1 << 20)
            except BlockingIOError:
                break
            if not more:
                break
            self.buffer += more
        found: list[tuple[int, Any]] = []
        view, at = memoryview(self.buffer), 0
        try:
            while not self.broken and len(view) - at >= _LENGTH:
                size = int.from_bytes(view[at : at + _LENGTH], "little")
                if len(view) - at - _LENGTH < size:
                    break  # the rest is still on its way
                found.append(pickle.loads(view[at + _LENGTH : at + _LENGTH + size]))
                at += _LENGTH + size
        except Exception:  # a garbled result: ignore the rest; its chunks are done again
            self.broken = True
        finally:
            view.release()
        del self.buffer[: len(self.buffer) if self.broken else at]
        return found


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
