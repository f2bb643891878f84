"""Renderers for `trace`: one module per `--format`, chosen through RENDERERS."""

from __future__ import annotations

from collections.abc import Callable

from reqkit.outputs.trace import csv, html, json, markdown
from reqkit.tracing.coverage import TraceMatrix

__all__ = ["RENDERERS"]

RENDERERS: dict[str, Callable[[TraceMatrix], str]] = {
    "md": markdown.render,
    "csv": csv.render,
    "json": json.render,
    "html": html.render,
}
