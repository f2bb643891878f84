"""The shared machinery of the text rules (RK2xx): word tries, gated scans, reports.

Drawn from the INCOSE Guide for Writing Requirements, NASA's ARM indicators and EARS.
Rules read `title`, `description` and `acceptance` and report the offending words at
their line and column inside the block scalar. Chinese rules match words, not
characters: precise patterns keep 等 in 等待, 应 in 应用 or 响应 and 最 in 最近 out
(no segmenter: jieba's dictionary load alone would cost more than a whole warm check).

Markdown code (`reqkit/reqkit@v1`, fenced blocks) is not prose: rules skip it.
English words are matched whole: a Latin letter, digit, `_` or `-` next to them makes
another word, a Han character does not (`支持TBD格式` holds the placeholder `TBD`).

Speed: every file of a tree is linted on a cold check, so the patterns are written for
`re`'s fast scan. They run case-sensitively on the lower-cased text (same length, same
offsets), each alternative starts with a literal character and checks the word boundary
just after it (`f(?<![a-z0-9_-].)ast`), and English word lists are compiled as a trie. A
text is scanned only when it could match: it holds a word of one of the rule's English
phrases, or the first character of one of its other forms (待, 等, ?, a slash, 被).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext
from reqkit.checks.patterns import lazy
from reqkit.checks.text import Prose, locate, prose
from reqkit.diagnostics import Diagnostic

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

__all__ = [
    "ALL_FIELDS",
    "END",
    "GATES",
    "HAN",
    "SHALL_ZH",
    "START",
    "STATEMENT",
    "STATEMENT_AND_CRITERIA",
    "Scan",
    "Triggers",
    "findings",
    "gate",
    "report",
    "trie",
    "triggers",
]

#: A letter outside ASCII: a Han character in practice. (A class over the Han ranges would
#: cost `re` milliseconds to compile, on every run; this one costs nothing.)
HAN = r"[^\W\d_A-Za-z]"
#: After the first letter of a word: the character before that letter is no part of a
#: word (a Han character is not: English next to Chinese is a word of its own).
START = r"(?<![a-z0-9_-].)"
#: After the last letter of a word.
END = r"(?![a-z0-9_-])"
STATEMENT = ("description",)
STATEMENT_AND_CRITERIA = ("description", "acceptance")
ALL_FIELDS = ("title", "description", "acceptance")


def trie(words: Iterable[str], tail: str = "") -> str:
    """Whole English words or phrases as top-level alternatives for lower-cased text: a
    trie, so a position tries one branch per first letter; any white space between words;
    `tail` follows each word."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for token in re.findall(r"\S|\s+", " ".join(word.lower().split())):
            node = node.setdefault(" " if token.isspace() else token, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        alts = [
            (r"\s+" if k == " " else re.escape(k)) + emit(v) for k, v in sorted(node.items()) if k
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    # top-level alternatives, each starting with a literal: `re` then scans for the first
    # letters only (a group or an assertion first would make it try every position)
    return "|".join(re.escape(k) + START + emit(v) + END + tail for k, v in sorted(root.items()))


_STOP = frozenset(
    [
        "shall",
        "must",
        "will",
        "the",
        "to",
        "a",
        "an",
        "and",
        "or",
        "as",
        "be",
        "if",
        "of",
        "in",
        "on",
        "at",
        "all",
        "when",
        "where",
    ]
)


def _keys(words: Iterable[str]) -> frozenset[str]:
    """One word of each phrase that any match must contain: its longest word that is not
    a stop word (`possible` for "where possible")."""
    keys = set()
    for phrase in words:
        tokens = re.findall(r"[a-z]+", phrase.lower())
        rare = [t for t in tokens if t not in _STOP] or tokens[-1:]
        keys.update(sorted(rare, key=len)[-1:])
    return frozenset(keys)


def _first_chars(source: str) -> set[str]:
    """The first character of each top-level alternative of a regex source. Each must be a
    literal: that is what lets `re` scan for them fast, and what the gate below needs."""
    found, depth, i, start, in_class = set(), 0, 0, True, False
    while i < len(source):
        c = source[i]
        if start and depth == 0:
            if c in "([.^$*+?{|" or (c == "\\" and source[i + 1].isalnum()):
                raise ValueError(f"an alternative starts with {c!r}: {source[i : i + 30]}")
            found.add(source[i + 1] if c == "\\" else c)
            i, start = i + (2 if c == "\\" else 1), False
            continue
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            start = True
        i += 1
    return found


class Scan:
    """A pattern with a cheap gate. Its English alternatives can only match text holding
    one of `keys` (a word of each phrase); the others, text holding one of `chars` (their
    first characters, e.g. 待 or ?). Text with neither is not scanned at all. The gate is
    worked out on first use: a warm check imports the rules but never lints."""

    __slots__ = ("_covered", "_extra", "_gated", "_source", "_words", "pattern")

    def __init__(self, source: str, words: Iterable[str], *, covered: str = "", chars: str = ""):
        self.pattern = lazy(source)
        self._source, self._words, self._covered, self._extra = source, words, covered, chars
        self._gated: tuple[frozenset[str], frozenset[str]] | None = None

    def _gate(self) -> tuple[frozenset[str], frozenset[str]]:
        """(keys, chars): a word of each English phrase, first characters of the rest."""
        if self._gated is None:
            first = {c for c in _first_chars(self._source) if not "a" <= c <= "z"}
            # `covered`: first characters whose alternatives also need a word of `words`
            # or one of `chars` (100 % needs the %)
            chars = frozenset(first - set(self._covered) | set(self._extra))
            self._gated = (_keys(self._words), chars)
        return self._gated

    def triggers(self) -> Triggers:
        """(words, characters): text holding none of them holds no match."""
        return self._gate()

    def finditer(self, part: Prose) -> Iterator[re.Match[str]]:
        keys, chars = self._gate()
        if keys.isdisjoint(part.words) and chars.isdisjoint(part.chars):
            return iter(())
        return self.pattern.finditer(part.low)


#: code -> what a rule needs to find anything: the words and the characters of which the
#: entry's prose (all its fields together) must hold one. `lint.quiet` skips a rule whose
#: triggers are all absent; a rule without a gate always runs.
Triggers = tuple[frozenset[str], frozenset[str]]
Gate = Callable[[CheckContext], Triggers]
GATES: dict[str, Gate] = {}


def gate(code: str) -> Callable[[Gate], Gate]:
    """Declare the triggers of rule `code`: text without them never gets a finding."""

    def wrap(fn: Gate) -> Gate:
        GATES[code] = fn
        return fn

    return wrap


def triggers(*scans: Scan, words: Iterable[str] = (), chars: Iterable[str] = ()) -> Triggers:
    """The scans' triggers and these words and characters, together."""
    all_words, all_chars = set(words), set(chars)
    for scan in scans:
        w, c = scan.triggers()
        all_words |= w
        all_chars |= c
    return frozenset(all_words), frozenset(all_chars)


def report(
    entry: Entry, ctx: CheckContext, code: str, part: Prose, start: int, end: int, message: str
) -> Diagnostic:
    line, column = locate(entry, part, start, end)
    return ctx.make(entry, line, column, code, message)


def findings(
    entry: Entry,
    ctx: CheckContext,
    code: str,
    scan: Scan,
    message: str,
    fields: tuple[str, ...] = ALL_FIELDS,
) -> Iterator[Diagnostic]:
    """Each match of `scan` in the lower-cased text; the message quotes the original."""
    for part in prose(entry, fields):
        for m in scan.finditer(part):
            word = part.text[m.start() : m.end()].strip()
            yield report(entry, ctx, code, part, m.start(), m.end(), message.format(word=word))


#: 应 as "shall" (应, 应当, 应该), not inside 响应, 对应, 相应, 适应, 反应, 供应, 效应,
#: 应用, 应答, 应急, 应付, 应收账款 ...; 应对 is "shall + 对" unless it means "cope with"
#: (以应对, 能应对, 应对措施).
SHALL_ZH = (
    r"应(?<![响对相适反供效回感呼答理报顺照接因策内]应)"
    r"(?:(?:当|该)?(?![用答急付聘邀变届酬征运对]|收账|收款)"
    r"|(?<![能以来于够]应)(?=对(?!措施|方案|策略|预案|机制|能力)))"
)
