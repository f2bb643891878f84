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

try:  # pragma: no cover - the package is a dependency; guard for odd platforms
    import yaml_rs
except ImportError:  # pragma: no cover
    yaml_rs = None  # type: ignore[assignment]

__all__ = ["fast_load"]

# Anything that could be an anchor, alias or tag, a directive, a second document or a tab.
_RISKY = re.compile(r"(?:^|[\s\[\]{},])[&*!]|^%|^---|^\.\.\.|\t", re.MULTILINE)
_RISKY_CHARS = ("&", "*", "!", "%", "\t", "---", "...")
# Characters PyYAML refuses (controls, surrogates) or reads differently from YAML 1.2:
# NEL, LINE and PARAGRAPH SEPARATOR are line breaks in YAML 1.1; a BOM is a stream mark.
_ODD_CHAR = re.compile(
    "[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
# Flow collections, where YAML 1.1 (libyaml) and 1.2 disagree in many corners (`[?a]`,
# `[a:]`, `{a\n b: c}`, `[|]`): only a one-line list of plain words or quoted strings, or
# an empty mapping, is trusted. A `[` or `{` where a node may start must open one.
_FLOW_ITEM = r"""(?:[^\s\-?:,\[\]{}#&*!|>'"%@`][^:,\[\]{}#\r\n]*?|'(?:[^'\r\n]|'')*'|"(?:[^"\\\r\n]|\\[^\r\n])*")"""
_SIMPLE_FLOW = re.compile(
    rf"(?:\[ *(?:{_FLOW_ITEM} *(?:, *{_FLOW_ITEM} *)*)?\]|\{{ *\}}) *(?:#[^\r\n]*)?\r?$",
    re.MULTILINE,
)
# The usual one, `[202405-001, 202405-002]` at the end of its line, matched first: four
# times faster, and every text it matches _SIMPLE_FLOW matches too (a test holds it to that).
_ID_LIST = re.compile(r"\[[\w.][\w.-]*(?:, [\w.][\w.-]*)*\] *\r?$", re.MULTILINE | re.ASCII)
# The end of a line that may hold a block scalar header (`|`, `>`, with indicators).
_BLOCK_HEADER_END = re.compile(r"[|>]([0-9+-]*)[ ]*(?:#[^\n]*)?$", re.MULTILINE)
# A non-blank line indented at most n spaces (n < 64), and any non-blank line.
_LINE_AT_MOST_MAX = 64  # compiled when first needed: 64 patterns cost ~5 ms at import


@functools.cache
def _line_at_most(n: int) -> re.Pattern[str]:
    return re.compile(rf"\n {{0,{n}}}[^ \n]")


_NON_BLANK_LINE = re.compile(r"\n *[^ \n]")

# Deep nesting: yaml-rs recurses and overflows the stack (a crash) near 10,000 levels.
# Block nesting takes indentation or a `- `/`? ` per level, so a line's prefix bounds it
# (a line may also start after a lone CR). The first line is matched on its own: faster.
_DEEP_PREFIX = re.compile(r"[ ?:-]{64}")
_DEEP_LINE = re.compile(r"[\n\r][ ?:-]{64}")

# The same two judgements on the UTF-8 bytes, at memory speed (the regular expressions
# above cost ~80 instructions a character; they stay as the reference the test compares).
# Odd: an ASCII control (tab, CR and LF aside; a tab is risky anyway, see _RISKY), DEL, or
# the UTF-8 of a C1 control, U+2028, U+2029, U+FEFF, U+FFFE or U+FFFF. Deep: a line start
# followed by 64 of ` ?:-`, found as a run of markers after the bytes are mapped.
_ODD_BYTES = bytes(b for b in range(0x20) if b not in (0x0A, 0x0D)) + b"\x7f"
_KEEP_ODD = bytes(b for b in range(256) if b not in _ODD_BYTES)
_C1 = re.compile(b"\xc2[\x80-\x9f]")
_NEST_MAP = bytes(0x61 if b in b" ?:-" else 0x0A if b in b"\n\r" else 0x62 for b in range(256))
_DEEP_RUN = b"\n" + b"a" * 64


def _odd_or_deep(text: str) -> bool:
    """A character PyYAML refuses or reads as a break, or a line nested 64 levels deep."""
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return True
    if raw.translate(None, _KEEP_ODD):
        return True
    if not text.isascii() and (
        "\u2028" in text  # searched in the text: a search for one character is
        or "\u2029" in text  # several times faster than for its three UTF-8 bytes
        or "\ufeff" in text
        or "\ufffe" in text
        or "\uffff" in text
        or (b"\xc2" in raw and _C1.search(raw))
    ):
        return True
    return _DEEP_RUN in b"\n" + raw.translate(_NEST_MAP)


# PyYAML's implicit resolvers (yaml/resolver.py of PyYAML 6), copied so that a clean tree
# never imports PyYAML (~15 ms of every cold check): tag, pattern, first characters.
# tests/loader/test_fast_differential.py holds this table to PyYAML's own.
_RESOLVERS: tuple[tuple[str, str, int, str], ...] = (
    (
        "tag:yaml.org,2002:bool",
        r"""^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$""",
        re.X,
        "yYnNtTfFoO",
    ),
    (
        "tag:yaml.org,2002:float",
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$""",
        re.X,
        "-+0123456789.",
    ),
    (
        "tag:yaml.org,2002:int",
        r"""^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$""",
        re.X,
        "-+0123456789",
    ),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", 0, "<"),
    (
        "tag:yaml.org,2002:null",
        r"""^(?: ~
                    |null|Null|NULL
                    | )$""",
        re.X,
        "~nN",  # and the empty string, added below
    ),
    (
        "tag:yaml.org,2002:timestamp",
        r"""^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]
                    |[0-9][0-9][0-9][0-9] -[0-9][0-9]? -[0-9][0-9]?
                     (?:[Tt]|[ \t]+)[0-9][0-9]?
                     :[0-9][0-9] :[0-9][0-9] (?:\.[0-9]*)?
                     (?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$""",
        re.X,
        "0123456789",
    ),
    ("tag:yaml.org,2002:value", r"^(?:=)$", 0, "="),
    ("tag:yaml.org,2002:yaml", r"^(?:!|&|\*)$", 0, "!&*"),
)


def _by_first() -> dict[str, list[re.Pattern[str]]]:
    """The non-string resolvers by the first character they can match, in PyYAML's order."""
    table: dict[str, list[re.Pattern[str]]] = {}
    for _tag, pattern, flags, firsts in _RESOLVERS:
        compiled = re.compile(pattern, flags)
        for first in firsts:
            table.setdefault(first, []).append(compiled)
    return table


_BY_FIRST = _by_first()
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
    if kind is dt.date:
        return id(value) in dates_ok
    if kind is dt.datetime:
        # It may have been quoted: yaml-rs reads `"… +8:00"` as a date-time where PyYAML
        # keeps text that the ISO normaliser refuses. Only the reference may judge.
        return False
    if depth > 32:
        return False  # deep nesting: let the reference reader judge it
    if kind is dict:
        return _mapping_agrees(value, dates_ok, depth + 1)
    if kind is list:
        return all(_other_agrees(item, dates_ok, depth + 1) for item in value)
    return False  # numbers: YAML 1.1 and 1.2 disagree on some spellings


def _flows_simple(text: str) -> bool:
    """Every `[` or `{` that may open a flow collection opens a simple one-line list."""
    for opener in "[{":
        at = text.find(opener)
        while at >= 0:
            line = max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1
            before = text[line:at].rstrip(" ")
            if (
                (not before or before[-1] in "-?:[{,")
                and not _ID_LIST.match(text, at)
                and not _SIMPLE_FLOW.match(text, at)
            ):
                return False
            at = text.find(opener, at + 1)
    return True


def _block_scalar_at_end(text: str) -> bool:
    """True when a block scalar that may run to the end of the file ends it riskily.

    There the readers disagree on the final line breaks: no line break at the end of the
    file, keep chomping (`|+`), or no content at all (`description: |` as the last line).
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    ends_with_break = text.endswith("\n")
    for indicator in "|>":
        at = text.find(indicator)
        while at >= 0:
            header = _BLOCK_HEADER_END.match(text, at)
            if header is not None and _runs_out(text, header, ends_with_break):
                return True
            at = text.find(indicator, at + 1)
    return False


def _runs_out(text: str, header: re.Match[str], ends_with_break: bool) -> bool:
    head = text[text.rfind("\n", 0, header.start()) + 1 : header.start()]
    indent = len(head) - len(head.lstrip(" "))
    # Content lines are indented more than the header's parent; a header alone on its
    # line has a parent further left, so only a line at column 1 surely ends it.
    ends_at = indent if head.strip(" ") else 0
    if ends_at < _LINE_AT_MOST_MAX and _line_at_most(ends_at).search(text, header.end()):
        return False  # a later line is as little indented: the scalar ended before
    return (
        not ends_with_break
        or "+" in header.group(1)
        or not _NON_BLANK_LINE.search(text, header.end())
    )


def fast_load(text: str, date_paths: frozenset[tuple[str, ...]]) -> dict[str, Any] | None:
    """The top-level mapping of `text`, or None when only the reference reader may answer."""
    if yaml_rs is None:
        return None
    if any(chars in text for chars in _RISKY_CHARS) and _RISKY.search(text):
        return None
    if _odd_or_deep(text):
        return None
    if ("[" in text or "{" in text) and not _flows_simple(text):
        return None
    if ("|" in text or ">" in text) and _block_scalar_at_end(text):
        return None
    try:
        data = yaml_rs.loads(text)
    except Exception:
        return None
    if type(data) is not dict or not _agrees(data, date_paths):
        return None
    return data
