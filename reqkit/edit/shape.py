"""A cheap test that `fmt` would leave a file as it is, so `fmt` on 10,000 tidy files
does not pay for 10,000 ruamel round trips. When unsure it answers False."""

from __future__ import annotations

import re

from reqkit.edit.canonical import KEY_ORDER, NESTED_ORDER

__all__ = ["looks_canonical"]

_KEY_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_.-]*):(?:[ ]+(.*))?$")
_BLOCK_START = re.compile(r"[|>][-+0-9]*\s*(#.*)?$")


def looks_canonical(text: str, *, modeline: str) -> bool:
    """A cheap test that `format_text` would leave `text` as it is: modeline, key order
    and two-space nesting. When unsure it says False and ruamel decides."""
    lines = text.split("\n")
    if lines[0] != modeline or "\t" in text or "\r" in text:
        return False
    top: list[str] = []
    nested: dict[str, list[str]] = {}
    parent: tuple[int, str] | None = None  # (indent, key) of a line that opens a collection
    block: int | None = None  # indent of the line that opened a block scalar
    current = ""
    for line in lines[1:]:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block is not None:
            if not stripped or indent > block:
                continue
            block = None
        if not stripped or stripped.startswith("#"):
            continue
        if parent is not None:
            if indent != parent[0] + 2:
                return False
            parent = None
        item = stripped.startswith("- ")
        body = stripped[2:] if item else stripped
        if item:
            if indent == 0 or _KEY_LINE.match(body):
                return False
            value: str | None = body
        else:
            match = _KEY_LINE.match(body)
            if match is None:
                return False
            key, value = match.group(1), match.group(2)
            if indent == 0:
                top.append(key)
                current = key
            elif indent == 2 and current in NESTED_ORDER:
                nested.setdefault(current, []).append(key)
            if value is None or value.startswith("#"):
                parent = (indent, key)
                continue
        if value is not None and _BLOCK_START.match(value):
            block = indent
    return top == _sorted_keys(top, KEY_ORDER) and all(
        keys == _sorted_keys(keys, NESTED_ORDER[name]) for name, keys in nested.items()
    )


def _sorted_keys(keys: list[str], order: tuple[str, ...]) -> list[str]:
    return sorted(keys, key=lambda k: (order.index(k), "") if k in order else (len(order), k))
