"""`report --format html`: one self-contained page (inline CSS and SVG, no scripts).

Every value from a requirement is escaped; nothing is fetched from anywhere, so the file
can be mailed, attached to a CI run or opened offline.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from reqkit.outputs.report.figures import report_charts
from reqkit.reports.build import Report
from reqkit.reports.flow import Durations

__all__ = ["render"]

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;
padding:0 1rem;color:#222}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ddd;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f4f4f4}
.facts{display:flex;flex-wrap:wrap;gap:.5rem}.facts span{background:#f4f4f4;border-radius:4px;
padding:.25rem .6rem}.charts{display:flex;flex-wrap:wrap;gap:1rem}.charts svg{max-width:100%;height:auto}
.muted{color:#666}
"""


def _v(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, float):
        return f"{value:.2f}"
    return escape(str(value))


def _table(head: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    if not rows:
        return '<p class="muted">None.</p>'
    out = ["<table><thead><tr>", *(f"<th>{escape(h)}</th>" for h in head), "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(f"<td>{_v(v)}</td>" for v in row) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _dur(name: str, d: Durations) -> list[object]:
    return [name, d.count, d.median_days, d.mean_days, d.p85_days, d.max_days]


def render(report: Report) -> str:
    t, c, s, f = report.target, report.counts, report.sla, report.flow
    pct = "—" if s.compliance is None else f"{s.compliance * 100:.0f} %"
    facts = [
        f"{c.total} requirements",
        f"{len(report.overdue)} overdue",
        f"{len(s.breaches)} SLA breaches",
        f"{len(s.near_breaches)} near breaches",
        f"SLA compliance {pct}",
        f"{len(report.evaluations_due)} evaluations due",
        f"{len(report.stale)} stale",
    ]
    where = f"at {t.at}, " if t.at else ""
    commit = f"commit {t.commit[:12]}" if t.commit else "no Git history"
    sla_rows = [
        [b.id, b.urgency, b.title, b.state, b.start, b.answered or "not yet",
         f"{b.elapsed_hours:.1f} h", f"{b.limit_hours:.0f} h"]
        for b in [*s.breaches, *s.near_breaches]
    ]  # fmt: skip
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>Requirements status {_v(t.as_of.date().isoformat())}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Requirements status, {_v(t.as_of.date().isoformat())}</h1>",
        f'<p class="muted">As of {_v(t.as_of)} UTC ({escape(where + commit)}).</p>',
        '<p class="facts">' + "".join(f"<span>{escape(x)}</span>" for x in facts) + "</p>",
        '<div class="charts">',
        *report_charts(report).values(),
        "</div>",
        f"<h2>Overdue ({len(report.overdue)})</h2>",
        _table(
            ["ID", "title", "status", "owner", "due", "days late"],
            [
                [r.id, r.title, r.status, r.owner, r.due.isoformat(), r.days_late]
                for r in report.overdue
            ],
        ),
        f"<h2>SLA breaches ({len(s.breaches)}) and near breaches ({len(s.near_breaches)})</h2>",
        _table(
            ["ID", "urgency", "title", "state", "clock started", "answered", "took", "limit"],
            sla_rows,
        ),
        f"<h2>Evaluations due ({len(report.evaluations_due)})</h2>",
        _table(
            ["ID", "title", "owner", "released", "days ago"],
            [[r.id, r.title, r.owner, r.released, r.days_since] for r in report.evaluations_due],
        ),
        f"<h2>Stale: no change in {report.stale_days} days ({len(report.stale)})</h2>",
        _table(
            ["ID", "title", "status", "owner", "last change", "days"],
            [[r.id, r.title, r.status, r.owner, r.last_change, r.days] for r in report.stale],
        ),
        "<h2>Flow</h2>",
        _table(
            ["measure", "count", "median days", "mean days", "85th pct days", "max days"],
            [_dur("lead time", f.lead_time), _dur("cycle time", f.cycle_time)]
            + [_dur(f"in {k}", d) for k, d in f.time_in_state.items()],
        ),
        _table(
            ["month", "shipped", "arrived", "departed"],
            [[p.period, p.shipped, p.arrived, p.departed] for p in f.monthly[-12:]],
        ),
        "<h2>Breakdown</h2>",
        _table(
            ["field", "values"],
            [
                [name, ", ".join(f"{k} {v}" for k, v in values.items())]
                for name, values in (
                    ("status", c.status),
                    ("type", c.type),
                    ("priority", c.priority),
                    ("urgency", c.urgency),
                    ("owner", c.owner),
                    ("department", c.department),
                    ("release", c.release),
                    ("tag", c.tag),
                )
            ],
        ),
        f"<h2>Near-duplicates ({len(report.duplicates.pairs)})</h2>",
        _table(
            ["requirement", "similar to", "similarity"],
            [
                [
                    f"{p.a} {report.titles.get(p.a, '')}",
                    f"{p.b} {report.titles.get(p.b, '')}",
                    f"{p.score:.2f}",
                ]
                for p in report.duplicates.pairs[:200]
            ],
        ),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
