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
from typing import Any

from reqkit.model.reqset import LINK_KINDS

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
    return _meaning_hash(tuple(_meaning_part(blocks.get(key, [])) for key in MEANING_KEYS))


def _meaning_part(block: list[str]) -> str:
    """One field's share of the meaning: its lines, trailing blanks dropped."""
    lines = [line.rstrip() for line in block]
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _meaning_hash(parts: tuple[str, ...]) -> str:
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
        found = _block_links(blocks["links"])
        if found is None:
            return None
        links = found
    requester = None
    if "source" in blocks:
        read = _block_requester(blocks["source"])
        if read is None:
            return None
        (requester,) = read
    return fields, links, requester


def _block_links(block: list[str]) -> list[tuple[str, str]] | None:
    """(kind, target) of a `links:` block; None: parse instead."""
    mapping = _mapping(block)
    if mapping is None:
        return None
    links: list[tuple[str, str]] = []
    for kind in LINK_KINDS:
        if kind in mapping:
            targets = _list(*mapping[kind])
            if targets is None:
                return None
            links.extend((kind, t) for t in targets)
    return links


def _block_requester(block: list[str]) -> tuple[str | None] | None:
    """(requester or detail,) of a `source:` block, `(None,)` when it names neither;
    None: parse instead."""
    source = _mapping(block)
    if source is None:
        return None
    for key in ("requester", "detail"):
        if key in source:
            inline, rest = source[key]
            requester = scalar(inline) if not any(r.strip() for r in rest) else None
            return None if requester is None else (requester,)
    return (None,)


# --- the whole summary, block by block ------------------------------------------------

#: Where a top-level line starts (neither indented nor blank): one block each.
_TOP = re.compile(r"\n(?=[^ \t\n])")
#: Line breaks `str.splitlines` knows besides "\n": a block with one goes the long way.
_ODD_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_SCALARS = ("id", "status", "type")
_KEPT = 200_000  # blocks remembered; past this the table starts afresh

Summary = tuple[
    str | None, str | None, str | None, str, tuple[tuple[str, str], ...], str | None, str | None
]
#: (key, what the summary takes from the block) per block text. The versions of a
#: repository share most blocks (`status: review`, a `source`, a `description` until it
#: is reworded), so each distinct one is read once.
_Block = tuple[str, Any]
#: A block only the long way may read. No key is "\0", so it is found in the mapping.
_REFUSED: _Block = ("\0", None)
_blocks: dict[str, _Block] = {}
_meanings: dict[tuple[str, str, str], str] = {}


def _learn(chunk: str) -> _Block:
    """What one top-level block gives, read as `blocks_of` and `quick_fields` read it
    (remembered)."""
    found = _blocks[chunk] = _read_block(chunk)
    return found


def _read_block(chunk: str) -> _Block:
    if _ODD_BREAKS.search(chunk) is not None:
        return _REFUSED
    head, _, body = chunk.partition("\n")
    key, colon, rest = head.partition(":")
    key = key.rstrip(" \t")
    if not colon or (rest and rest[0] not in " \t") or not _KEY.match(key):
        return _REFUSED  # also a comment or `---`: `blocks_of` reads those by position
    block = [rest.strip(" \t"), *(body.split("\n") if body else ())]
    if key in _SCALARS or key == "title":
        value = scalar(block[0]) if _flat(block) else None
        if value is None:
            return _REFUSED
        return (key, (value, _meaning_part(block))) if key == "title" else (key, value)
    if key in ("description", "acceptance"):
        return key, _meaning_part(block)
    if key == "links":
        links = _block_links(block)
        return _REFUSED if links is None else (key, tuple(links))
    if key == "source":
        read = _block_requester(block)
        return _REFUSED if read is None else (key, read[0])
    return key, None


def quick_summary(text: str) -> Summary | None:
    """`(id, status, title, meaning, links, type, requester)` exactly as `blocks_of`,
    `quick_fields` and `meaning_from_blocks` give them, read block by block with each
    distinct block read once (a scan line by line of 30k versions that share most of
    their blocks was most of a cold history's Python time); None wherever the layout is
    not the plain one: the caller then takes the long way, which decides."""
    known = _blocks
    if len(known) > _KEPT or len(_meanings) > _KEPT:
        known.clear()
        _meanings.clear()
    chunks = _TOP.split(text)
    try:
        found = dict(map(known.__getitem__, chunks))
    except KeyError:  # a block not seen before
        found = dict([known[c] if c in known else _learn(c) for c in chunks])
    if len(found) != len(chunks) or "\0" in found:
        return None  # a key given twice, or a block that is not plain
    title = found.get("title")
    parts = (title[1] if title else "", found.get("description", ""), found.get("acceptance", ""))
    meaning = _meanings.get(parts)
    if meaning is None:
        meaning = _meanings[parts] = _meaning_hash(parts)
    return (
        found.get("id"),
        found.get("status"),
        title[0] if title else None,
        meaning,
        found.get("links", ()),
        found.get("type"),
        found.get("source"),
    )
