"""Requirement files as they were at a commit: `ls-tree` + one `cat-file --batch`.

Also the short summary of one version (ID, status, title, a fingerprint of its meaning)
that the history engine keeps per blob, so no version is parsed twice.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from reqkit.git.quick import blocks_of, meaning_from_blocks, quick_fields, quick_summary
from reqkit.git.runner import Runner
from reqkit.loader.files import dates_as_text, decode, holds_date, parse_bytes, too_large
from reqkit.model.reqset import LINK_KINDS, Entry, RequirementSet

__all__ = [
    "EMPTY",
    "MEANING_FIELDS",
    "BlobSummary",
    "meaning_of",
    "parsed_data",
    "read_snapshot",
    "requirement_files",
    "summarize",
]

#: The fields whose change changes what a requirement *means* (suspect links).
MEANING_FIELDS = ("title", "description", "acceptance")

#: (id, status, title, meaning fingerprint, links as ((kind, target), ...), type, requester);
#: None where the file does not say (or cannot be read).
BlobSummary = tuple[
    str | None,
    str | None,
    str | None,
    str | None,
    tuple[tuple[str, str], ...],
    str | None,
    str | None,
]
EMPTY: BlobSummary = (None, None, None, None, (), None, None)


def meaning_of(data: dict[str, Any] | None) -> str | None:
    """A fingerprint of title, description and acceptance; None for an unusable file."""
    if data is None:
        return None
    picked = {k: dates_as_text(data.get(k)) for k in MEANING_FIELDS}
    blob = json.dumps(picked, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(blob.encode(), digest_size=8).hexdigest()


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def summarize(raw: bytes) -> BlobSummary:
    """What history, impact and release notes need from one version of a file.

    Read off the lines where the layout is plain (`quick.py`), else parsed; the meaning
    fingerprint comes from the raw blocks either way, so versions compare alike.
    """
    text, problem = decode(raw)
    if text is None or problem is not None:
        return EMPTY
    plain = quick_summary(text)
    if plain is not None:
        return plain
    blocks = blocks_of(text)
    quick = quick_fields(blocks) if blocks is not None else None
    if blocks is not None and quick is not None:
        fields, links, requester = quick
        return (
            fields["id"],
            fields["status"],
            fields["title"],
            meaning_from_blocks(blocks),
            tuple(links),
            fields["type"],
            requester,
        )
    data = parse_bytes(raw).data
    if data is None:
        return EMPTY
    parsed_links: list[tuple[str, str]] = []
    found = data.get("links")
    if isinstance(found, dict):
        for kind in LINK_KINDS:
            targets = found.get(kind)
            if isinstance(targets, list):
                parsed_links.extend((kind, t) for t in targets if isinstance(t, str))
    source = data.get("source")
    requester = None
    if isinstance(source, dict):
        requester = _text(source.get("requester")) or _text(source.get("detail"))
    meaning = meaning_from_blocks(blocks) if blocks is not None else "p" + str(meaning_of(data))
    return (
        _text(data.get("id")),
        _text(data.get("status")),
        _text(data.get("title")),
        meaning,
        tuple(parsed_links),
        _text(data.get("type")),
        requester,
    )


def requirement_files(runner: Runner, commit: str, folder: str) -> list[tuple[str, str]]:
    """(path, blob) of every requirement file under `folder` at `commit`, sorted by path."""
    return sorted(
        (path, sha)
        for path, sha in runner.ls_tree(commit, folder)
        if path.endswith((".yaml", ".yml"))
        and not path.startswith(".")
        and "/." not in path  # hidden files and folders are skipped, as on disk
    )


def read_snapshot(runner: Runner, commit: str, folder: str, *, max_size: int) -> RequirementSet:
    """The requirement set at `commit`, each entry parsed as `check` would parse it."""
    files = requirement_files(runner, commit, folder)
    contents = runner.blobs(sha for _, sha in files)
    entries = []
    for path, sha in files:
        raw = contents.get(sha, b"")
        fd = too_large(len(raw), max_size) if len(raw) > max_size else parse_bytes(raw)
        entries.append(Entry(path, f"{commit[:12]}:{path}", fd))
    return RequirementSet(entries)


def parsed_data(raw: bytes) -> dict[str, Any] | None:
    """A version's fields as plain data (dates as ISO text, so it can be cached), or None."""
    data = parse_bytes(raw).data
    if data is None:
        return None
    return dates_as_text(data) if holds_date(data) else data  # (most hold none: no copy)
