"""A fast first pass with yaml-rs, trusted only where it must agree with PyYAML.

yaml-rs reads YAML 1.2 and PyYAML reads 1.1, and yaml-rs expands aliases, ignores
unknown tags and gives no positions. So it answers only for files where none of that can
matter; `None` sends a file to the reference reader. A differential test
(tests/loader/test_fast_differential.py) shows that whatever it answers equals the
reference reader's data.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from yaml.resolver import Resolver

try:  # pragma: no cover - the package is a dependency; guard for odd platforms
    import yaml_rs
except ImportError:  # pragma: no cover
    yaml_rs = None

__all__ = ["fast_load"]

# Anything that could be an anchor, alias or tag, a directive, a second document or a tab.
_RISKY = re.compile(r"(?:^|[\s\[\]{},])[&*!]|^%|^---|^\.\.\.|\t", re.MULTILINE)
_RISKY_CHARS = ("&", "*", "!", "%", "\t", "---", "...")
# PyYAML's implicit resolvers, by the first character they can match.
_BY_FIRST: dict[str, list[re.Pattern[str]]] = {
    first: [regexp for tag, regexp in resolvers if tag != "tag:yaml.org,2002:str"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
    if first is not None
}
_BY_FIRST[""] = _BY_FIRST.get("~", [])  # the empty plain scalar is null in YAML 1.1


@functools.lru_cache(maxsize=8192)
def _ambiguous(text: str) -> bool:
    """True when PyYAML would read plain `text` as a non-string but yaml-rs keeps it text.

    Such a string may have been quoted (same in both) or plain (different): undecidable
    without positions, so the file goes to the reference reader.
    """
    if not any(regexp.match(text) for regexp in _BY_FIRST.get(text[:1], ())):
        return False
    try:
        plain = yaml_rs.loads("k: " + text)
    except Exception:
        return True
    return isinstance(plain, dict) and isinstance(plain.get("k"), str)


def _agrees(data: dict[str, Any], date_paths: frozenset[tuple[str, ...]]) -> bool:
    """Every value is one both readers must read alike."""
    dates_ok: set[int] = set()  # quoted or not, a date field means the same date
    for path in date_paths:
        holder: Any = data
        for key in path:
            holder = holder.get(key) if type(holder) is dict else None
        if holder is not None:
            dates_ok.add(id(holder))
    return _mapping_agrees(data, dates_ok, 0)


def _mapping_agrees(data: dict[Any, Any], dates_ok: set[int], depth: int) -> bool:
    first_chars, ambiguous = _BY_FIRST, _ambiguous
    for key, value in data.items():
        if type(key) is not str or (key[:1] in first_chars and ambiguous(key)):
            return False
        kind = type(value)
        if kind is str:
            if value[:1] in first_chars and ambiguous(value):
                return False
        elif kind is list:
            for item in value:
                if type(item) is str:
                    if item[:1] in first_chars and ambiguous(item):
                        return False
                elif not _other_agrees(item, dates_ok, depth):
                    return False
        elif not _other_agrees(value, dates_ok, depth):
            return False
    return True


def _other_agrees(value: Any, dates_ok: set[int], depth: int) -> bool:
    kind = type(value)
    if kind is str:
        return not (value[:1] in _BY_FIRST and _ambiguous(value))
    if value is None or kind is bool:
        return True
    if kind is dt.date or kind is dt.datetime:
        return id(value) in dates_ok
    if depth > 32:
        return False  # deep nesting: let the reference reader judge it
    if kind is dict:
        return _mapping_agrees(value, dates_ok, depth + 1)
    if kind is list:
        return all(_other_agrees(item, dates_ok, depth + 1) for item in value)
    return False  # numbers: YAML 1.1 and 1.2 disagree on some spellings


def fast_load(text: str, date_paths: frozenset[tuple[str, ...]]) -> dict[str, Any] | None:
    """The top-level mapping of `text`, or None when only the reference reader may answer."""
    if yaml_rs is None:
        return None
    if any(chars in text for chars in _RISKY_CHARS) and _RISKY.search(text):
        return None
    try:
        data = yaml_rs.loads(text)
    except Exception:
        return None
    if type(data) is not dict or not _agrees(data, date_paths):
        return None
    return data
