"""JSON in and out: a list of requirement objects, fields as in the files, sorted by ID."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from reqkit.edit.canonical import KEY_ORDER
from reqkit.errors import UsageError
from reqkit.interchange.source import Incoming, Source
from reqkit.loader.files import dates_as_text

BUILTIN = frozenset(KEY_ORDER)
FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

__all__ = ["read_json", "write_json"]


def write_json(items: Sequence[Mapping[str, Any]]) -> bytes:
    ordered = sorted(items, key=lambda d: str(d.get("id", "")))
    text = json.dumps([dates_as_text(dict(d)) for d in ordered], ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")


def read_json(path: Path, *, custom: Mapping[str, Mapping[str, Any]] | None = None) -> Source:
    try:
        value = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if isinstance(value, dict) and isinstance(value.get("requirements"), list):
        value = value["requirements"]
    if not isinstance(value, list):
        raise UsageError(f"{path}: expected a list of requirement objects")
    source = Source()
    for i, item in enumerate(value, start=1):
        label = f"item {i}"
        if not isinstance(item, dict):
            source.items.append(Incoming(label, {}, problem="not an object"))
            continue
        source.items.append(Incoming(label, dict(item)))
        for key, v in item.items():
            if key not in BUILTIN and key not in (custom or {}) and FIELD_NAME.match(key):
                source.fields.setdefault(key, {"type": _json_type(v)})
    return source


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"
