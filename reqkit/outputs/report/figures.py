"""The report's four charts as SVG text, for the HTML report and the site."""

from __future__ import annotations

from reqkit.outputs import charts
from reqkit.reports.build import Report

__all__ = ["CHARTS", "report_charts"]

#: Chart names, in the order pages show them (also the `.svg` file names the site writes).
CHARTS = ("status", "cumulative-flow", "lead-time", "throughput")
#: The throughput chart shows this many most recent weeks.
WEEKS = 26


def report_charts(report: Report) -> dict[str, str]:
    """name → deterministic SVG: status donut, cumulative flow, lead times, weekly throughput."""
    flow = report.flow
    states = list(flow.cumulative_flow[-1].counts) if flow.cumulative_flow else []
    return {
        "status": charts.donut(report.counts.status),
        "cumulative-flow": charts.cumulative_flow(
            [(str(p.date), p.counts) for p in flow.cumulative_flow],
            states,
            title=f"Cumulative flow (per {flow.cumulative_step})",
        ),
        "lead-time": charts.histogram([r.lead_days for r in flow.shipped]),
        "throughput": charts.bars(
            [(p.period, p.shipped) for p in flow.weekly[-WEEKS:]],
            title="Throughput (shipped per week)",
        ),
    }
