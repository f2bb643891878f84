"""The prose of a requirement, for text rules: which fields, and where a phrase stands.

A phrase found at an offset of a parsed value is located in the file by finding the same
occurrence after the value's start, with any run of white space allowed between words, so
it lands on the right line and column inside `|` and `>` block scalars too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from reqkit.checks.patterns import lazy
from reqkit.loader.positions import KeyPath

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

__all__ = ["MARKS", "Prose", "code_blanked", "locate", "lower", "prose", "sentences"]

FIELDS = ("title", "description", "acceptance")

# Where a sentence ends: . ! ? before white space or the end (not ".zip", "2.4" or
# "/etc/x"), 。！？ anywhere, a blank line, or a line break before a Markdown list item or
# heading. A single line break is not an end: `|` block scalars wrap sentences over lines.
_END = lazy(
    r"[.!?]+[\"'’”)\]]*(?=\s|\Z)"
    r"|[。！？]+[”’」』）]*"
    r"|\n[ \t]*\n"
    r"|\n(?=[ \t]*(?:[-*+][ \t]|\d+[.)、][ \t]|#))"
)
# "e.g. the admin" does not end a sentence.
_ABBREVIATION = lazy(
    r"(?<![\w.])(?:e\.g|i\.e|vs|approx|incl|cf|fig|no|nos|esp|resp|min|max)\.\Z", re.IGNORECASE
)


class Prose(NamedTuple):
    """One string of a requirement's text, with what the rules look it up by."""

    field: str  # title | description | acceptance
    path: KeyPath
    text: str  # as written: messages quote it, `locate` finds it in the file
    prose: str  # the text with Markdown code (`x`, fenced blocks) blanked out, same offsets
    low: str  # `prose` lower-cased, offsets unchanged: what case-blind rules scan
    words: frozenset[str]  # its Latin words, lower-cased: rules skip text without their words
    chars: frozenset[str]  # its characters, lower-cased (without Han: only those in MARKS)
    han: bool  # it holds a Han character (or another character past U+3400)


def lower(text: str) -> str:
    """The text lower-cased, offsets unchanged (a letter whose lower case is longer stays)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class _Memo:
    """The parts of the entry being checked: every rule reads them, build them once."""

    entry: object = None
    data: object = None
    parts: dict[tuple[str, ...], tuple[Prose, ...]] = {}  # noqa: RUF012


def prose(entry: Entry, fields: tuple[str, ...] = FIELDS) -> tuple[Prose, ...]:
    """The strings of `fields` (list items one by one), in that order."""
    data = entry.data or {}
    if _Memo.entry is not entry or _Memo.data is not data:
        _Memo.entry, _Memo.data = entry, data
        _Memo.parts = {FIELDS: tuple(_parts(data, FIELDS))}
    found = _Memo.parts.get(fields)
    if found is None:
        every = _Memo.parts[FIELDS] if set(fields) <= set(FIELDS) else tuple(_parts(data, fields))
        found = _Memo.parts[fields] = tuple(p for name in fields for p in every if p.field == name)
    return found


_WORD_BYTES = bytes(c if 0x61 <= c <= 0x7A else 0x20 for c in range(256))
_CJK = lazy(r"[^\x00-\u33ff]")


#: Markdown code: a fenced block (``` or ~~~, to its closing fence or the end), or a code
#: span (a run of backticks to the next run of the same length).
_CODE = lazy(
    r"^[ \t]*(?P<fence>```+|~~~+)[^\n]*(?:\n.*?(?:\n[ \t]*(?P=fence)[^\n]*|\Z)|\Z)"
    r"|(?P<ticks>`+)(?!`).*?(?<!`)(?P=ticks)(?!`)",
    re.MULTILINE | re.DOTALL,
)


def code_blanked(text: str) -> str:
    """The text with Markdown code replaced by spaces (line breaks kept): commands, paths
    and identifiers in code are not prose, and offsets stay those of the text."""
    if "`" not in text and "~~~" not in text:
        return text
    return _CODE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)


#: The characters below U+3400 that a text rule looks for before it scans (its gate):
#: text without a Han character keeps only these in `Prose.chars`, which is much cheaper
#: than the set of all its characters. tests/checks/test_lint_gates.py holds the rules to it.
MARKS = "%/?"
_NO_CHARS: frozenset[str] = frozenset()


def _prose(name: str, path: KeyPath, text: str) -> Prose:
    plain = code_blanked(text)
    low = lower(plain)
    han = not plain.isascii() and _CJK.search(plain) is not None
    # Its runs of a-z, as `[a-z]+` would find them, at C speed: every other byte of the
    # UTF-8 text (multi-byte characters are bytes >= 0x80) becomes a space.
    words = frozenset(low.encode("utf-8", "surrogatepass").translate(_WORD_BYTES).decode().split())
    if han:
        chars = frozenset(low)
    elif "%" in low or "/" in low or "?" in low:  # = MARKS (a test holds them equal)
        chars = frozenset(c for c in MARKS if c in low)
    else:
        chars = _NO_CHARS
    return Prose(name, path, text, plain, low, words, chars, han)


def _parts(data: dict[str, object], fields: tuple[str, ...]) -> Iterator[Prose]:
    for name in fields:
        value = data.get(name)
        if isinstance(value, str):
            yield _prose(name, (name,), value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield _prose(name, (name, index), item)


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) pairs, leading white space skipped, the end mark kept."""
    start = 0
    for m in _END.finditer(text):
        if m.group()[0] == "." and _ABBREVIATION.search(text, 0, m.start() + 1):
            continue
        yield from _sentence(text, start, m.end())
        start = m.end()
    yield from _sentence(text, start, len(text))


def _sentence(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    chunk = text[start:end]
    stripped = chunk.lstrip()
    if stripped.strip():
        yield start + len(chunk) - len(stripped), stripped


def _offset(text: str, line: int, column: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos + column - 1


_KEY_LINE: dict[str, re.Pattern[str]] = {}


def _anchor(entry: Entry, part: Prose, text: str) -> tuple[int, int] | None:
    """Where to start searching, and how many matches to skip before `part`, found
    cheaply: after the field's top-level key, which must stand once at the start of a line.
    None when the file is not that simple (then the reference reader says where)."""
    key = _KEY_LINE.get(part.field)
    if key is None:
        key = _KEY_LINE[part.field] = re.compile(rf"^{re.escape(part.field)}[ \t]*:", re.M)
    found = key.findall(text)
    if len(found) != 1:
        return None
    m = key.search(text)
    assert m is not None
    if len(part.path) == 1:
        return m.end(), 0
    items = (entry.data or {}).get(part.field)
    index = part.path[1]
    if not isinstance(items, list) or not isinstance(index, int):
        return None
    if not all(isinstance(item, str) for item in items[:index]):
        return None
    return m.end(), index


def locate(entry: Entry, part: Prose, start: int, end: int) -> tuple[int, int]:
    """1-based (line, column) in the file of `part.text[start:end]`.

    The phrase is searched word by word with any white space between words (a `>` scalar
    folds line breaks into spaces, a `|` scalar drops the indentation), and the n-th match
    after the value's start is taken, n counted the same way in the parsed text. The value's
    start is the field's key line when that is unambiguous (no second parse of the file),
    else the position the reference reader gives.
    """
    text = entry.source()
    phrase = part.text[start:end]
    words = phrase.split()
    if not text or not words:
        return entry.positions().value(part.path)
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    at = start + len(phrase) - len(phrase.lstrip())
    nth = sum(1 for m in pattern.finditer(part.text) if m.start() < at)
    anchor = None if entry.file.positions is not None else _anchor(entry, part, text)
    if anchor is not None:
        offset, before = anchor
        items = (entry.data or {})[part.field]
        nth += sum(len(pattern.findall(item)) for item in items[:before]) if before else 0
    else:
        offset = _offset(text, *entry.positions().value(part.path))
    for i, m in enumerate(pattern.finditer(text, offset)):
        if i == nth:
            line = text.count("\n", 0, m.start()) + 1
            return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return entry.positions().value(part.path)
