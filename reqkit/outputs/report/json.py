"""`report --format json`: one object, the shape documented in docs/reports.md."""

from __future__ import annotations

import json

from reqkit.outputs.report.data import report_data
from reqkit.reports.build import Report

__all__ = ["render"]


def render(report: Report) -> str:
    """One line, like `trace` and `diff`: `indent` disables the C encoder (10x slower at 10k)."""
    return json.dumps(report_data(report), ensure_ascii=False, separators=(",", ":")) + "\n"
