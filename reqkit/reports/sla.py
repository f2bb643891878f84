"""Answer times against the urgency limits (seed: urgent 24 h, important 1 week).

The clock starts at `source.received` (a date means 00:00 UTC) or, without it, at the
commit that added the file; it stops at the first commit in which the requirement is in
an `answered` state (every state but `analysis` by default: a rejection is an answer).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import NamedTuple

from reqkit.reports.items import Item, new_tuple
from reqkit.reports.timeline import Roles, Version, first_entry

__all__ = ["NEAR", "SlaCase", "SlaReport", "UrgencyStats", "sla"]

HOUR = dt.timedelta(hours=1)
_BREACHED = ("late", "overdue")
#: An open case is a near-breach once this share of its limit has gone by.
NEAR = 0.8


class SlaCase(NamedTuple):
    id: str
    title: str
    urgency: str
    owner: str | None
    start: dt.datetime
    start_from: str  # "received" or "added"
    answered: dt.datetime | None
    limit_hours: float
    elapsed_hours: float
    state: str  # "met", "late" (answered after the limit), "open", "overdue" (open, past it)

    @property
    def breached(self) -> bool:
        return self.state in _BREACHED


@dataclass(frozen=True)
class UrgencyStats:
    limit_hours: float
    measured: int
    met: int
    breached: int
    open: int
    compliance: float | None  # met / (met + breached); None when nothing is decided yet


@dataclass(frozen=True)
class SlaReport:
    limits_hours: dict[str, float]
    near_share: float
    by_urgency: dict[str, UrgencyStats]
    breaches: list[SlaCase] = field(default_factory=list)
    near_breaches: list[SlaCase] = field(default_factory=list)

    @property
    def compliance(self) -> float | None:
        met = sum(s.met for s in self.by_urgency.values())
        decided = met + sum(s.breached for s in self.by_urgency.values())
        return round(met / decided, 4) if decided else None


def _case(
    item: Item, versions: Sequence[Version], limit: float, roles: Roles, now: dt.datetime
) -> SlaCase | None:
    added = versions[0].at if versions else None
    start, start_from = (item.received, "received") if item.received else (added, "added")
    if start is None or start > now:
        return None
    answered = first_entry(versions, roles.answered)
    until = answered or now
    elapsed = max((until - start) / HOUR, 0.0)
    if answered is not None:
        state = "met" if elapsed <= limit else "late"
    else:
        state = "open" if elapsed <= limit else "overdue"
    return new_tuple(
        SlaCase,
        (
            item.id,
            item.title,
            item.urgency or "",
            item.owner,
            start,
            start_from,
            answered,
            limit,
            round(elapsed, 2),
            state,
        ),
    )


_STATE = itemgetter(9)


def sla(
    items: Sequence[Item],
    history: Mapping[str, Sequence[Version]],
    roles: Roles,
    limits: Mapping[str, float],
    now: dt.datetime,
) -> SlaReport:
    """Every requirement whose urgency has a limit, judged as of `now`."""
    cases: dict[str, list[SlaCase]] = {u: [] for u in limits}
    get = history.get
    for item in items:
        limit = limits.get(item.urgency or "")
        if limit is None:
            continue
        case = _case(item, get(item.id, ()), limit, roles, now)
        if case is not None:
            cases[case.urgency].append(case)
    stats = {}
    for urgency, found in cases.items():
        by_state = Counter(map(_STATE, found))
        met = by_state["met"]
        breached = by_state["late"] + by_state["overdue"]
        stats[urgency] = UrgencyStats(
            limits[urgency],
            len(found),
            met,
            breached,
            len(found) - met - breached,
            round(met / (met + breached), 4) if met + breached else None,
        )
    every = [c for found in cases.values() for c in found]
    breaches = sorted(
        (c for c in every if c.state in _BREACHED),
        key=lambda c: (-c.elapsed_hours + c.limit_hours, c.id),
    )
    near = sorted(
        (c for c in every if c.state == "open" and c.elapsed_hours >= NEAR * c.limit_hours),
        key=lambda c: (c.limit_hours - c.elapsed_hours, c.id),
    )
    return SlaReport(dict(limits), NEAR, stats, breaches, near)
