"""Read one requirement file into plain data, positions and file-level problems."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reqkit.loader.positions import Positions
from reqkit.loader.problem import Problem

if TYPE_CHECKING:
    from reqkit.loader.yaml_reference import Parsed

__all__ = [
    "DATE_PATHS",
    "FileData",
    "dates_as_text",
    "decode",
    "holds_date",
    "normalize_dates",
    "parse_bytes",
    "parse_text",
    "read_bytes",
    "read_file",
    "read_files",
    "too_large",
]

# Date fields accept an ISO date quoted or not; both readers normalise them to dates so
# that quoting never changes the data (format.md: "dates quoted or not").
DATE_PATHS: frozenset[tuple[str, ...]] = frozenset(
    {("created",), ("due",), ("source", "received"), ("evaluation", "date"), ("decision", "date")}
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}([T ].+)?$")


@dataclass
class FileData:
    """What one file holds. `data` is None when the file cannot be used at all."""

    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    text: str | None = None
    positions: Positions | None = None  # filled by the reference reader only


def _iso(value: str) -> dt.date | dt.datetime | str:
    if not _ISO.match(value):
        return value
    try:
        if len(value) == 10:
            return dt.date.fromisoformat(value)
        return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value


def normalize_dates(data: dict[str, Any]) -> dict[str, Any]:
    for path in DATE_PATHS:
        holder: Any = data
        for key in path[:-1]:
            holder = holder.get(key) if isinstance(holder, dict) else None
        if isinstance(holder, dict) and isinstance(holder.get(path[-1]), str):
            holder[path[-1]] = _iso(holder[path[-1]])
    return data


def dates_as_text(value: Any) -> Any:
    """The inverse of `normalize_dates` for storage: dates and date-times as ISO text."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [dates_as_text(v) for v in value]
    if isinstance(value, dict):
        return {k: dates_as_text(v) for k, v in value.items()}
    return value


def holds_date(value: Any) -> bool:
    """Whether a date or date-time is anywhere inside: caches keep plain values, and a
    date stored as text would read back as a different value (`title: 2024-05-06`)."""
    if isinstance(value, dict):
        value = value.values()
    elif not isinstance(value, list):
        return isinstance(value, dt.date)
    return any(holds_date(v) for v in value if not isinstance(v, str))


_BOM = b"\xef\xbb\xbf"


def decode(raw: bytes) -> tuple[str | None, Problem | None]:
    """UTF-8 text (a BOM is fine), or the problem that stops it being read."""
    if b"\x00" in raw:
        return None, Problem("RK006", 1, 1, "binary file (NUL bytes): not a YAML text file")
    bom = len(_BOM) if raw.startswith(_BOM) else 0
    try:  # the BOM cut here: the `utf-8-sig` codec is Python-level, a third of the decoding
        text = raw[bom:].decode()
    except UnicodeDecodeError as exc:
        at = bom + exc.start  # counted from after the BOM
        line = raw.count(b"\n", 0, at) + 1
        column = len(raw[max(bom, raw.rfind(b"\n", 0, at) + 1) : at].decode("utf-8", "replace"))
        return None, Problem(
            "RK006", line, column + 1, f"not UTF-8 (byte 0x{raw[at]:02x}); save as UTF-8"
        )
    return text, None


def _from_reference(parsed: Parsed, text: str) -> FileData:
    problems = list(parsed.problems)
    data = parsed.data
    if not problems:
        if data is None or (parsed.documents == 0):
            problems.append(
                Problem("RK007", 1, 1, "empty file: a requirement needs at least id and title")
            )
        elif not isinstance(data, dict):
            kind = "a list" if isinstance(data, list) else "a single value"
            problems.append(
                Problem("RK008", 1, 1, f"the top level is {kind}, not a mapping of fields")
            )
    usable = isinstance(data, dict) and not problems
    return FileData(normalize_dates(data) if usable else None, problems, text, parsed.positions)


def too_large(size: int, max_size: int) -> FileData:
    message = f"file is {size:,} bytes, over the {max_size:,}-byte limit; not read"
    return FileData(None, [Problem("RK009", 1, 1, message)])


def read_bytes(path: str | Path, size: int) -> bytes:
    """The whole file, in one `read` when it still has the `size` that `stat` gave.

    Plain `os.read` on a descriptor: `open()` builds a buffered file object around it,
    a quarter of the cost of reading a small requirement file.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        raw = os.read(fd, size + 1)
        if len(raw) <= size:  # a short read of a regular file is its end
            return raw
        parts = [raw]  # it grew since `stat`
        while more := os.read(fd, 1 << 16):
            parts.append(more)
        return b"".join(parts)
    finally:
        os.close(fd)


def read_file(path: str | Path, *, max_size: int, size: int | None = None) -> FileData:
    """Read and parse one file; never raises for what the file contains.

    `size`: what a `stat` of this run already gave (the file is not stat'ed again)."""
    try:
        if size is None:
            size = os.stat(path).st_size
        if size > max_size:
            return too_large(size, max_size)
        raw = read_bytes(path, size)
    except OSError as exc:
        return FileData(None, [Problem("RK006", 1, 1, f"cannot read file: {exc.strerror}")])
    return parse_bytes(raw)


def read_files(paths: list[str], *, max_size: int) -> list[FileData]:
    """`read_file` of each path, in order, on every core when there are many.

    What crosses back from a worker is the parsed data, problems, text and positions;
    pickled, they cost a few percent of the parsing they spare.
    """
    from reqkit.loader.bulk import paused_gc
    from reqkit.loader.forked import FILES_AT_LEAST, FILES_PER_CHUNK, chunked, jobs_for, map_forked

    def work(chunk: Sequence[str]) -> list[FileData]:
        return [read_file(Path(p), max_size=max_size) for p in chunk]

    chunks = chunked(paths, FILES_PER_CHUNK, taper=True)
    with paused_gc():
        if chunks:
            from reqkit.loader import yaml_fast  # noqa: F401  # imported once, before a fork
        done = map_forked(work, chunks, jobs_for(len(paths), at_least=FILES_AT_LEAST))
    return [fd for part in done for fd in part]


def parse_bytes(raw: bytes) -> FileData:
    """Decode and parse the bytes of one file (size already checked)."""
    text, problem = decode(raw)
    if problem is not None or text is None:
        return FileData(None, [problem] if problem else [])
    return parse_text(text)


def parse_text(text: str) -> FileData:
    """Parse with the fast reader where it may answer, else with the reference reader."""
    from reqkit.loader.yaml_fast import fast_load  # lazy: a warm check never parses YAML

    data = fast_load(text, DATE_PATHS)
    if data is not None:
        return FileData(normalize_dates(data), [], text)
    from reqkit.loader.yaml_reference import parse_reference  # PyYAML: only when needed

    return _from_reference(parse_reference(text), text)
