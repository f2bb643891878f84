"""The facts a report reads from one requirement file, taken leniently.

A report describes the tree as it is, problems included: a file `check` would reject
still counts (under its values where they are usable), so the numbers add up to the
number of files. Nothing here raises for what a file contains.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple, TypeGuard

__all__ = ["Item", "as_moment", "item_from_data", "items_from", "new_tuple"]

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
    get = data.get
    source = get("source")
    source = source if _is_mapping(source) else {}
    links = get("links")
    links = links if _is_mapping(links) else {}
    description = get("description")
    due, received, created = get("due"), source.get("received"), get("created")
    return new_tuple(
        Item,
        (
            _text(get("id")) or fallback_id,
            path,
            _text(get("title")) or "",
            _text(get("status")),
            _text(get("type")),
            _text(get("priority")),
            _text(get("urgency")),
            _text(get("owner")),
            _text(get("department")),
            _text(get("release")),
            _texts(get("tags")),
            None if due is None else as_moment(due, end_of_day=True),
            None if received is None else as_moment(received),
            None if created is None else as_moment(created),
            bool(get("evaluation")),
            description if isinstance(description, str) else "",
            _texts(links.get("duplicates")),
        ),
    )


def _is_mapping(value: Any) -> TypeGuard[Mapping[str, Any]]:
    """`isinstance(value, Mapping)`, a plain dict (what files hold) without the ABC check."""
    return type(value) is dict or isinstance(value, Mapping)


#: `new_tuple(NamedTupleClass, values)`: the named tuple built in C, without the
#: Python-level `__new__` of its class (tens of thousands of rows a report).
new_tuple = tuple.__new__


def items_from(files: Iterable[tuple[str, str, Mapping[str, Any] | None]]) -> list[Item]:
    """(path, file-name ID, data) → items, sorted by ID; unreadable files keep their ID."""
    out = []
    for path, stem, data in files:
        if _is_mapping(data):
            out.append(item_from_data(data, path=path, fallback_id=stem))
        else:
            out.append(Item(id=stem, path=path, title="", status=None))
    return sorted(out, key=lambda i: (i.id, i.path))
