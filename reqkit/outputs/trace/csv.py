"""`trace --format csv`: one row per requirement, for spreadsheets; lists joined with `; `."""

from __future__ import annotations

import csv
import io

from reqkit.tracing.coverage import TraceMatrix

__all__ = ["HEADER", "render"]

HEADER = (
    "id",
    "title",
    "type",
    "status",
    "priority",
    "parents",
    "children",
    "tests",
    "code",
    "last_change",
    "traced",
    "verified",
    "verdict",
)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    """Text a spreadsheet would run as a formula is prefixed with `'` (CSV injection)."""
    return "'" + value if value.startswith(_FORMULA) else value


def render(matrix: TraceMatrix) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in matrix.rows:
        change = row.last_change
        writer.writerow(
            _cell(v)
            for v in (
                row.id,
                row.title or "",
                row.type or "",
                row.status or "",
                row.priority or "",
                "; ".join(row.parents),
                "; ".join(row.children),
                "; ".join(f"{t.name} ({t.outcome})" for t in row.tests),
                "; ".join(f"{c.path}:{c.line}" for c in row.code),
                f"{change.date} {change.commit[:12]}" if change else "",
                "yes" if row.traced else "no",
                "yes" if row.verified else "no",
                row.verdict,
            )
        )
    return out.getvalue()
