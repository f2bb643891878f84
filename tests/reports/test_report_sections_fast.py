"""The report's sections written for speed (flow, SLA, stale, counts, the cache's rows)
give exactly what the plain code they replaced gave: that code is kept here, and both run
on random histories with every odd case (reopened, removed, repeated states, versions
after `now`, empty values, time zones other than UTC)."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from reqkit.reports import cache, flow, sla, status
from reqkit.reports.flow import (
    DAY,
    MAX_POINTS,
    FlowPoint,
    FlowReport,
    LeadTime,
    _month,
    _next,
    _periods,
    _week,
    summarize,
)
from reqkit.reports.items import Item
from reqkit.reports.sla import HOUR, NEAR, SlaCase, SlaReport, UrgencyStats
from reqkit.reports.status import NONE, Counts, Stale, _sorted
from reqkit.reports.timeline import Roles, Version, first_entry

UTC = dt.UTC
NOW = dt.datetime(2025, 3, 1, 12, tzinfo=UTC)
STATES = ("analysis", "review", "development", "testing", "released", "closed", "rejected")
ROLES = Roles(
    order=(*STATES[:-1], "deferred"),  # "rejected": a state the project does not order
    answered=frozenset(STATES[1:]),
    shipped=frozenset({"released", "closed"}),
    finished=frozenset({"released", "closed", "rejected", "deferred"}),
)
LIMITS = {"urgent": 24.0, "important": 168.0}


# --- the plain code, as it was ---------------------------------------------------------


def plain_cumulative(
    changes: list[tuple[dt.datetime, str | None, str | None]],
    roles: Roles,
    first: dt.date,
    last: dt.date,
) -> tuple[list[FlowPoint], str]:
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
    changes.sort(key=lambda c: c[0])
    states = roles.ordered({s for _, a, b in changes for s in (a, b) if s is not None})
    current: Counter[str] = Counter()
    points = []
    i = 0
    moments = [c[0] for c in changes]
    for end in ends:
        cut = dt.datetime(end.year, end.month, end.day, tzinfo=UTC) + DAY
        j = bisect.bisect_left(moments, cut, lo=i)
        for _, old, new in changes[i:j]:
            if old is not None:
                current[old] -= 1
            if new is not None:
                current[new] += 1
        i = j
        points.append(FlowPoint(end, {s: current[s] for s in states}))
    return points, step


def plain_flow(
    items: Sequence[Item],
    history: Mapping[str, Sequence[Version]],
    roles: Roles,
    now: dt.datetime,
) -> FlowReport:
    lead: list[LeadTime] = []
    in_state: dict[str, list[float]] = {}
    events: dict[str, Counter[dt.date]] = {k: Counter() for k in ("shipped", "arrived", "departed")}
    changes: list[tuple[dt.datetime, str | None, str | None]] = []
    finished, shipped_states = roles.finished, roles.shipped
    arrived, departed, shipped_on = events["arrived"], events["departed"], events["shipped"]
    first_seen: dt.date | None = None
    by_id = {i.id: i for i in items}
    for rid in sorted(history):
        versions = history[rid]
        if versions and versions[-1].at > now:
            versions = [v for v in versions if v.at <= now]
        if not versions:
            continue
        added = versions[0].at
        if first_seen is None or added.date() < first_seen:
            first_seen = added.date()
        previous: str | None = None
        since = added
        shipped = dev = None
        for v in versions:
            st = v.status
            if st == previous:
                continue
            at = v.at
            changes.append((at, previous, st))
            if previous is not None:
                in_state.setdefault(previous, []).append((at - since) / DAY)
            if st is not None and (
                previous is None or (previous in finished and st not in finished)
            ):
                arrived[at.date()] += 1
            if st in finished and previous not in finished:
                departed[at.date()] += 1
            if shipped is None and st in shipped_states:
                shipped = at
            if dev is None and st == "development":
                dev = at
            previous, since = st, at
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
    points, step = plain_cumulative(changes, roles, first, today)
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


def plain_case(
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
    return SlaCase(
        item.id, item.title, item.urgency or "", item.owner, start, start_from, answered,
        limit, round(elapsed, 2), state,
    )  # fmt: skip


def plain_sla(
    items: Sequence[Item],
    history: Mapping[str, Sequence[Version]],
    roles: Roles,
    limits: Mapping[str, float],
    now: dt.datetime,
) -> SlaReport:
    cases: dict[str, list[SlaCase]] = {u: [] for u in limits}
    for item in items:
        limit = limits.get(item.urgency or "")
        if limit is None:
            continue
        case = plain_case(item, history.get(item.id, ()), limit, roles, now)
        if case is not None:
            cases[case.urgency].append(case)
    stats = {}
    for urgency, found in cases.items():
        met = sum(1 for c in found if c.state == "met")
        breached = sum(1 for c in found if c.breached)
        stats[urgency] = UrgencyStats(
            limits[urgency], len(found), met, breached, len(found) - met - breached,
            round(met / (met + breached), 4) if met + breached else None,
        )  # fmt: skip
    every = [c for found in cases.values() for c in found]
    breaches = sorted(
        (c for c in every if c.breached), key=lambda c: (-c.elapsed_hours + c.limit_hours, c.id)
    )
    near = sorted(
        (c for c in every if c.state == "open" and c.elapsed_hours >= NEAR * c.limit_hours),
        key=lambda c: (c.limit_hours - c.elapsed_hours, c.id),
    )
    return SlaReport(dict(limits), NEAR, stats, breaches, near)


def plain_stale(
    items: Sequence[Item],
    history: Mapping[str, Sequence[Version]],
    roles: Roles,
    now: dt.datetime,
    *,
    days: int,
) -> list[Stale]:
    out = []
    for i in items:
        versions = history.get(i.id)
        if i.status in roles.finished or not versions:
            continue
        last = versions[-1].at
        age = (now - last) // DAY
        if age >= days:
            out.append(Stale(i.id, i.title, i.status, i.owner, last, age))
    return sorted(out, key=lambda r: (-r.days, r.id))


def plain_counts(items: Sequence[Item], roles: Roles) -> Counts:
    def by(field: str) -> Counter[str]:
        return Counter(getattr(i, field) or NONE for i in items)

    tags: Counter[str] = Counter(t for i in items for t in i.tags)
    tags[NONE] = sum(1 for i in items if not i.tags)
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


def plain_row_item(r: tuple[Any, ...]) -> Item:
    fields: list[Any] = [*r[:11], cache._dt(r[11]), cache._dt(r[12]), cache._dt(r[13]), *r[14:]]
    return Item(*fields)


def plain_pack(versions: dict[str, list[Version]]) -> Any:
    index: dict[str, int] = {}
    commits: list[tuple[str, float]] = []
    table = {}
    for rid, found in versions.items():
        rows = []
        for v in found:
            k = index.get(v.sha)
            if k is None:
                k = index[v.sha] = len(commits)
                commits.append((v.sha, v.at.timestamp()))
            rows.append((k, v.status))
        table[rid] = rows
    return commits, table


def plain_unpack(packed: Any) -> dict[str, list[Version]]:
    commits, table = packed
    moments = [(dt.datetime.fromtimestamp(ts, UTC), sha) for sha, ts in commits]
    return {
        rid: [Version(moments[k][0], st, moments[k][1]) for k, st in rows]
        for rid, rows in table.items()
    }


# --- random histories ------------------------------------------------------------------


def _moment(pick: random.Random, days: int = 800) -> dt.datetime:
    at = NOW - dt.timedelta(seconds=pick.randrange(days * 86_400), microseconds=pick.randrange(3))
    if pick.random() < 0.05:  # another zone, the same instant
        return at.astimezone(dt.timezone(dt.timedelta(hours=pick.choice([-7, 5, 9]))))
    return at


def _world(seed: int, n: int) -> tuple[list[Item], dict[str, list[Version]]]:
    pick = random.Random(seed)
    values = [None, None, "", "a", "b", "c", NONE]
    items = []
    history: dict[str, list[Version]] = {}
    span = pick.choice([20, 150, 800])  # day, week and month steps of the cumulative flow
    for k in range(n):
        rid = f"R-{k:04d}"
        moments = sorted(_moment(pick, span) for _ in range(pick.randrange(0, 9)))
        if pick.random() < 0.1 and moments:
            moments.append(NOW + dt.timedelta(hours=pick.randrange(1, 50)))  # after `now`
        if pick.random() < 0.05 and moments:
            moments.append(moments[-1])  # two versions at one moment
        versions = []
        for at in moments:
            st = pick.choice([*STATES, None, "development", "released", "odd"])
            versions.append(Version(at, st, f"{pick.randrange(1 << 30):x}"))
        key = rid if pick.random() > 0.05 else f"{rid} (removed)"
        if versions or pick.random() < 0.5:
            history[key] = versions
        if pick.random() < 0.08:
            continue  # a file gone: in the history only
        status_now = versions[-1].status if versions and pick.random() < 0.8 else None
        items.append(
            Item(
                id=rid,
                path=f"reqs/{rid}.yaml",
                title=pick.choice(["", "Export", "Import"]),
                status=status_now if status_now is not None else pick.choice(values),
                type=pick.choice(values),
                priority=pick.choice([*values, "must", "wont"]),
                urgency=pick.choice([None, "", "urgent", "important", "routine"]),
                owner=pick.choice(values),
                department=pick.choice(values),
                release=pick.choice(values),
                tags=pick.choice([(), (), ("x",), ("x", "y"), ("y",)]),
                due=_moment(pick) if pick.random() < 0.3 else None,
                received=_moment(pick) if pick.random() < 0.3 else None,
                created=_moment(pick) if pick.random() < 0.2 else None,
                evaluated=pick.random() < 0.3,
            )
        )
    return items, history


SEEDS = range(40)


@pytest.mark.parametrize("seed", SEEDS)
def test_flow_equals_the_plain_code(seed: int) -> None:
    items, history = _world(seed, 60 + seed * 5)
    got = flow.flow(items, history, ROLES, NOW)
    expected = plain_flow(items, history, ROLES, NOW)
    assert got == expected
    assert repr(got) == repr(expected)  # the same types, down to each named tuple


@pytest.mark.parametrize("seed", SEEDS)
def test_sla_stale_and_counts_equal_the_plain_code(seed: int) -> None:
    items, history = _world(seed, 60 + seed * 5)
    random.Random(seed).shuffle(items)  # in no particular order: sorting is theirs
    for got, expected in [
        (
            sla.sla(items, history, ROLES, LIMITS, NOW),
            plain_sla(items, history, ROLES, LIMITS, NOW),
        ),
        (
            status.stale(items, history, ROLES, NOW, days=seed % 40),
            plain_stale(items, history, ROLES, NOW, days=seed % 40),
        ),
        (status.counts(items, ROLES), plain_counts(items, ROLES)),
    ]:
        assert got == expected
        assert repr(got) == repr(expected)
        if isinstance(got, Counts):
            for name in ("status", "owner", "tag", "priority"):  # the order of keys too
                assert list(getattr(got, name).items()) == list(getattr(expected, name).items())


@pytest.mark.parametrize("seed", range(10))
def test_cache_rows_and_versions_come_back_as_before(seed: int) -> None:
    import marshal

    items, history = _world(seed, 80)
    for item in items:
        row = cache.item_row(item)
        assert repr(cache.row_item(row)) == repr(plain_row_item(row))
    utc = {
        rid: [v._replace(at=v.at.astimezone(UTC).replace(microsecond=0)) for v in found]
        for rid, found in history.items()
    }  # what the history engine gives: whole seconds, UTC
    utc["R-9999"] = []  # a requirement with no versions left
    packed = marshal.loads(marshal.dumps(cache.pack_versions(utc)))
    expected = plain_unpack(plain_pack(utc))
    assert repr(cache.unpack_versions(packed)) == repr(expected) == repr(utc)


def test_a_state_only_ever_entered_still_counts_in_the_cumulative_flow() -> None:
    start = NOW - dt.timedelta(days=30)
    history = {
        "R-1": [Version(start, "analysis", "a"), Version(start + DAY, "review", "b")],
        "R-2": [Version(start + 2 * DAY, "analysis", "c"), Version(NOW, "unheard-of", "")],
    }
    items = [Item("R-1", "reqs/R-1.yaml", "", "review"), Item("R-2", "reqs/R-2.yaml", "", None)]
    got = flow.flow(items, history, ROLES, NOW)
    assert repr(got) == repr(plain_flow(items, history, ROLES, NOW))
    assert got.cumulative_flow[-1].counts == {"review": 1, "unheard-of": 1, "analysis": 0}


def plain_item_from_data(data: Mapping[str, Any], *, path: str, fallback_id: str) -> Item:
    from reqkit.reports.items import _text, _texts, as_moment

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


@pytest.mark.parametrize("seed", range(5))
def test_items_from_file_data_as_before(seed: int) -> None:
    from types import MappingProxyType

    from reqkit.reports.items import item_from_data

    pick = random.Random(seed)
    odd: list[Any] = [None, "", "  ", " x ", 3, 0, [], ["a", " b", 2, ""], {}, True, False]
    dates: list[Any] = [
        None, "2024-05-06", "2024-05-06T10:00:00Z", "2024-13-40", dt.date(2024, 1, 2),
        dt.datetime(2024, 1, 2, 3, tzinfo=dt.timezone(dt.timedelta(hours=2))),
        dt.datetime(2024, 1, 2, 3), 7,
    ]  # fmt: skip
    keys = ["id", "title", "status", "type", "priority", "urgency", "owner", "department",
            "release", "tags", "evaluation", "description"]  # fmt: skip
    for _ in range(300):
        data: dict[str, Any] = {k: pick.choice(odd) for k in keys if pick.random() < 0.7}
        for k in ("due", "created"):
            if pick.random() < 0.5:
                data[k] = pick.choice(dates)
        if pick.random() < 0.5:
            received = {"received": pick.choice(dates)}
            data["source"] = pick.choice([received, MappingProxyType(received), "x", None])
        if pick.random() < 0.5:
            data["links"] = pick.choice([{"duplicates": pick.choice(odd)}, [], None])
        for shown in (data, MappingProxyType(data)):  # a mapping that is not a dict too
            got = item_from_data(shown, path="reqs/x.yaml", fallback_id="x")
            assert repr(got) == repr(
                plain_item_from_data(shown, path="reqs/x.yaml", fallback_id="x")
            )


def test_files_read_with_the_stat_already_taken_as_read_file_reads_them(tmp_path: Any) -> None:
    import os
    from pathlib import Path

    from reqkit.api.reporting import _file_data
    from reqkit.loader.files import read_file

    texts = {
        "ok.yaml": b"id: R-1\ntitle: Export\nstatus: analysis\n",
        "bad.yaml": b"id: [unclosed\n",
        "latin1.yaml": "title: caf\u00e9\n".encode("latin-1"),
        "big.yaml": b"title: " + b"x" * 400 + b"\n",
        "empty.yaml": b"",
    }
    for name, raw in texts.items():
        path = tmp_path / name
        path.write_bytes(raw)
        found = os.stat(path)
        for limit in (100, 10_000):
            assert _file_data(str(path), found, limit) == read_file(Path(path), max_size=limit).data
    grown = tmp_path / "ok.yaml"
    before = os.stat(grown)
    grown.write_bytes(texts["ok.yaml"] + b"owner: alice\n" * 50)  # grew after the stat
    assert _file_data(str(grown), before, 10_000) == read_file(grown, max_size=10_000).data
    gone = tmp_path / "gone.yaml"
    assert _file_data(str(gone), None, 10_000) == read_file(gone, max_size=10_000).data
    assert _file_data(str(gone), before, 10_000) is None


@pytest.mark.parametrize("seed", range(6))
def test_near_duplicates_come_in_the_plain_order(seed: int) -> None:
    """Most similar first, then by IDs; acknowledged pairs left out (as the plain code,
    which filtered a set and sorted it with one key)."""
    from reqkit.reports import duplicates

    pick = random.Random(seed)
    words = ["".join(pick.choice("abcdefghij") for _ in range(6)) for _ in range(300)]
    templates = [[pick.choice(words) for _ in range(6)] for _ in range(30)]
    texts = []
    for _ in range(120):
        rid = f"R-{pick.randrange(1000):03d}"  # some IDs twice
        text = list(pick.choice(templates))
        for _ in range(pick.randrange(3)):  # a word or two changed: alike, not the same
            text[pick.randrange(6)] = pick.choice(words)
        listed = tuple(f"R-{pick.randrange(1000):03d}" for _ in range(pick.randrange(3)))
        texts.append((rid, " ".join(text[:3]), " ".join(text[3:]), listed))
    among = {t[0] for t in texts if pick.random() < 0.7}
    first = duplicates._join(
        [(r, duplicates.grams(t, d)) for r, t, d, _ in texts], 0.5, probes=among
    )
    acknowledged: dict[str, list[str]] = {}
    for n, (a, b, _) in enumerate(first[::3]):  # every third pair, listed by either side
        rid, other = (a, b) if n % 2 else (b, a)
        acknowledged.setdefault(rid, []).append(other)
    texts = [(r, t, d, (*listed, *acknowledged.pop(r, ()))) for r, t, d, listed in texts]
    known = {(rid, other) for rid, _, _, listed in texts for other in listed}
    docs = [(rid, duplicates.grams(t, d)) for rid, t, d, _ in texts]
    docs = [(rid, x) for rid, x in docs if len(x) >= duplicates._MIN_GRAMS]
    found = duplicates._join(docs, 0.5, probes=among)
    plain = {p for p in found if (p[0], p[1]) not in known and (p[1], p[0]) not in known}
    expected = list(map(duplicates.Pair._make, sorted(plain, key=lambda p: (-p[2], p[0], p[1]))))
    got = duplicates.near_duplicates(texts, threshold=0.5, among=among)
    assert len({p.score for p in got}) < len(got), "equal scores must occur"
    assert len(got) < len(found), "acknowledged pairs must occur"
    assert repr(got) == repr(expected)


def plain_add_worktree(
    versions: dict[str, list[Version]], items: Sequence[Item], now: dt.datetime
) -> None:
    present = set()
    for item in items:
        present.add(item.id)
        found = versions.setdefault(item.id, [])
        if not found or found[-1].status != item.status:
            found.append(Version(now, item.status, ""))
    for rid, found in versions.items():
        if rid not in present and found and found[-1].status is not None and "(" not in rid:
            found.append(Version(now, None, ""))


@pytest.mark.parametrize("seed", range(10))
def test_uncommitted_changes_join_the_history_as_before(seed: int) -> None:
    from reqkit.api.reporting import _add_worktree

    items, history = _world(seed, 120)
    pick = random.Random(seed)
    items += [i._replace(status=pick.choice([None, "odd", i.status])) for i in items[::9]]
    got = {rid: list(found) for rid, found in history.items()}
    expected = {rid: list(found) for rid, found in history.items()}
    _add_worktree(got, items, NOW)
    plain_add_worktree(expected, items, NOW)
    assert repr(got) == repr(expected)


@pytest.mark.parametrize("seed", range(10))
def test_a_flow_kept_in_the_cache_comes_back_as_it_was(seed: int) -> None:
    import marshal

    items, history = _world(seed, 100)
    computed = flow.flow(items, history, ROLES, NOW)
    assert computed.shipped and computed.time_in_state, "the world must ship requirements"
    packed = marshal.loads(marshal.dumps(cache.pack_flow(computed)))
    assert repr(cache.unpack_flow(packed)) == repr(computed)
