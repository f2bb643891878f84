"""Spreadsheet rows (CSV or Excel) → incoming requirements, and requirements → rows.

Headers are field names, the seed template's Chinese or English headers, or whatever
`--map "Header=field"` says; `--map "field:Value=value"` translates values. Columns that
name no field become custom string fields when their name can be a field name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reqkit.errors import UsageError
from reqkit.interchange.columns import (
    EN_FOR_FIELD,
    FIELD_COLUMNS,
    LIST_COLUMNS,
    SEED_COLUMNS,
    ZH_FOR_FIELD,
    columns_for,
    flatten,
    header_field,
    neutralise,
    restore,
    unflatten,
)
from reqkit.interchange.source import Incoming, Source

__all__ = ["Mapping_", "parse_maps", "rows_of", "table_source"]

Mapping_ = tuple[dict[str, str], dict[str, dict[str, str]]]
_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


def parse_maps(maps: Sequence[str]) -> Mapping_:
    """`Header=field` column maps and `field:Value=value` value maps."""
    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for text in maps:
        left, sep, right = text.rpartition("=")
        if not sep or not left.strip():
            raise UsageError(f'--map expects "Header=field" or "field:Value=value", got {text!r}')
        if ":" in left and left.split(":", 1)[0].strip() in (*FIELD_COLUMNS, "type"):
            name, _, value = left.partition(":")
            values.setdefault(name.strip(), {})[value.strip()] = right.strip()
        else:
            columns[left.strip()] = right.strip() or "-"
    return columns, values


def _custom_name(header: str) -> str | None:
    name = re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")
    return name if _FIELD_NAME.match(name) else None


def table_source(
    header: Sequence[str],
    rows: Iterable[tuple[int, Sequence[str]]],
    *,
    maps: Mapping_,
    custom: Mapping[str, Mapping[str, Any]],
) -> Source:
    """Rows (numbered as the spreadsheet shows them) → a Source for the import plan."""
    columns, values = maps
    known = {*FIELD_COLUMNS, *custom}
    source = Source()
    fields: list[str | None] = []
    for text in header:
        name = header_field(text, columns, known) if text.strip() else None
        if name == "-":
            name = None
        elif name is None and text.strip():
            name = _custom_name(text)
            if name is None:
                source.notes.append(
                    f"column {text.strip()!r} is not imported: name its field with "
                    f'--map "{text.strip()}=FIELD"'
                )
            elif name not in custom:
                source.fields[name] = {"type": "string"}
                source.notes.append(f"column {text.strip()!r} becomes the custom field {name}")
        fields.append(name)
    if "id" not in fields:
        source.notes.append("no ID column: each row gets the next free ID")
    for number, cells in rows:
        record: dict[str, str] = {}
        for name, cell in zip(fields, cells, strict=False):
            if name is None:
                continue
            text = restore(cell)
            if name in values:
                text = values[name].get(text.strip(), text)
            if name in record and record[name] and text:
                if name in LIST_COLUMNS or name == "tags":
                    text = f"{record[name]}; {text}"
                else:
                    continue
            record[name] = text if text or name not in record else record[name]
        if not any(record.values()):
            continue
        source.items.append(Incoming(f"row {number}", unflatten(record, custom)))
    return source


def rows_of(
    items: Sequence[Mapping[str, Any]], *, headers: str = "fields"
) -> tuple[list[str], list[list[str]]]:
    """Requirements → (header row, rows of neutralised cell text)."""
    flat = [flatten(data) for data in items]
    cols = columns_for(flat)
    if headers in ("zh", "en"):
        seed = [c for c in SEED_COLUMNS if c in cols or c in ("id", "title", "description")]
        cols = seed + [c for c in cols if c not in seed]
        names = ZH_FOR_FIELD if headers == "zh" else EN_FOR_FIELD
        head = [names.get(c, c) for c in cols]
    else:
        head = list(cols)
    body = [[neutralise(row.get(c, "")) for c in cols] for row in flat]
    return head, body
