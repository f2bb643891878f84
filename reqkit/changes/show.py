"""One requirement with its links both ways, its tests, and (on request) its history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reqkit.git.history import Timeline
from reqkit.loader.files import dates_as_text
from reqkit.model.reqset import RequirementSet

__all__ = ["INVERSE", "Shown", "shown"]

#: How a link reads from its target's side.
INVERSE = {
    "parent": "children",
    "depends_on": "dependants",
    "conflicts_with": "conflicts_with",
    "duplicates": "duplicated_by",
}


@dataclass(frozen=True)
class Shown:
    id: str
    path: str
    data: dict[str, Any]  # the file's fields, dates as ISO text
    links: dict[str, tuple[str, ...]]  # outgoing, by kind
    linked_from: dict[str, tuple[str, ...]]  # incoming, by inverse kind (children, ...)
    tests: tuple[str, ...]
    timeline: Timeline | None  # None unless asked for, or outside Git


def shown(reqs: RequirementSet, rid: str, timeline: Timeline | None = None) -> Shown | None:
    entry = reqs.by_id.get(rid)
    if entry is None:
        return None
    links: dict[str, list[str]] = {}
    for kind, _, target in entry.links():
        links.setdefault(kind, []).append(target)
    incoming: dict[str, set[str]] = {}
    for other in reqs.entries:
        for kind, _, target in other.links():
            if target == rid:
                incoming.setdefault(INVERSE[kind], set()).add(other.known_id)
    tests = (entry.data or {}).get("verified_by")
    return Shown(
        rid,
        entry.path,
        dates_as_text(entry.data or {}),
        {k: tuple(v) for k, v in sorted(links.items())},
        {k: tuple(sorted(v)) for k, v in sorted(incoming.items())},
        tuple(t for t in tests if isinstance(t, str)) if isinstance(tests, list) else (),
        timeline,
    )
