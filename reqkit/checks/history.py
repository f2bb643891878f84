"""RK6xx: what only a comparison with a base ref can tell (`check --base REF`).

Pure like every rule: the facts from Git (the set at the merge-base, the set at the tip
of REF, the suspect links found in history) arrive as a `BaseFacts` value, computed in
`reqkit.changes.base`; nothing here runs git.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext
from reqkit.checks.registry import checks_for, rule
from reqkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry, RequirementSet

__all__ = ["BaseFacts", "SuspectLink", "check_base"]


@dataclass(frozen=True, slots=True)
class SuspectLink:
    """`child` links to `parent` (as `kind`), whose meaning changed after the child's review."""

    child: str
    parent: str
    kind: str  # parent | depends_on
    changed: str  # where the parent changed: a short commit sha, or "working tree"
    reviewed: str | None  # where the child was last reviewed (short sha), None never


@dataclass(frozen=True)
class BaseFacts:
    ref: str
    base: RequirementSet  # at the merge-base of HEAD and ref: the files changed since
    base_ids: frozenset[str]  # every ID at the merge-base, case-folded
    base_exact_ids: frozenset[str]  # the same, as written
    tip: RequirementSet  # at the tip of ref: the files holding IDs this branch adds
    suspects: tuple[SuspectLink, ...] = field(default=())


def check_base(reqs: RequirementSet, facts: BaseFacts, ctx: CheckContext) -> list[Diagnostic]:
    """Every enabled `base` rule over the working tree."""
    found: list[Diagnostic] = []
    for r in checks_for("base"):
        if ctx.enabled(r.code) and r.check is not None:
            found.extend(r.check(reqs, facts, ctx))
    return [d for d in found if ctx.enabled(d.code)]


def _by_id(reqs: RequirementSet) -> dict[str, Entry]:
    return {e.known_id: e for e in reqs.entries if e.data is not None}


@rule("RK601", "transition-not-allowed", group="history", scope="base")
def transition_not_allowed(
    reqs: RequirementSet, facts: BaseFacts, ctx: CheckContext
) -> Iterator[Diagnostic]:
    """## What it does
    Reports a status change since the merge-base with the base ref that the configured
    lifecycle does not allow, e.g. `analysis` straight to `released` in one pull request.
    Only `reqkit check --base REF` runs it. A requirement may be added in any state.

    ## Why is this bad?
    The lifecycle is the team's process: review before development, testing before
    release. Skipping states in one change skips the review or the test it stands for.

    ## Example
    ```yaml
    status: released  # was `analysis` at the merge-base
    ```
    Use instead:
    ```yaml
    status: review  # analysis may move to review, rejected or deferred
    ```
    """
    before = _by_id(facts.base)
    for entry in reqs.entries:
        old_entry = before.get(entry.known_id)
        if old_entry is None or entry.data is None or old_entry.data is None:
            continue
        old, new = old_entry.data.get("status"), entry.data.get("status")
        if old == new or not isinstance(old, str) or not isinstance(new, str):
            continue
        state, target = ctx.config.state(old), ctx.config.state(new)
        if state is None or target is None or new in state.next:
            continue
        allowed = ", ".join(f"'{s}'" for s in state.next) or "nothing"
        yield ctx.at(
            entry,
            ("status",),
            "RK601",
            f"status '{old}' → '{new}' is not allowed since {facts.ref} "
            f"('{old}' may move to {allowed})",
        )


@rule("RK602", "id-taken-on-base", group="history", scope="base")
def id_taken_on_base(
    reqs: RequirementSet, facts: BaseFacts, ctx: CheckContext
) -> Iterator[Diagnostic]:
    """## What it does
    Reports an ID this branch adds (absent at the merge-base) that the tip of the base
    ref already holds at another path or with other content, also when the two differ only
    in case. A file moved with its ID unchanged is a rename, not a collision.
    Only `reqkit check --base REF` runs it.

    ## Why is this bad?
    Two branches allocated the same next free ID and the other one merged first. Merging
    this one would leave two requirements with one ID (or a file that silently replaces
    another), and every link to that ID would become ambiguous.

    ## Example
    ```yaml
    id: 202405-007  # main gained reqs/checkout/202405-007.yaml after this branch started
    ```
    Use instead:
    ```yaml
    id: 202405-008  # the next ID free on main too (`reqkit new` finds it)
    ```
    """
    base_ids = facts.base_ids
    tip_by_id: dict[str, Entry] = {}
    for e in facts.tip.entries:
        tip_by_id.setdefault(e.known_id.casefold(), e)
    for entry in reqs.entries:
        key = entry.known_id.casefold()
        theirs = tip_by_id.get(key)
        if key in base_ids or theirs is None:
            continue
        if theirs.path == entry.path and theirs.file.text == entry.source():
            continue  # the same file, merged on both sides
        where = ("id",) if entry.rid else ()
        same = "the same ID" if theirs.known_id == entry.known_id else f"'{theirs.known_id}'"
        yield ctx.at(
            entry,
            where,
            "RK602",
            f"{facts.ref} already has {same} at {theirs.path} (added there after this branch "
            "started); choose another ID",
        )


@rule("RK603", "suspect-link", severity=Severity.WARNING, group="history", scope="base")
def suspect_link(reqs: RequirementSet, facts: BaseFacts, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Warns when a requirement's parent (or a requirement it depends on) changed its meaning
    (title, description or acceptance) after the requirement was last reviewed. "Reviewed"
    means a commit that changed the requirement's file, or a commit whose message holds
    `Reqkit-Reviewed: ID` (what `reqkit review ID` records). Only `reqkit check --base
    REF` runs it, since it reads history.

    ## Why is this bad?
    A child refines its parent. When the parent now asks for something else, the child
    may no longer fit: this is the impact analysis of a change request, and nobody has
    looked yet.

    ## Example
    ```yaml
    links:
      parent: [202405-001]  # 202405-001 reworded its acceptance after this file's last commit
    ```
    Use instead:
    ```yaml
    links:
      parent: [202405-001]  # and, having checked it still fits: `reqkit review 202405-002`
    ```
    """
    entries = _by_id(reqs)
    for s in facts.suspects:
        entry = entries.get(s.child)
        if entry is None:
            continue
        index = next((i for k, i, t in entry.links() if k == s.kind and t == s.parent), None)
        where: tuple[str | int, ...] = ("links", s.kind, index) if index is not None else ()
        last = f"last reviewed in {s.reviewed}" if s.reviewed else "not reviewed since"
        yield ctx.at(
            entry,
            where,
            "RK603",
            f"suspect link: {s.parent} changed its meaning in {s.changed}; {s.child} was "
            f"{last} (check it still fits, then `reqkit review {s.child}`)",
        )
