"""Run the registry over a RequirementSet: per-file problems, per-requirement and set rules."""

from __future__ import annotations

from reqkit.checks.context import CheckContext
from reqkit.checks.registry import checks_for
from reqkit.diagnostics import Diagnostic, Severity
from reqkit.model.reqset import Entry, RequirementSet

__all__ = ["check_entry", "check_set"]


def check_entry(entry: Entry, ctx: CheckContext) -> list[Diagnostic]:
    """Everything that can be judged from one file alone (cacheable by its content)."""
    found = [
        ctx.make(entry, p.line, p.column, p.code, p.message) for p in entry.file.problems
    ]
    if entry.data is not None:
        for r in checks_for("requirement"):
            found.extend(r.check(entry, ctx))  # type: ignore[misc]
    return [d for d in found if ctx.enabled(d.code)]


def check_set(reqs: RequirementSet, ctx: CheckContext) -> list[Diagnostic]:
    """Everything that needs the whole tree: identity across files, links, cycles."""
    found: list[Diagnostic] = []
    for r in checks_for("set"):
        if ctx.enabled(r.code):
            found.extend(r.check(reqs, ctx))  # type: ignore[misc]
    return [d for d in found if ctx.enabled(d.code)]


def escape_diagnostic(entry: Entry, ctx: CheckContext) -> Diagnostic:
    return Diagnostic(entry.path, 1, 1, "RK010", Severity.ERROR,
                      "symbolic link points outside the repository; not followed")
