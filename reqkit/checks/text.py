"""The prose of a requirement, for text rules: which fields, and where a phrase stands.

A phrase found at an offset of a parsed value is located in the file by finding the same
occurrence after the value's start, with any run of white space allowed between words, so
it lands on the right line and column inside `|` and `>` block scalars too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reqkit.loader.positions import KeyPath

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

__all__ = ["Prose", "locate", "prose", "sentences"]

FIELDS = ("title", "description", "acceptance")
_SENTENCE = re.compile(r"[^.!?。！？\n]+(?:[.!?。！？]+|\n|$)")


@dataclass(frozen=True, slots=True)
class Prose:
    field: str  # title | description | acceptance
    path: KeyPath
    text: str


def prose(entry: Entry, fields: tuple[str, ...] = FIELDS) -> Iterator[Prose]:
    data = entry.data or {}
    for name in fields:
        value = data.get(name)
        if isinstance(value, str):
            yield Prose(name, (name,), value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    yield Prose(name, (name, index), item)


def sentences(text: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) pairs; a sentence ends at . ! ? 。！？ or a line end."""
    for m in _SENTENCE.finditer(text):
        if m.group().strip():
            yield m.start(), m.group()


def _offset(text: str, line: int, column: int) -> int:
    pos = 0
    for _ in range(line - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos + column - 1


def locate(entry: Entry, part: Prose, start: int, end: int) -> tuple[int, int]:
    """1-based (line, column) in the file of `part.text[start:end]`."""
    positions = entry.positions()
    vline, vcol = positions.value(part.path)
    text = entry.source()
    phrase = part.text[start:end]
    words = phrase.split()
    if not text or not words:
        return vline, vcol
    nth = part.text.count(phrase, 0, start)
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words))
    for i, m in enumerate(pattern.finditer(text, _offset(text, vline, vcol))):
        if i == nth:
            line = text.count("\n", 0, m.start()) + 1
            return line, m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
    return vline, vcol
