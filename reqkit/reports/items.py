"""The facts a report reads from one requirement file, taken leniently.

A report describes the tree as it is, problems included: a file `check` would reject
still counts (under its values where they are usable), so the numbers add up to the
number of files. Nothing here raises for what a file contains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

__all__ = ["Item", "as_moment", "item_from_data", "items_from"]

UTC = dt.UTC


class Item(NamedTuple):
    """One requirement as the report sees it; text fields are None when absent or not text.

    A named tuple, not a dataclass: 10k of them are built on every warm run.
    """

    id: str
    path: str
    title: str
    status: str | None
    type: str | None = None
    priority: str | None = None
    urgency: str | None = None
    owner: str | None = None
    department: str | None = None
    release: str | None = None
    tags: tuple[str, ...] = ()
    due: dt.datetime | None = None  # the end of the due day, UTC
    received: dt.datetime | None = None  # `source.received`, a date meaning 00:00 UTC
    created: dt.datetime | None = None
    evaluated: bool = False
    description: str = ""
    duplicates: tuple[str, ...] = ()  # `links.duplicates`: pairs already acknowledged


def as_moment(value: Any, *, end_of_day: bool = False) -> dt.datetime | None:
    """A date or aware date-time as an aware UTC datetime; a bare date is 00:00 UTC.

    With `end_of_day`, a bare date means the last moment of that day (a `due` date is
    met on the day itself).
    """
    if isinstance(value, str):
        try:
            value = (
                dt.date.fromisoformat(value)
                if len(value) == 10
                else dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
            )
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, dt.date):
        start = dt.datetime(value.year, value.month, value.day, tzinfo=UTC)
        return start + dt.timedelta(days=1, microseconds=-1) if end_of_day else start
    return None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(sorted({v.strip() for v in value if isinstance(v, str) and v.strip()}))


def item_from_data(data: Mapping[str, Any], *, path: str, fallback_id: str) -> Item:
    """The report's view of one file's data (`fallback_id`: the file name)."""
    source = data.get("source")
    source = source if isinstance(source, Mapping) else {}
    links = data.get("links")
    links = links if isinstance(links, Mapping) else {}
    evaluation = data.get("evaluation")
    description = data.get("description")
    return Item(
        id=_text(data.get("id")) or fallback_id,
        path=path,
        title=_text(data.get("title")) or "",
        status=_text(data.get("status")),
        type=_text(data.get("type")),
        priority=_text(data.get("priority")),
        urgency=_text(data.get("urgency")),
        owner=_text(data.get("owner")),
        department=_text(data.get("department")),
        release=_text(data.get("release")),
        tags=_texts(data.get("tags")),
        due=as_moment(data.get("due"), end_of_day=True),
        received=as_moment(source.get("received")),
        created=as_moment(data.get("created")),
        evaluated=bool(evaluation),
        description=description if isinstance(description, str) else "",
        duplicates=_texts(links.get("duplicates")),
    )


def items_from(files: Iterable[tuple[str, str, Mapping[str, Any] | None]]) -> list[Item]:
    """(path, file-name ID, data) → items, sorted by ID; unreadable files keep their ID."""
    out = []
    for path, stem, data in files:
        if isinstance(data, Mapping):
            out.append(item_from_data(data, path=path, fallback_id=stem))
        else:
            out.append(Item(id=stem, path=path, title="", status=None))
    return sorted(out, key=lambda i: (i.id, i.path))
