"""CSV in and out: UTF-8 (a BOM is written so Excel opens Chinese text right)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reqkit.errors import UsageError
from reqkit.interchange.source import Source
from reqkit.interchange.tabular import Mapping_, rows_of, table_source

__all__ = ["read_csv", "write_csv"]


def read_csv(path: Path, *, maps: Mapping_, custom: Mapping[str, Mapping[str, Any]]) -> Source:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes every byte string
        raise UsageError(f"{path}: not UTF-8 text")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # from the header row: cells may hold anything
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as exc:
        raise UsageError(f"{path}: not valid CSV (line {reader.line_num}: {exc})") from None
    if not rows:
        raise UsageError(f"{path}: empty file, expected a header row")
    numbered = []
    line = 2
    for cells in rows[1:]:
        numbered.append((line, cells))
        line += 1
    return table_source(rows[0], numbered, maps=maps, custom=custom)


def write_csv(items: Sequence[Mapping[str, Any]], *, headers: str = "fields") -> bytes:
    head, body = rows_of(items, headers=headers)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows(body)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
