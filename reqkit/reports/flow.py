"""Flow metrics from history: lead and cycle time, time in state, throughput, flow.

Every figure is computed from the versions the history engine gives (one per
first-parent commit that touched a requirement), as of a moment `now`:

- lead time: `source.received`, else `created`, else the adding commit → the first
  commit in a shipped state (`released`, `closed` by default);
- cycle time: the first commit in `development` → the first commit in a shipped state;
- throughput: requirements reaching a shipped state for the first time, per ISO week
  (`2024-W27`) and per month (`2024-07`);
- arrivals: files added (or brought back) and reopened requirements; departures: moves
  into a finished state (shipped, rejected, deferred);
- cumulative flow: how many requirements were in each state at the end of each period.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from reqkit.reports.items import Item
from reqkit.reports.timeline import Roles, Version

__all__ = ["Durations", "FlowReport", "Period", "flow", "summarize"]

DAY = dt.timedelta(days=1)
UTC = dt.UTC
#: The cumulative flow shows at most this many points (daily, weekly or monthly).
MAX_POINTS = 120


@dataclass(frozen=True)
class Durations:
    """A distribution of durations in days."""

    count: int
    mean_days: float | None
    median_days: float | None
    p85_days: float | None
    max_days: float | None


def summarize(days: Sequence[float]) -> Durations:
    """Count, mean, median, 85th percentile (nearest rank) and maximum, in days.

    The mean and median are `statistics.fmean` and `statistics.median` written out (the
    same operations, so the same floats): importing `statistics` costs more than a warm
    report spends on all its sums.
    """
    if not days:
        return Durations(0, None, None, None, None)
    ordered = sorted(days)
    n = len(ordered)
    p85 = ordered[min(n - 1, max(0, -(-85 * n // 100) - 1))]
    half = n // 2
    median = ordered[half] if n % 2 else (ordered[half - 1] + ordered[half]) / 2
    return Durations(
        n,
        round(math.fsum(ordered) / n, 2),
        round(median, 2),
        round(p85, 2),
        round(ordered[-1], 2),
    )


class LeadTime(NamedTuple):
    id: str
    start: dt.datetime
    shipped: dt.datetime
    lead_days: float
    cycle_days: float | None


class Period(NamedTuple):
    """One week or month: shipped (throughput), arrived and departed."""

    period: str
    start: dt.date
    shipped: int
    arrived: int
    departed: int


class FlowPoint(NamedTuple):
    date: dt.date  # the end of the period (the as-of day for the last one)
    counts: dict[str, int]  # per state, in the configured order


@dataclass(frozen=True)
class FlowReport:
    lead_time: Durations
    cycle_time: Durations
    time_in_state: dict[str, Durations]  # completed stays only
    weekly: list[Period]
    monthly: list[Period]
    cumulative_flow: list[FlowPoint]
    cumulative_step: str  # "day", "week" or "month"
    shipped: list[LeadTime]  # every shipped requirement with its lead and cycle time


def _week(day: dt.date) -> tuple[str, dt.date]:
    year, week, weekday = day.isocalendar()
    return f"{year}-W{week:02d}", day - dt.timedelta(days=weekday - 1)


def _month(day: dt.date) -> tuple[str, dt.date]:
    return f"{day.year}-{day.month:02d}", day.replace(day=1)


def _next(start: dt.date, step: str) -> dt.date:
    if step == "day":
        return start + DAY
    if step == "week":
        return start + 7 * DAY
    return (start.replace(day=28) + 4 * DAY).replace(day=1)


def _periods(
    events: Mapping[str, Counter[dt.date]], first: dt.date, last: dt.date, step: str
) -> list[Period]:
    """Every period from `first` to `last`, zeros included, so charts keep their time axis."""
    key = _week if step == "week" else _month
    buckets: dict[str, Counter[str]] = {}
    for kind, days in events.items():
        for day, n in days.items():
            buckets.setdefault(key(day)[0], Counter())[kind] += n
    out = []
    start = key(first)[1]
    while start <= last:
        name = key(start)[0]
        got = buckets.get(name, Counter())
        out.append(Period(name, start, got["shipped"], got["arrived"], got["departed"]))
        start = _next(start, step)
    return out


def _cumulative(
    changes: list[tuple[dt.datetime, str | None, str | None]],
    roles: Roles,
    first: dt.date,
    last: dt.date,
) -> tuple[list[FlowPoint], str]:
    """State counts at the end of each period, by one sweep over every state change."""
    span = (last - first).days
    step = "day" if span <= MAX_POINTS else "week" if span <= 7 * MAX_POINTS else "month"
    key = {"day": lambda d: (str(d), d), "week": _week, "month": _month}[step]
    ends: list[dt.date] = []
    start = key(first)[1]
    while start <= last:
        nxt = _next(start, step)
        ends.append(min(nxt - DAY, last))
        start = nxt
    ends = ends[-MAX_POINTS:]
    changes.sort(key=itemgetter(0))
    # every state a change leaves was entered by an earlier change: the new ones are all
    states = roles.ordered(set(map(itemgetter(2), changes)) - {None})
    # entries and exits counted in C, a period's slice at a time (None counts too, unread)
    entered: Counter[str | None] = Counter()
    left: Counter[str | None] = Counter()
    points = []
    i = 0
    moments = list(map(itemgetter(0), changes))
    for end in ends:
        cut = dt.datetime(end.year, end.month, end.day, tzinfo=UTC) + DAY
        j = bisect.bisect_left(moments, cut, lo=i)
        if j > i:
            part = changes[i:j]
            left.update(map(itemgetter(1), part))
            entered.update(map(itemgetter(2), part))
            i = j
        points.append(FlowPoint(end, {s: entered[s] - left[s] for s in states}))
    return points, step


def flow(
    items: Sequence[Item],
    history: Mapping[str, Sequence[Version]],
    roles: Roles,
    now: dt.datetime,
) -> FlowReport:
    """Every flow figure, from each requirement's versions up to `now`."""
    lead: list[LeadTime] = []
    in_state: dict[str, list[float]] = {}
    events: dict[str, Counter[dt.date]] = {k: Counter() for k in ("shipped", "arrived", "departed")}
    changes: list[tuple[dt.datetime, str | None, str | None]] = []
    finished, shipped_states = roles.finished, roles.shipped
    arrived, departed, shipped_on = events["arrived"], events["departed"], events["shipped"]
    first_seen: dt.date | None = None
    by_id = {i.id: i for i in items}
    add_change = changes.append
    for rid in sorted(history):
        versions = history[rid]
        if versions and versions[-1].at > now:
            versions = [v for v in versions if v.at <= now]
        if not versions:
            continue
        added = versions[0].at
        day = added.date()
        if first_seen is None or day < first_seen:
            first_seen = day
        previous: str | None = None
        since = added  # when `previous` was entered
        shipped = dev = None
        for at, status, _ in versions:
            if status == previous:
                continue
            add_change((at, previous, status))
            if previous is not None:
                stays = in_state.get(previous)
                if stays is None:
                    stays = in_state[previous] = []
                stays.append((at - since) / DAY)
                if previous in finished:
                    if status is not None and status not in finished:
                        arrived[at.date()] += 1  # reopened
                elif status in finished:
                    departed[at.date()] += 1
            elif status is not None:
                arrived[at.date()] += 1
                if status in finished:
                    departed[at.date()] += 1
            if shipped is None and status in shipped_states:
                shipped = at
            if dev is None and status == "development":
                dev = at
            previous, since = status, at
        if shipped is None:
            continue
        shipped_on[shipped.date()] += 1
        item = by_id.get(rid)
        start = ((item.received or item.created) if item else None) or added
        lead.append(
            LeadTime(
                rid,
                start,
                shipped,
                round(max((shipped - start) / DAY, 0.0), 2),
                round((shipped - dev) / DAY, 2) if dev and dev <= shipped else None,
            )
        )
    today = now.date()
    first = first_seen or today
    points, step = _cumulative(changes, roles, first, today)
    return FlowReport(
        lead_time=summarize([r.lead_days for r in lead]),
        cycle_time=summarize([r.cycle_days for r in lead if r.cycle_days is not None]),
        time_in_state={s: summarize(in_state[s]) for s in roles.ordered(in_state)},
        weekly=_periods(events, first, today, "week"),
        monthly=_periods(events, first, today, "month"),
        cumulative_flow=points,
        cumulative_step=step,
        shipped=sorted(lead, key=lambda r: (r.shipped, r.id)),
    )
