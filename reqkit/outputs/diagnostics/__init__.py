"""Renderers for `check`: one module per `--format`, chosen through RENDERERS."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from reqkit.outputs.lazy import LazyRenderers

__all__ = ["RENDERERS"]

RENDERERS: Mapping[str, Callable[..., str]] = LazyRenderers(
    __name__,
    {"text": "text", "json": "json", "github": "github", "gitlab": "gitlab", "sarif": "sarif"},
)
