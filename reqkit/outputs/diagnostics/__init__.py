"""Renderers for `check`: one module per `--format`, chosen through RENDERERS."""

from __future__ import annotations

from collections.abc import Callable

from reqkit.outputs.diagnostics import github, gitlab, json, sarif, text

__all__ = ["RENDERERS"]

RENDERERS: dict[str, Callable[..., str]] = {
    "text": text.render,
    "json": json.render,
    "github": github.render,
    "gitlab": gitlab.render,
    "sarif": sarif.render,
}
