"""`report --format md`: a weekly status mail or a pull-request comment.

What needs someone comes first (overdue, SLA, evaluations, stale), then the flow, then
the breakdowns. Long lists are cut at `LIMIT` rows, saying how many more there are
(`--format json` has them all).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from reqkit.reports.build import Report
from reqkit.reports.flow import Durations
from reqkit.reports.sla import SlaCase

__all__ = ["LIMIT", "render"]

LIMIT = 20


def cell(text: object) -> str:
    """Table-safe text: no line breaks, no pipes, no raw HTML."""
    value = "—" if text is None or text == "" else str(text)
    return (
        " ".join(value.split())
        .replace("\\", "\\\\")
        .replace("|", "\\|")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _day(value: dt.datetime | dt.date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _hours(h: float) -> str:
    return f"{h / 24:.1f} d" if h >= 48 else f"{h:.1f} h"


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.0f} %"


def _table(
    head: Sequence[str], rows: Sequence[Sequence[object]], total: int | None = None
) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += ["| " + " | ".join(cell(v) for v in row[: len(head)]) + " |" for row in rows[:LIMIT]]
    hidden = (total if total is not None else len(rows)) - min(len(rows), LIMIT)
    if hidden > 0:
        out.append(f"\n… and {hidden} more (`--format json` lists them all).")
    return [*out, ""]


def _durations(name: str, d: Durations) -> str:
    if not d.count:
        return f"- **{name}:** nothing shipped yet"
    return (
        f"- **{name}:** median {d.median_days:.1f} d, mean {d.mean_days:.1f} d, "
        f"85th percentile {d.p85_days:.1f} d, over {d.count} requirements"
    )


def _sla_rows(cases: Sequence[SlaCase]) -> list[list[object]]:
    return [
        [c.id, c.urgency, c.title, _day(c.start), _day(c.answered) if c.answered else "not yet",
         _hours(c.elapsed_hours), _hours(c.limit_hours)]
        for c in cases
    ]  # fmt: skip


def _headline(report: Report) -> list[str]:
    t = report.target
    where = f"at `{t.at}`, " if t.at else ""
    commit = f"commit `{t.commit[:12]}`" if t.commit else "no Git history"
    s = report.sla
    facts = [
        f"**{report.counts.total} requirements**",
        f"{len(report.overdue)} overdue",
        f"{len(s.breaches)} SLA breaches",
        f"{len(s.near_breaches)} near breaches",
        f"SLA compliance {_pct(s.compliance)}",
        f"{len(report.evaluations_due)} evaluations due",
        f"{len(report.stale)} stale",
    ]
    return [
        f"# Requirements status, {_day(t.as_of.date())}",
        "",
        f"As of {_day(t.as_of)} UTC ({where}{commit}).",
        "",
        " · ".join(facts),
        "",
    ]


def render(report: Report) -> str:
    c, s, f = report.counts, report.sla, report.flow
    out = _headline(report)
    out += ["## Status", ""]
    out += _table(["status", "requirements"], list(c.status.items()))
    out += ["## Needs attention", ""]
    out += [f"### Overdue ({len(report.overdue)})", ""]
    out += (
        _table(
            ["ID", "title", "status", "owner", "due", "days late"],
            [
                [r.id, r.title, r.status, r.owner, _day(r.due), r.days_late]
                for r in report.overdue[:LIMIT]
            ],
            len(report.overdue),
        )
        if report.overdue
        else ["None.", ""]
    )
    out += [f"### SLA breaches ({len(s.breaches)})", ""]
    limits = ", ".join(f"{u} {_hours(h)}" for u, h in s.limits_hours.items())
    out += [f"Answer limits: {limits}. Compliance: {_pct(s.compliance)}.", ""]
    out += (
        _table(
            ["ID", "urgency", "title", "clock started", "answered", "took", "limit"],
            _sla_rows(s.breaches[:LIMIT]),
            len(s.breaches),
        )
        if s.breaches
        else ["None.", ""]
    )
    if s.near_breaches:
        out += [f"### Near SLA breaches ({len(s.near_breaches)})", ""]
        out += _table(
            ["ID", "urgency", "title", "clock started", "answered", "open for", "limit"],
            _sla_rows(s.near_breaches[:LIMIT]),
            len(s.near_breaches),
        )
    out += [f"### Evaluations due ({len(report.evaluations_due)})", ""]
    out += ["Released 7–14 days ago without an `evaluation`.", ""]
    out += (
        _table(
            ["ID", "title", "owner", "released", "days ago"],
            [
                [r.id, r.title, r.owner, _day(r.released), r.days_since]
                for r in report.evaluations_due
            ],
        )
        if report.evaluations_due
        else ["None.", ""]
    )
    if report.evaluations_missed:
        out += [f"{len(report.evaluations_missed)} more were released over 14 days ago and "
                "still have no evaluation.", ""]  # fmt: skip
    out += [f"### Stale: no change in {report.stale_days} days ({len(report.stale)})", ""]
    out += (
        _table(
            ["ID", "title", "status", "owner", "last change", "days"],
            [
                [r.id, r.title, r.status, r.owner, _day(r.last_change), r.days]
                for r in report.stale[:LIMIT]
            ],
            len(report.stale),
        )
        if report.stale
        else ["None." if report.target.history else "No Git history.", ""]
    )
    out += ["## Flow", ""]
    out += [_durations("Lead time", f.lead_time), _durations("Cycle time", f.cycle_time)]
    recent = f.weekly[-6:]
    if recent:
        weeks = ", ".join(f"{p.period}: {p.shipped}" for p in recent)
        arrived = sum(p.arrived for p in recent)
        departed = sum(p.departed for p in recent)
        out.append(f"- **Shipped per week:** {weeks}")
        span = "week" if len(recent) == 1 else f"{len(recent)} weeks"
        out.append(f"- **Last {span}:** {arrived} arrived, {departed} departed")
    out.append("")
    if f.time_in_state:
        out += ["Time in each state (completed stays):", ""]
        out += _table(
            ["state", "stays", "median days", "mean days", "85th pct days"],
            [
                [k, d.count, d.median_days, d.mean_days, d.p85_days]
                for k, d in f.time_in_state.items()
            ],
        )
    out += ["## Breakdown", ""]
    for name, values in (("Type", c.type), ("Priority", c.priority), ("Urgency", c.urgency),
                         ("Owner", c.owner), ("Department", c.department),
                         ("Release", c.release), ("Tag", c.tag)):  # fmt: skip
        shown = ", ".join(f"{cell(k)} {v}" for k, v in list(values.items())[:LIMIT])
        more = f", … {len(values) - LIMIT} more" if len(values) > LIMIT else ""
        out.append(f"- **{name}:** {shown or '—'}{more}")
    out.append("")
    pairs = report.duplicates.pairs
    out += [f"## Near-duplicates ({len(pairs)})", ""]
    out += (
        _table(
            ["requirement", "similar to", "similarity"],
            [
                [
                    f"{p.a} {report.titles.get(p.a, '')}",
                    f"{p.b} {report.titles.get(p.b, '')}",
                    f"{p.score:.2f}",
                ]
                for p in pairs[:LIMIT]
            ],
            len(pairs),
        )
        if pairs
        else [f"None at similarity ≥ {report.duplicates.threshold:.2f}.", ""]
    )
    return "\n".join(out).rstrip("\n") + "\n"
