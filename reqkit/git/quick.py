"""A line scanner for the few fields history needs from each of thousands of old versions.

History reads every version of every requirement file (30k on a 10k-requirement
repository with 5,000 commits); a YAML parse each costs seconds. Requirement files are
written in a small, regular style (top-level `key: value`, block scalars, lists), so the
summary fields are read off the lines, and anything the scanner is unsure of (quotes
with escapes, anchors, flow maps, a duplicate key) returns None and the caller parses.

The *meaning* fingerprint is always taken from the raw text of the `title`,
`description` and `acceptance` blocks (trailing spaces ignored), whichever path read
the rest, so two versions are compared the same way: a rewording, or reflowing, of those
fields is a change of meaning; a change anywhere else is not.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["Blocks", "blocks_of", "meaning_from_blocks", "quick_fields", "scalar"]

Blocks = dict[str, list[str]]  # top-level key → [text after the colon, continuation lines...]
_KEY = re.compile(r"[A-Za-z_][\w.-]*\Z")
_SUB = re.compile(r"^[ \t]+([A-Za-z_][\w.-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*$")
_ITEM = re.compile(r"^[ \t]+-[ \t]+(.*?)[ \t]*$")
_PLAIN_BAD = tuple("|>[]{}&*!%@`\"'")
MEANING_KEYS = ("title", "description", "acceptance")


def blocks_of(text: str) -> Blocks | None:
    """Top-level keys with their lines; None for a layout the scanner does not know."""
    found: Blocks = {}
    current: list[str] | None = None
    for line in text.splitlines():
        first = line[:1]
        if first in ("", " ", "\t"):  # blank or indented: part of the block above
            if current is not None:
                current.append(line)
            continue
        if first == "#" or (not found and line.rstrip() == "---"):
            continue
        key, colon, rest = line.partition(":")
        key = key.rstrip(" \t")
        if not colon or (rest and rest[0] not in " \t") or not _KEY.match(key) or key in found:
            return None
        current = found[key] = [rest.strip(" \t")]
    return found


def meaning_from_blocks(blocks: Blocks) -> str:
    parts = []
    for key in MEANING_KEYS:
        lines = [line.rstrip() for line in blocks.get(key, [])]
        while lines and not lines[-1]:
            lines.pop()
        parts.append("\n".join(lines))
    return hashlib.blake2b("\0".join(parts).encode(), digest_size=8).hexdigest()


def scalar(value: str) -> str | None:
    """A one-line plain or simply quoted scalar; None when it needs a real parser."""
    if " #" in value:
        value = value.split(" #", 1)[0].rstrip()
    if not value:
        return None
    if value[0] == "'" and value.endswith("'") and len(value) > 1:
        return value[1:-1].replace("''", "'")
    if value[0] == '"' and value.endswith('"') and len(value) > 1 and "\\" not in value:
        return value[1:-1]
    if value.startswith(_PLAIN_BAD) or ": " in value:
        return None
    return value


def _flat(block: list[str]) -> bool:
    """Only the key's own line: no continuation (blank lines aside)."""
    return all(not line.strip() for line in block[1:])


def _list(inline: str, lines: list[str]) -> list[str] | None:
    if inline.startswith("["):
        body = inline.split(" #", 1)[0].strip()
        if not body.endswith("]") or "[" in body[1:] or "{" in body:
            return None
        items = [scalar(p.strip()) for p in body[1:-1].split(",") if p.strip()]
        return None if any(i is None for i in items) else [i for i in items if i]
    if inline:
        return None
    out = []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        value = scalar(item.group(1)) if item else None
        if value is None:
            return None
        out.append(value)
    return out


def _mapping(block: list[str]) -> dict[str, tuple[str, list[str]]] | None:
    """A nested block of `  key: value` lines (lists under them kept as lines)."""
    if block[0].strip() and not block[0].lstrip().startswith("#"):
        return None
    out: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    indent: int | None = None
    for line in block[1:]:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        width = len(line) - len(line.lstrip())
        if indent is None:
            indent = width
        if width > indent and current is not None:
            current.append(line)
            continue
        match = _SUB.match(line)
        if width != indent or match is None:
            return None
        current = []
        out[match.group(1)] = (match.group(2) or "", current)
    return out


def quick_fields(
    blocks: Blocks,
) -> tuple[dict[str, str | None], list[tuple[str, str]], str | None] | None:
    """(id/status/title/type, links, requester) off the lines; None: parse instead."""
    fields: dict[str, str | None] = {}
    for key in ("id", "status", "title", "type"):
        block = blocks.get(key)
        if block is None:
            fields[key] = None
            continue
        value = scalar(block[0]) if _flat(block) else None
        if value is None:
            return None
        fields[key] = value
    links: list[tuple[str, str]] = []
    if "links" in blocks:
        mapping = _mapping(blocks["links"])
        if mapping is None:
            return None
        for kind in ("parent", "depends_on", "conflicts_with", "duplicates"):
            if kind in mapping:
                targets = _list(*mapping[kind])
                if targets is None:
                    return None
                links.extend((kind, t) for t in targets)
    requester = None
    if "source" in blocks:
        source = _mapping(blocks["source"])
        if source is None:
            return None
        for key in ("requester", "detail"):
            if key in source and requester is None:
                inline, rest = source[key]
                requester = scalar(inline) if not any(r.strip() for r in rest) else None
                if requester is None:
                    return None
    return fields, links, requester
