"""Git history: check against a base ref, diff, show, release notes, review, codeowners."""

from __future__ import annotations

from reqkit.config import Config
from reqkit.diagnostics import Diagnostic
from reqkit.errors import UsageError

__all__ = ["base_diagnostics"]


def base_diagnostics(config: Config, base: str) -> list[Diagnostic]:
    """Findings that need history: transitions, ID collisions, suspect links."""
    raise UsageError("check --base is not available yet")
