"""Where things stand: counts, overdue, stale, and evaluations due (seed step 5)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

from reqkit.reports.items import Item, new_tuple
from reqkit.reports.timeline import Roles, Version

__all__ = [
    "NONE",
    "Counts",
    "EvaluationDue",
    "Late",
    "Stale",
    "counts",
    "evaluations_due",
    "overdue",
    "stale",
]

#: The key under which requirements without a value are counted.
NONE = "(none)"
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Counts:
    """Requirements per value of each field; a requirement counts once per tag it has."""

    total: int
    status: dict[str, int]
    type: dict[str, int]
    priority: dict[str, int]
    urgency: dict[str, int]
    owner: dict[str, int]
    department: dict[str, int]
    release: dict[str, int]
    tag: dict[str, int]


def _sorted(counter: Counter[str], order: Sequence[str] = ()) -> dict[str, int]:
    """Values in the given order first, then by count (descending) and name; none last."""
    first = [k for k in order if k in counter]
    rest = sorted(
        (k for k in counter if k not in first and k != NONE), key=lambda k: (-counter[k], k)
    )
    keys = first + rest + ([NONE] if NONE in counter else [])
    return {k: counter[k] for k in keys}


def counts(items: Sequence[Item], roles: Roles) -> Counts:
    def by(field: str) -> Counter[str]:
        # counted in C, then the empty values (None, "") moved under NONE
        found: Counter[Any] = Counter(map(attrgetter(field), items))
        for empty in [k for k in found if not k]:
            found[NONE] += found.pop(empty)
        return found

    every_tags = list(map(attrgetter("tags"), items))
    tags: Counter[str] = Counter(chain.from_iterable(every_tags))
    tags[NONE] = len(every_tags) - sum(map(bool, every_tags))
    if not tags[NONE]:
        del tags[NONE]
    return Counts(
        total=len(items),
        status=_sorted(by("status"), roles.order),
        type=_sorted(by("type")),
        priority=_sorted(by("priority"), ("must", "should", "could", "wont")),
        urgency=_sorted(by("urgency"), ("urgent", "important", "routine")),
        owner=_sorted(by("owner")),
        department=_sorted(by("department")),
        release=_sorted(by("release")),
        tag=_sorted(tags),
    )


class Late(NamedTuple):
    id: str
    title: str
    status: str | None
    owner: str | None
    due: dt.date
    days_late: int


def overdue(items: Sequence[Item], roles: Roles, now: dt.datetime) -> list[Late]:
    """Past `due` and not finished (shipped, rejected or deferred); most late first.

    `due` is met on the day itself; days late count calendar days (UTC) after it.
    """
    out = [
        Late(i.id, i.title, i.status, i.owner, i.due.date(), (now.date() - i.due.date()).days)
        for i in items
        if i.due is not None and i.due < now and i.status not in roles.finished
    ]
    return sorted(out, key=lambda r: (-r.days_late, r.id))


class Stale(NamedTuple):
    id: str
    title: str
    status: str | None
    owner: str | None
    last_change: dt.datetime
    days: int


def stale(
    items: Sequence[Item],
    history: Mapping[str, Sequence[Version]],
    roles: Roles,
    now: dt.datetime,
    *,
    days: int,
) -> list[Stale]:
    """Open requirements whose file no commit touched in the last `days` days."""
    out = []
    finished, get = roles.finished, history.get
    ages: dict[dt.datetime, int] = {}  # many requirements last changed in the same commit
    for i in items:
        versions = get(i.id)
        if not versions or i.status in finished:
            continue
        last = versions[-1].at
        age = ages.get(last)
        if age is None:
            age = ages[last] = (now - last) // DAY
        if age >= days:
            out.append(new_tuple(Stale, (i.id, i.title, i.status, i.owner, last, age)))
    # by (-days, id): by ID, then a stable sort by days, most first (both sorts in C)
    out.sort(key=itemgetter(0))
    out.sort(key=itemgetter(5), reverse=True)
    return out


class EvaluationDue(NamedTuple):
    id: str
    title: str
    owner: str | None
    released: dt.datetime
    days_since: int


def evaluations_due(
    items: Sequence[Item],
    history: Mapping[str, Sequence[Version]],
    roles: Roles,
    now: dt.datetime,
) -> tuple[list[EvaluationDue], list[EvaluationDue]]:
    """Shipped without `evaluation`: (released 7–14 days ago, released longer ago).

    The release moment is the commit of the latest move into a shipped state.
    """
    due: list[EvaluationDue] = []
    missed: list[EvaluationDue] = []
    for i in items:
        if i.status not in roles.shipped or i.evaluated:
            continue
        versions = history.get(i.id, ())
        released = None
        previous: str | None = None
        for v in versions:
            if v.status in roles.shipped and previous not in roles.shipped:
                released = v.at
            previous = v.status
        if released is None:
            continue
        since = (now - released) // DAY
        row = EvaluationDue(i.id, i.title, i.owner, released, since)
        if 7 <= since <= 14:
            due.append(row)
        elif since > 14:
            missed.append(row)
    return (
        sorted(due, key=lambda r: (-r.days_since, r.id)),
        sorted(missed, key=lambda r: (-r.days_since, r.id)),
    )
