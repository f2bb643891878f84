"""Traceability: tests and code references matched to requirements; coverage rules."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reqkit.config import Config
from reqkit.diagnostics import Diagnostic
from reqkit.errors import UsageError

__all__ = ["coverage_diagnostics"]


def coverage_diagnostics(
    config: Config, *, tests: Sequence[str | Path] = (), code: Sequence[str | Path] = ()
) -> list[Diagnostic]:
    """Located findings of the project's coverage rules against test results and code."""
    raise UsageError("check --tests/--code is not available yet")
