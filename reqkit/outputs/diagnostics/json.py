"""`{"diagnostics": [...], "summary": {...}}`: the stable machine form (cli.md)."""

from __future__ import annotations

import json

from reqkit.diagnostics import CheckResult


def render(result: CheckResult) -> str:
    doc = {
        "diagnostics": [d.as_dict() for d in result.diagnostics],
        "summary": result.summary.as_dict(),
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
