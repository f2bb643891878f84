"""`trace --format md`: the coverage summary, what needs attention, then the matrix."""

from __future__ import annotations

from reqkit.tracing.coverage import TraceMatrix
from reqkit.tracing.matrix import Tally

__all__ = ["render"]

_MARK = {"passed": "✅", "failed": "❌", "error": "❌", "skipped": "⏭", "not run": "⏸"}


def _cell(text: str | None) -> str:
    """Table-safe text: one line, pipes escaped, Markdown/HTML markup made inert."""
    if not text:
        return ""
    flat = " ".join(text.split())
    for char in "\\`*_[]<>|":
        flat = flat.replace(char, "\\" + char)
    return flat


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


def _tally_row(label: str, t: Tally) -> str:
    """`label` is Markdown already."""
    return (
        f"| {label} | {t.requirements} | {t.traced} | {_pct(t.traced_pct)} "
        f"| {t.verified} | {_pct(t.verified_pct)} |"
    )


def _summary(matrix: TraceMatrix) -> list[str]:
    head = "| | requirements | traced | traced % | verified | verified % |"
    lines = ["## Coverage", "", head, "|---|---:|---:|---:|---:|---:|"]
    lines.append(_tally_row("**all**", matrix.overall))
    for label, attribute in (("type", "type"), ("status", "status")):
        for key, t in matrix.by(attribute).items():
            lines.append(_tally_row(f"{label}: {_cell(key)}", t))
    inputs = (
        f"Inputs: {matrix.test_cases} test cases from {len(matrix.tests)} JUnit file(s); "
        f"{matrix.code_refs} code references in {len(matrix.code)} folder(s)."
    )
    return [*lines, "", inputs]


def _attention(matrix: TraceMatrix) -> list[str]:
    lines: list[str] = []
    if matrix.rules or matrix.thresholds:
        lines += ["", "## Coverage rules", ""]
        for r in matrix.rules:
            if not r.judged:
                state = "not judged (no evidence given)"
            else:
                state = "met" if not r.failing else f"**not met** by {len(r.failing)}"
            lines.append(f"- `{_cell(r.rule.name)}` (require {r.rule.require}): {state}")
        for t in matrix.thresholds:
            state = "met" if t.ok else "**not met**"
            judged = "" if t.judged else " (not judged: no test results)"
            lines.append(f"- `{t.name}` {t.minimum:g} %: {_pct(t.actual)}, {state}{judged}")
    for title, ids in (
        ("Released without a passing test", matrix.released_without_passing_test),
        ("Uncovered (no test)", matrix.uncovered),
    ):
        if ids:
            lines += ["", f"## {title} ({len(ids)})", "", ", ".join(_cell(i) for i in ids)]
    if matrix.unknown:
        lines += ["", f"## Unknown requirement IDs ({len(matrix.unknown)})", ""]
        for u in matrix.unknown:
            what = f"test {_cell(u.test)}" if u.kind == "test" else "code"
            lines.append(f"- **error** {_cell(u.id)}: {what} at {_cell(u.path)}:{u.line}")
    return lines


def render(matrix: TraceMatrix) -> str:
    lines = ["# Traceability matrix", "", *_summary(matrix), *_attention(matrix)]
    lines += [
        "",
        "## Matrix",
        "",
        "| ID | title | type | status | parents | children | tests | code | last change |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in matrix.rows:
        tests = "<br>".join(
            f"{_MARK.get(t.outcome, '')} {_cell(t.name)} ({t.outcome})" for t in row.tests
        )
        code = "<br>".join(f"{_cell(c.path)}:{c.line}" for c in row.code)
        change = row.last_change
        when = f"{change.date[:10]} {change.commit[:7]}" if change else ""
        lines.append(
            f"| {_cell(row.id)} | {_cell(row.title)} | {_cell(row.type)} | {_cell(row.status)} "
            f"| {_cell(', '.join(row.parents))} | {_cell(', '.join(row.children))} "
            f"| {tests} | {code} | {when} |"
        )
    return "\n".join(lines) + "\n"
