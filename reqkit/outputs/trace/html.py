"""`trace --format html`: one self-contained page; every value escaped (untrusted text)."""

from __future__ import annotations

from reqkit.outputs.sanitize import attr, escape
from reqkit.tracing.coverage import TraceMatrix
from reqkit.tracing.matrix import Row, Tally

__all__ = ["render"]

_STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;
vertical-align:top;text-align:left}th{background:#f4f4f4}td.n{text-align:right}
.passed{color:#17692a}.failed,.error{color:#b00020}.skipped,.not-run{color:#8a6d00}
.untested{color:#666}ul{margin:0;padding-left:1.2em}
"""


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


def _tally(label: str, t: Tally) -> str:
    cells = (t.requirements, t.traced, _pct(t.traced_pct), t.verified, _pct(t.verified_pct))
    return (
        f"<tr><th>{escape(label)}</th>"
        + "".join(f'<td class="n">{c}</td>' for c in cells)
        + "</tr>"
    )


def _css(outcome: str) -> str:
    return attr(outcome.replace(" ", "-"))


def _row(row: Row) -> str:
    tests = "".join(
        f'<li class="{_css(t.outcome)}">{escape(t.name)} ({escape(t.outcome)})'
        + (f"<br><small>{escape(t.message)}</small>" if t.message else "")
        + "</li>"
        for t in row.tests
    )
    code = "".join(f"<li>{escape(c.path)}:{c.line}</li>" for c in row.code)
    change = row.last_change
    when = f"{escape(change.date[:10])} {escape(change.commit[:7])}" if change else ""
    cells = [
        f'<td id="{attr(row.id)}">{escape(row.id)}</td>',
        f"<td>{escape(row.title or '')}</td>",
        f"<td>{escape(row.type or '')}</td>",
        f"<td>{escape(row.status or '')}</td>",
        f"<td>{escape(', '.join(row.parents))}</td>",
        f"<td>{escape(', '.join(row.children))}</td>",
        f"<td><ul>{tests}</ul></td>" if tests else "<td></td>",
        f"<td><ul>{code}</ul></td>" if code else "<td></td>",
        f"<td>{when}</td>",
        f'<td class="{_css(row.verdict)}">{escape(row.verdict)}</td>',
    ]
    return "<tr>" + "".join(cells) + "</tr>"


def render(matrix: TraceMatrix) -> str:
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        "<title>Traceability matrix</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Traceability matrix</h1><h2>Coverage</h2><table>",
        "<tr><th></th><th>requirements</th><th>traced</th><th>traced %</th>"
        "<th>verified</th><th>verified %</th></tr>",
        _tally("all", matrix.overall),
        *(_tally(f"type: {k}", t) for k, t in matrix.by("type").items()),
        *(_tally(f"status: {k}", t) for k, t in matrix.by("status").items()),
        "</table>",
    ]
    if matrix.findings:
        parts.append(f"<h2>Findings ({len(matrix.findings)})</h2><ul>")
        parts += [
            f"<li>{escape(d.path)}:{d.line}: {escape(d.severity)} {escape(d.code)} "
            f"{escape(d.message)}</li>"
            for d in matrix.findings
        ]
        parts.append("</ul>")
    parts += [
        "<h2>Matrix</h2><table><tr><th>ID</th><th>title</th><th>type</th><th>status</th>"
        "<th>parents</th><th>children</th><th>tests</th><th>code</th><th>last change</th>"
        "<th>verdict</th></tr>",
        *(_row(r) for r in matrix.rows),
        "</table></body></html>\n",
    ]
    return "\n".join(parts)
