"""`RENDERERS[format]` for each command's outputs, importing only the format asked for.

A run renders one format: importing every renderer (SARIF pulls in the rule registry,
HTML the charts) would tax each start-up, warm `check` included, for modules never used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = ["LazyRenderers"]


class LazyRenderers(Mapping[str, Callable[..., Any]]):
    """format -> the `render` function of `package.module`, imported on first use."""

    def __init__(self, package: str, modules: Mapping[str, str]) -> None:
        self._package = package
        self._modules = dict(modules)

    def __getitem__(self, fmt: str) -> Callable[..., Any]:
        module = importlib.import_module(f"{self._package}.{self._modules[fmt]}")
        render: Callable[..., Any] = module.render
        return render

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __len__(self) -> int:
        return len(self._modules)
