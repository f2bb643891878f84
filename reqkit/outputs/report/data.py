"""The report as plain JSON data: the documented shape (`docs/reports.md`), pinned by tests.

Times are ISO 8601 in UTC (`2024-06-30T23:59:59Z`), days and hours are numbers rounded to
two decimals, lists are sorted as the report sorts them, and no key is ever left out
(an unknown value is `null`), so consumers can rely on the shape.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from reqkit.reports.build import Report
from reqkit.reports.flow import Durations, Period
from reqkit.reports.sla import SlaCase

__all__ = ["SCHEMA_VERSION", "report_data"]

#: Bumped when a key changes meaning or goes away (adding keys does not bump it).
SCHEMA_VERSION = 1


def _time(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        text = value.astimezone(dt.UTC).replace(microsecond=0).isoformat()
        return text.replace("+00:00", "Z")
    return value.isoformat()


def _durations(d: Durations) -> dict[str, Any]:
    return {
        "count": d.count,
        "mean_days": d.mean_days,
        "median_days": d.median_days,
        "p85_days": d.p85_days,
        "max_days": d.max_days,
    }


def _period(p: Period) -> dict[str, Any]:
    return {
        "period": p.period,
        "start": _time(p.start),
        "shipped": p.shipped,
        "arrived": p.arrived,
        "departed": p.departed,
    }


def _case(c: SlaCase) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "urgency": c.urgency,
        "owner": c.owner,
        "state": c.state,
        "start": _time(c.start),
        "start_from": c.start_from,
        "answered": _time(c.answered),
        "limit_hours": c.limit_hours,
        "elapsed_hours": c.elapsed_hours,
        "over_hours": round(max(c.elapsed_hours - c.limit_hours, 0.0), 2),
        "remaining_hours": round(max(c.limit_hours - c.elapsed_hours, 0.0), 2),
    }


def report_data(report: Report) -> dict[str, Any]:
    """The JSON object `reqkit report --format json` prints."""
    t, c, s, f = report.target, report.counts, report.sla, report.flow
    states = list(f.cumulative_flow[-1].counts) if f.cumulative_flow else []
    return {
        "schema_version": SCHEMA_VERSION,
        "report": {
            "as_of": _time(t.as_of),
            "at": t.at,
            "commit": t.commit,
            "history": t.history,
            "stale_days": report.stale_days,
        },
        "counts": {
            "total": c.total,
            "status": c.status,
            "type": c.type,
            "priority": c.priority,
            "urgency": c.urgency,
            "owner": c.owner,
            "department": c.department,
            "release": c.release,
            "tag": c.tag,
        },
        "overdue": [
            {
                "id": r.id,
                "title": r.title,
                "status": r.status,
                "owner": r.owner,
                "due": _time(r.due),
                "days_late": r.days_late,
            }
            for r in report.overdue
        ],
        "stale": [
            {
                "id": r.id,
                "title": r.title,
                "status": r.status,
                "owner": r.owner,
                "last_change": _time(r.last_change),
                "days": r.days,
            }
            for r in report.stale
        ],
        "sla": {
            "limits_hours": s.limits_hours,
            "near_share": s.near_share,
            "compliance": s.compliance,
            "by_urgency": {
                u: {
                    "limit_hours": st.limit_hours,
                    "measured": st.measured,
                    "met": st.met,
                    "breached": st.breached,
                    "open": st.open,
                    "compliance": st.compliance,
                }
                for u, st in s.by_urgency.items()
            },
            "breaches": [b.id for b in s.breaches],
            "near_breaches": [b.id for b in s.near_breaches],
            "details": {b.id: _case(b) for b in [*s.breaches, *s.near_breaches]},
        },
        "evaluations": {
            kind: [
                {
                    "id": r.id,
                    "title": r.title,
                    "owner": r.owner,
                    "released": _time(r.released),
                    "days_since": r.days_since,
                }
                for r in rows
            ]
            for kind, rows in (
                ("due", report.evaluations_due),
                ("missed", report.evaluations_missed),
            )
        },
        "flow": {
            "lead_time": _durations(f.lead_time),
            "cycle_time": _durations(f.cycle_time),
            "time_in_state": {k: _durations(v) for k, v in f.time_in_state.items()},
            "throughput": {
                "weekly": [_period(p) for p in f.weekly],
                "monthly": [_period(p) for p in f.monthly],
            },
            "cumulative_flow": {
                "step": f.cumulative_step,
                "states": states,
                "points": [{"date": _time(p.date), "counts": p.counts} for p in f.cumulative_flow],
            },
            "shipped": [
                {
                    "id": r.id,
                    "start": _time(r.start),
                    "shipped": _time(r.shipped),
                    "lead_days": r.lead_days,
                    "cycle_days": r.cycle_days,
                }
                for r in f.shipped
            ],
        },
        "duplicates": {
            "threshold": report.duplicates.threshold,
            "pairs": [{"a": p.a, "b": p.b, "score": p.score} for p in report.duplicates.pairs],
        },
    }
