"""Excel in and out (openpyxl, imported lazily).

Out: one sheet, a bold frozen header row, filters, widths that fit the text (a Han
character counts twice), every cell text (so `1.10` stays `1.10`), neutralised against
formula injection. In: the first sheet; typed cells are read as the text the user saw
(`1.10` shown with two decimals is `1.10`, a date cell is an ISO date).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reqkit.errors import UsageError
from reqkit.interchange.source import Source
from reqkit.interchange.tabular import Mapping_, rows_of, table_source

__all__ = ["read_xlsx", "shown_text", "write_xlsx"]

_DECIMALS = re.compile(r"^[#,0]*0(?:\.(0+))?(%?)$")


def _general(value: float) -> str:
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def shown_text(value: Any, number_format: str = "General") -> str:
    """The text a spreadsheet shows for a typed cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        has_time = value.time() != dt.time()  # a date cell holds midnight
        return value.isoformat() if has_time else value.date().isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        match = _DECIMALS.match(number_format.replace("\\", "").strip())
        if match:
            places = len(match.group(1) or "")
            if match.group(2):
                return f"{value * 100:.{places}f}%"
            return f"{value:,.{places}f}" if "," in number_format else f"{value:.{places}f}"
        return _general(value)
    return str(value)


def read_xlsx(path: Path, *, maps: Mapping_, custom: Mapping[str, Mapping[str, Any]]) -> Source:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise UsageError(f"{path}: not an Excel .xlsx workbook ({type(exc).__name__})") from None
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows()
        try:
            header = [shown_text(c.value) for c in next(rows)]
        except StopIteration:
            raise UsageError(f"{path}: the first sheet is empty, expected a header row") from None
        numbered = []
        for cells in rows:
            if not cells:
                continue
            numbered.append((cells[0].row, [shown_text(c.value, c.number_format) for c in cells]))
    finally:
        book.close()
    return table_source(header, numbered, maps=maps, custom=custom)


def _width(text: str) -> int:
    longest = max(
        (
            len(line) + sum(unicodedata.east_asian_width(ch) in "WF" for ch in line)
            for line in text.split("\n")
        ),
        default=0,
    )
    return longest


def write_xlsx(items: Sequence[Mapping[str, Any]], *, headers: str = "fields") -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    head, body = rows_of(items, headers=headers)
    book = Workbook()
    sheet = book.active
    sheet.title = "Requirements"
    sheet.append(head)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(body, start=2):
        for c, text in enumerate(row, start=1):
            if ILLEGAL_CHARACTERS_RE.search(text):
                rid = row[0] if row else "?"
                raise UsageError(
                    f"{rid}: a control character in column {head[c - 1]} cannot be stored in Excel"
                )
            cell = sheet.cell(row=r, column=c)
            cell.value = text
            cell.data_type = "s"
            if "\n" in text:
                cell.alignment = wrap
    for c, name in enumerate(head, start=1):
        widest = max([_width(name), *(_width(row[c - 1]) for row in body)])
        sheet.column_dimensions[get_column_letter(c)].width = min(max(widest + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(head))}{len(body) + 1}"
    out = io.BytesIO()
    book.save(out)
    return _stable_zip(out.getvalue())


def _stable_zip(blob: bytes) -> bytes:
    """The same workbook bytes for the same requirements: fixed times inside the zip."""
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"<dcterms:(created|modified)([^>]*)>[^<]*<",
                    rb"<dcterms:\1\2>2000-01-01T00:00:00Z<",
                    data,
                )
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, data)
    return out.getvalue()
