"""Extend the project config with ID patterns and custom fields, keeping every comment.

The only config change `import` makes. TOML is edited as text (no TOML writer is a
dependency): `ids = [...]` is replaced or added among the top-level keys, new fields are
added to the `[fields]` table. The result is parsed again and must equal the wanted
table, or nothing is written and the user gets the lines to add by hand.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reqkit.errors import UsageError

__all__ = ["extend_config_text", "extended_raw", "read_config_text", "toml_value"]


def toml_value(value: Any) -> str:
    """A TOML literal for strings, booleans, numbers, lists and inline tables."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name)


def extended_raw(
    raw: Mapping[str, Any], *, ids: Sequence[str], fields: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    """The config table with `ids` appended (when missing) and `fields` added."""
    out = dict(raw)
    if ids:
        current = raw.get("ids", ["{yyyy}{mm}-{seq:03}"])
        current = [current] if isinstance(current, str) else list(current)
        out["ids"] = current + [i for i in ids if i not in current]
    if fields:
        new = {k: dict(fields[k]) for k in sorted(fields)}  # the order the file gets
        out["fields"] = {**raw.get("fields", {}), **new}
    return out


def extend_config_text(
    text: str,
    *,
    table: str,
    raw: Mapping[str, Any],
    ids: Sequence[str],
    fields: Mapping[str, Mapping[str, Any]],
) -> str:
    """`text` (the config file) with the additions; `table` is "" or "tool.reqkit"."""
    wanted = extended_raw(raw, ids=ids, fields=fields)
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    if ids:
        lines = _set_ids(lines, table, toml_value(wanted["ids"]))
    if fields:
        lines = _add_fields(
            lines, table, {k: fields[k] for k in fields if k not in raw.get("fields", {})}
        )
    out = "".join(lines)
    try:
        got: Any = tomllib.loads(out)
    except tomllib.TOMLDecodeError:
        got = None
    for part in table.split(".") if table else []:
        got = got.get(part, {}) if isinstance(got, dict) else None
    if got != wanted:
        additions = [f"ids = {toml_value(wanted['ids'])}"] if ids else []
        additions += [f"fields.{k} = {toml_value(v)}" for k, v in fields.items()]
        raise UsageError(
            "cannot extend the config automatically; add these by hand, then run import "
            "again: " + "; ".join(additions)
        )
    return out


def _section_bounds(lines: list[str], table: str) -> tuple[int, int] | None:
    """(first line after the header, end) of `[table]`; the top level when table is ""."""
    header = re.compile(r"^\s*\[\s*([^\]]+?)\s*\]\s*(#.*)?$")
    start = 0 if not table else None
    for i, line in enumerate(lines):
        match = header.match(line)
        if match is None or line.lstrip().startswith("[["):
            continue
        if start is not None:
            return start, i
        if match.group(1) == table:
            start = i + 1
    return (start, len(lines)) if start is not None else None


def _set_ids(lines: list[str], table: str, literal: str) -> list[str]:
    bounds = _section_bounds(lines, table)
    if bounds is None:
        raise UsageError(f"no [{table}] table in the config")
    start, end = bounds
    assign = re.compile(r"^\s*ids\s*=")
    for i in range(start, end):
        if assign.match(lines[i]):
            stop = i
            depth = lines[i].count("[") - lines[i].count("]")
            while depth > 0 and stop + 1 < end:
                stop += 1
                depth += lines[stop].count("[") - lines[stop].count("]")
            return [*lines[:i], f"ids = {literal}\n", *lines[stop + 1 :]]
    insert = end
    while insert > start and lines[insert - 1].strip() == "":
        insert -= 1
    return [*lines[:insert], f"ids = {literal}\n", *lines[insert:]]


def _add_fields(lines: list[str], table: str, fields: Mapping[str, Mapping[str, Any]]) -> list[str]:
    if not fields:
        return lines
    name = f"{table}.fields" if table else "fields"
    new = [f"{_key(k)} = {toml_value(v)}\n" for k, v in sorted(fields.items())]
    bounds = _section_bounds(lines, name)
    if bounds is None:
        tail = ["\n"] if lines and lines[-1].strip() else []
        return [*lines, *tail, f"[{name}]\n", *new]
    _, end = bounds
    while end > 0 and lines[end - 1].strip() == "":
        end -= 1
    return [*lines[:end], *new, *lines[end:]]


def read_config_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path.name}: {exc}") from None
