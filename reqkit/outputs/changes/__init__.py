"""Renderers for the change commands: `diff`, `release-notes` and `show`, one module each
per format; the JSON shapes are documented in docs/change-management.md and pinned by tests."""

from __future__ import annotations

import re
from typing import Any

__all__ = ["cell", "fence", "inline"]


def inline(value: Any, *, limit: int = 80) -> str:
    """A value on one line for Markdown: lists joined, long text shortened, code-quoted."""
    if value is None:
        return "—"
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {v}" for k, v in value.items())
    else:
        text = str(value)
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    ticks = "``" if "`" in text else "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def cell(text: str | None) -> str:
    """Requirement text made safe inside a Markdown table cell (no HTML, no pipes)."""
    if not text:
        return ""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|")


def fence(body: str, lang: str = "") -> str:
    """A fenced block longer than any backtick run in `body`."""
    longest = max((len(m) for m in re.findall(r"`+", body)), default=0)
    marks = "`" * max(3, longest + 1)
    return f"{marks}{lang}\n{body}\n{marks}"
