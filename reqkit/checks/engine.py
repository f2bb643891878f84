"""Run the registry over a RequirementSet: per-file problems, per-requirement and set rules."""

from __future__ import annotations

from typing import Any

from reqkit.checks.context import CheckContext
from reqkit.checks.registry import REGISTRY, Rule, checks_for
from reqkit.diagnostics import Diagnostic
from reqkit.model.reqset import Entry, RequirementSet

__all__ = ["SET_FIELDS", "check_entry", "check_set", "slim"]

#: The only fields whole-tree rules read. A warm run keeps just these from the cache.
SET_FIELDS = ("id", "status", "links")


def slim(data: dict[str, Any] | None) -> dict[str, Any] | None:
    return None if data is None else {k: data[k] for k in SET_FIELDS if k in data}


class _Active:
    """The requirement rules one context runs, worked out once per check (not per file)."""

    ctx: CheckContext | None = None
    rules: tuple[Rule, ...] = ()


def _active(ctx: CheckContext) -> tuple[Rule, ...]:
    if _Active.ctx is not ctx:
        _Active.rules = tuple(
            r
            for r in checks_for("requirement")
            if ctx.enabled(r.code) or r.code == "RK101"  # RK101 also produces RK102-RK111
        )
        _Active.ctx = ctx
    return _Active.rules


def check_entry(entry: Entry, ctx: CheckContext) -> list[Diagnostic]:
    """Everything that can be judged from one file alone (cacheable by its content)."""
    from reqkit.checks.lint import quiet, suppressions  # not needed by a warm check

    found = [ctx.make(entry, p.line, p.column, p.code, p.message) for p in entry.file.problems]
    data = entry.data
    if data is None:
        return found
    skip = quiet(entry, ctx)  # text rules that surely find nothing here
    for r in _active(ctx):
        if r.code not in skip:
            found.extend(r.check(entry, ctx))  # type: ignore[misc]
    if not found:
        return found
    waived = (
        {c for c in suppressions(entry) if c in REGISTRY and REGISTRY[c].configurable}
        if "lint" in data
        else ()
    )
    return [d for d in found if ctx.enabled(d.code) and d.code not in waived]


def check_set(reqs: RequirementSet, ctx: CheckContext) -> list[Diagnostic]:
    """Everything that needs the whole tree: identity across files, links, cycles."""
    found: list[Diagnostic] = []
    for r in checks_for("set"):
        if ctx.enabled(r.code):
            found.extend(r.check(reqs, ctx))  # type: ignore[misc]
    return [d for d in found if ctx.enabled(d.code)]
