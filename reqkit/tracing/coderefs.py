"""`Implements: ID[, ID…]` comments in source files → `CodeRef` records with path and line.

Which files: the caller decides (the files Git tracks under the given folders, see
`reqkit.api.tracing`); this module only reads them. Each file is searched as bytes for
the keyword first, so the thousands of files without one cost a read and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["CodeRef", "compile_pattern", "find_refs", "keyword"]

MAX_SIZE = 4 * 1024 * 1024  # a bigger file is generated or data, not code with comments
_ID = r"[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]|[A-Za-z0-9]"
_LIST = re.compile(rf"(?:{_ID})(?:[ \t]*,[ \t]*(?:{_ID}))*")
_ONE = re.compile(_ID)


@dataclass(frozen=True, order=True, slots=True)
class CodeRef:
    """One requirement ID named in a source file (1-based line and column, code points)."""

    path: str  # repository-relative, `/` separators
    line: int
    column: int
    id: str


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The config's `code_pattern` (the text that precedes a list of IDs), compiled."""
    return re.compile(pattern, re.MULTILINE)


_KEYWORD_FORM = re.compile(r"^\(\?<!\[\\w-\]\)((?:\\.|[^\\()\[\]|?*+{}.^$])+):\\s\*$")


def keyword(pattern: re.Pattern[str]) -> bytes | None:
    """The keyword every match contains, for a cheap bytes test; None for a custom regex."""
    found = _KEYWORD_FORM.match(pattern.pattern)
    return re.sub(r"\\(.)", r"\1", found.group(1)).encode() if found else None


def find_refs(files: Iterable[tuple[str, str]], pattern: re.Pattern[str]) -> list[CodeRef]:
    """Every reference in `files` ((repo-relative path, absolute path) pairs), sorted.

    Binary files, files that are not UTF-8, files over 4 MiB and files that cannot be
    read are skipped: they hold no comments a person wrote.
    """
    needle = keyword(pattern)
    found: list[CodeRef] = []
    for rel, path in files:
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_SIZE + 1)
        except OSError:
            continue
        if len(raw) > MAX_SIZE or (needle is not None and needle not in raw):
            continue
        if b"\0" in raw[:8192]:
            continue
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        found.extend(_in_text(rel, text, pattern))
    found.sort()
    return found


def _in_text(rel: str, text: str, pattern: re.Pattern[str]) -> Iterable[CodeRef]:
    """IDs listed after each match; a word without a digit is prose, not an ID."""
    line, line_start, counted_to = 1, 0, 0
    for match in pattern.finditer(text):
        listed = _LIST.match(text, match.end())
        if listed is None:
            continue
        for one in _ONE.finditer(text, listed.start(), listed.end()):
            if not any(c.isdigit() for c in one.group()):
                continue
            newlines = text.count("\n", counted_to, one.start())
            if newlines:
                line += newlines
                line_start = text.rfind("\n", counted_to, one.start()) + 1
            counted_to = one.start()
            yield CodeRef(rel, line, one.start() - line_start + 1, one.group())
