"""The rule registry: one entry per stable code, with the docs generated from it.

A rule is a small documented unit (ruff style). Its docstring has the sections
`## What it does`, `## Why is this bad?`, `## Example` and `Use instead:`; a test and
the docs generator read them. Some codes are emitted by the loader (YAML safety) or by a
shared producer (schema validation): those are `declare`d with the same docs.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from reqkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from reqkit.checks.context import CheckContext
    from reqkit.model.reqset import Entry, RequirementSet

__all__ = ["REGISTRY", "Rule", "declare", "rule"]

Scope = Literal["file", "requirement", "set", "base"]  # base: only in `check --base`
Group = Literal["yaml", "schema", "lint", "identity", "links", "lifecycle", "history", "coverage"]
RequirementCheck = Callable[["Entry", "CheckContext"], Iterable[Diagnostic]]
SetCheck = Callable[["RequirementSet", "CheckContext"], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    group: Group
    scope: Scope
    doc: str
    configurable: bool = True
    check: Callable[..., Iterable[Diagnostic]] | None = None
    enabled: bool = True  # False: opt-in, off until the config gives it a severity

    @property
    def summary(self) -> str:
        """The first sentence under `## What it does`."""
        paragraph = self.section("What it does").split("\n\n")[0].replace("\n", " ").strip()
        sentence = paragraph.split(". ")[0]
        return sentence if sentence.endswith(".") else sentence + "."

    def section(self, title: str) -> str:
        marker = f"## {title}"
        if marker not in self.doc:
            return ""
        rest = self.doc.split(marker, 1)[1]
        return rest.split("\n## ", 1)[0].strip()


REGISTRY: dict[str, Rule] = {}


def _add(entry: Rule) -> None:
    if entry.code in REGISTRY:
        raise RuntimeError(f"rule code {entry.code} registered twice")
    REGISTRY[entry.code] = entry


def rule(
    code: str,
    name: str,
    *,
    severity: Severity = Severity.ERROR,
    group: Group,
    scope: Scope,
    configurable: bool = True,
    enabled: bool = True,
) -> Callable[[Callable[..., Iterator[Diagnostic]]], Callable[..., Iterator[Diagnostic]]]:
    """Register a check function under a code; its docstring is the rule's page."""

    def wrap(fn: Callable[..., Iterator[Diagnostic]]) -> Callable[..., Iterator[Diagnostic]]:
        _add(
            Rule(
                code,
                name,
                severity,
                group,
                scope,
                inspect.cleandoc(fn.__doc__ or ""),
                configurable,
                fn,
                enabled,
            )
        )
        return fn

    return wrap


def declare(
    code: str,
    name: str,
    doc: str,
    *,
    severity: Severity = Severity.ERROR,
    group: Group,
    configurable: bool = True,
    scope: Scope = "file",
) -> None:
    """Register a code that another producer emits (the loader, schema validation)."""
    _add(Rule(code, name, severity, group, scope, inspect.cleandoc(doc), configurable))


def by_name_or_code(key: str) -> Rule | None:
    if key in REGISTRY:
        return REGISTRY[key]
    return next((r for r in REGISTRY.values() if r.name == key), None)


def load_all() -> dict[str, Rule]:
    """Import every rule module once, so the registry is complete."""
    from reqkit.checks import (  # noqa: F401
        coverage,
        history,
        identity,
        lifecycle,
        links,
        lint,
        near_duplicate,
        schema,
        yaml_rules,
    )

    return REGISTRY


@functools.cache
def checks_for(scope: Scope) -> tuple[Rule, ...]:
    """The rules with a check function in `scope`; the registry is complete once loaded."""
    return tuple(r for r in load_all().values() if r.scope == scope and r.check is not None)
