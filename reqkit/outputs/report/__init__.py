"""Renderers of the status report: `RENDERERS[format](report) -> str`."""

from __future__ import annotations

from collections.abc import Callable

from reqkit.outputs.report import html as html
from reqkit.outputs.report import json as json
from reqkit.outputs.report import markdown as markdown
from reqkit.reports.build import Report

__all__ = ["RENDERERS"]

RENDERERS: dict[str, Callable[[Report], str]] = {
    "md": markdown.render,
    "json": json.render,
    "html": html.render,
}
