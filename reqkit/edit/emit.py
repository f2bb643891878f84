"""A small, fast emitter for the canonical form of a *new* requirement file.

ruamel.yaml's emitter costs ~10 ms a file, too slow for importing thousands of rows.
The shape of a requirement is simple (a mapping of scalars, one level of nested
mappings, lists of scalars), so the layout is written here and each scalar by
PyYAML's C emitter, which picks plain or quoted style correctly. `canonical.render`
reads every result back and falls back to ruamel when anything would not survive.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["emit", "scalar_text"]

_SIMPLE_ITEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_UNBLOCKABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]|[ \t]\n|\r")
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_DUMPER: Any = None


class Unsupported(Exception):
    """A value this emitter does not lay out (the caller uses ruamel instead)."""


def _dumper() -> Any:
    global _DUMPER
    if _DUMPER is None:
        import yaml

        _DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return _DUMPER


def implicit_non_text(value: str) -> bool:
    """True when plain YAML would read `value` as a number, boolean, date or null."""
    from yaml.nodes import ScalarNode
    from yaml.resolver import Resolver

    tag = Resolver().resolve(ScalarNode, value, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag != "tag:yaml.org,2002:str")


def scalar_text(value: Any) -> str:
    """One scalar on one line, quoted only as needed (`"1.10"` double-quoted)."""
    import yaml

    if isinstance(value, dt.datetime):
        return f'"{value.isoformat()}"'
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is None or isinstance(value, bool | int | float):
        text = yaml.dump(value, Dumper=_dumper())
    elif isinstance(value, str):
        style = '"' if implicit_non_text(value) or "\n" in value else None
        text = yaml.dump(
            value, Dumper=_dumper(), default_style=style, width=2**30, allow_unicode=True
        )
    else:
        raise Unsupported(type(value).__name__)
    return text.removesuffix("\n...\n").rstrip("\n")


def _block(value: str, pad: str) -> list[str] | None:
    """A literal block (`|`, `|-`, `|+`) for multi-line text, or None if it cannot carry it."""
    if _UNBLOCKABLE.search(value) or value[:1] in (" ", "\t") or not value.strip("\n"):
        return None
    if value.endswith("\n\n"):
        chomp, lines = "+", value.split("\n")[:-1]
    elif value.endswith("\n"):
        chomp, lines = "", value[:-1].split("\n")
    else:
        chomp, lines = "-", value.split("\n")
    return [f"|{chomp}", *(f"{pad}{line}" if line else "" for line in lines)]


def _value_lines(key: str, value: Any, indent: int) -> list[str]:
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            return [f"{pad}{key}: {{}}"]
        out = [f"{pad}{key}:"]
        for k, v in value.items():
            if not isinstance(k, str) or not _KEY.fullmatch(k):
                raise Unsupported(f"key {k!r}")
            out.extend(_value_lines(k, v, indent + 2))
        return out
    if isinstance(value, list):
        if not value:
            return [f"{pad}{key}: []"]
        if all(
            isinstance(v, str) and _SIMPLE_ITEM.match(v) and not implicit_non_text(v) for v in value
        ):
            return [f"{pad}{key}: [{', '.join(value)}]"]
        out = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict | list):
                raise Unsupported("nested collection in a list")
            block = _block(item, pad + "    ") if isinstance(item, str) and "\n" in item else None
            if block is not None:
                out.append(f"{pad}  - {block[0]}")
                out.extend(block[1:])
            else:
                out.append(f"{pad}  - {scalar_text(item)}")
        return out
    if isinstance(value, str) and "\n" in value:
        block = _block(value, pad + "  ")
        if block is not None:
            return [f"{pad}{key}: {block[0]}", *block[1:]]
    return [f"{pad}{key}: {scalar_text(value)}"]


def emit(data: dict[str, Any]) -> str:
    """The YAML text of `data` (keys in the order given), two-space indentation."""
    lines: list[str] = []
    for key, value in data.items():
        if not isinstance(key, str) or not _KEY.fullmatch(key):
            raise Unsupported(f"key {key!r}")
        lines.extend(_value_lines(key, value, 0))
    return "\n".join(lines) + "\n"
