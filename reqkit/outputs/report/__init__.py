"""Renderers of the status report: `RENDERERS[format](report) -> str`.

Each format's module is imported when it is asked for: the HTML page pulls in the SVG
charts, which a Markdown or JSON report never needs.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping

from reqkit.reports.build import Report

__all__ = ["RENDERERS"]

_MODULES = {"md": "markdown", "json": "json", "html": "html"}


class _Renderers(Mapping[str, Callable[[Report], str]]):
    """format → `render`, importing only the module of the format asked for."""

    def __getitem__(self, fmt: str) -> Callable[[Report], str]:
        module = importlib.import_module(f"{__name__}.{_MODULES[fmt]}")
        render: Callable[[Report], str] = module.render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(_MODULES)

    def __len__(self) -> int:
        return len(_MODULES)


RENDERERS: Mapping[str, Callable[[Report], str]] = _Renderers()
