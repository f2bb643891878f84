"""RK2xx: requirement text lint, in English and Chinese; RK213 and per-file suppressions.

Drawn from the INCOSE Guide for Writing Requirements, NASA's ARM indicators and EARS.
The rules live by concern: `lint_incomplete` (placeholders, open lists), `lint_vague`
(wording that leaves the reader to decide), `lint_statements` (the shape of the
statement), on the shared machinery of `lint_scan` (gated scans) and `text` (prose and
positions). Importing this module registers them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from reqkit.checks import lint_incomplete, lint_statements, lint_vague  # noqa: F401 (registers)
from reqkit.checks.context import CheckContext
from reqkit.checks.lint_scan import GATES
from reqkit.checks.registry import REGISTRY, rule
from reqkit.checks.text import prose
from reqkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

_W = Severity.WARNING


@rule("RK213", "unknown-suppression", severity=_W, group="lint", scope="requirement")
def unknown_suppression(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags a `lint.ignore` entry that names no rule, or a rule that cannot be suppressed
    (the YAML safety rules).

    ## Why is this bad?
    A mistyped suppression silences nothing, and the reviewer who approved it believes
    the finding is handled.

    ## Example
    ```yaml
    lint:
      ignore:
        RK2044: industry term
    ```
    Use instead:
    ```yaml
    lint:
      ignore:
        RK204: "'fast charging' is the product's name"
    ```
    """
    for code in suppressions(entry):
        known = REGISTRY.get(code)
        if known is None or not known.configurable:
            why = (
                "no rule has this code"
                if known is None
                else "YAML safety rules cannot be suppressed"
            )
            yield ctx.at(
                entry,
                ("lint", "ignore", code),
                "RK213",
                f"lint.ignore names {code}: {why}",
                on="key",
            )


def suppressions(entry: Entry) -> dict[str, str]:
    """Per-requirement `lint: {ignore: {CODE: reason}}`, reasons required."""
    lint = (entry.data or {}).get("lint")
    ignore = lint.get("ignore") if isinstance(lint, dict) else None
    if not isinstance(ignore, dict):
        return {}
    return {str(k): v for k, v in ignore.items() if isinstance(v, str) and v.strip()}


class _Index:
    """trigger -> the gated rules it wakes, for one context (one check run)."""

    ctx: CheckContext | None = None
    words: dict[str, set[str]] = {}  # noqa: RUF012
    chars: dict[str, set[str]] = {}  # noqa: RUF012
    #: The same keys as sets: `a & b` of two sets walks the smaller one, where
    #: `frozenset.intersection(dict)` walked every trigger of every rule for each string.
    word_set: frozenset[str] = frozenset()
    char_set: frozenset[str] = frozenset()

    @classmethod
    def of(cls, ctx: CheckContext) -> type[_Index]:
        if cls.ctx is not ctx:
            cls.words, cls.chars = {}, {}
            for code, triggers in GATES.items():
                words, chars = triggers(ctx)
                for w in words:
                    cls.words.setdefault(w, set()).add(code)
                for c in chars:
                    cls.chars.setdefault(c, set()).add(code)
            cls.word_set, cls.char_set = frozenset(cls.words), frozenset(cls.chars)
            cls.ctx = ctx
        return cls


def quiet(entry: Entry, ctx: CheckContext) -> set[str]:
    """Codes of the text rules that surely find nothing in `entry`: the engine skips them.

    Most prose of a tree is clean, and calling a dozen rules that each look and find
    nothing cost more than the looking: one lookup of the words and characters of all
    the entry's prose in an index of every rule's triggers rules them out together.
    """
    index = _Index.of(ctx)
    woken: set[str] = set()
    for part in prose(entry):
        for w in part.words & index.word_set:
            woken |= index.words[w]
        for c in part.chars & index.char_set:
            woken |= index.chars[c]
    return GATES.keys() - woken
