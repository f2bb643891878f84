"""RK31x: links between requirements: targets exist, no self-links, no parent cycles."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext, did_you_mean
from reqkit.checks.registry import rule
from reqkit.diagnostics import Diagnostic, Severity
from reqkit.ids import ID_CHARS

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry, RequirementSet


@rule("RK311", "link-to-missing-requirement", group="links", scope="set")
def link_to_missing_requirement(reqs: RequirementSet, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports a `links` entry that names no requirement in this repository.

    ## Why is this bad?
    A dangling link silently drops the requirement out of the traceability matrix and
    out of the impact analysis of a change.

    ## Example
    ```yaml
    links:
      parent: [202404-999]  # there is no reqs/**/202404-999.yaml
    ```
    Use instead:
    ```yaml
    links:
      parent: [202404-010]
    ```
    """
    known = reqs.by_id
    for entry in reqs.entries:
        for kind, index, target in entry.links():
            if target not in known and ID_CHARS.match(target):  # a malformed ID is RK303
                others = (rid for rid in reqs.by_id if rid != entry.rid)
                hint = did_you_mean(target, others) if len(reqs) < 5000 else ""
                yield ctx.at(
                    entry,
                    ("links", kind, index),
                    "RK311",
                    f"{kind} link to unknown requirement '{target}'{hint}",
                )


@rule("RK312", "self-link", group="links", scope="requirement")
def self_link(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports a requirement that links to itself.

    ## Why is this bad?
    A requirement cannot be its own parent, dependency or duplicate; it is always a
    copy-and-paste slip, and a self-parent is a cycle.

    ## Example
    ```yaml
    id: 202405-001
    links:
      depends_on: [202405-001]
    ```
    Use instead:
    ```yaml
    id: 202405-001
    links:
      depends_on: [202405-002]
    ```
    """
    rid = entry.rid
    for kind, index, target in entry.links():
        if target == rid:
            yield ctx.at(entry, ("links", kind, index), "RK312", f"{kind} link to itself")


@rule("RK313", "parent-cycle", group="links", scope="set")
def parent_cycle(reqs: RequirementSet, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports a cycle through `links.parent`, once at each member's `parent` entry,
    naming the whole cycle.

    ## Why is this bad?
    The requirement tree must be a tree: a cycle has no root, so roll-ups, the site's
    navigation and impact analysis cannot place its members.

    ## Example
    ```yaml
    # 202405-001: parent: [202405-002]
    # 202405-002: parent: [202405-001]
    ```
    Use instead:
    Decide which one is the parent and remove the other link.
    """
    # Only requirements with a parent: one without can be in no cycle, and a walk that
    # reaches it would turn back at once (the same cycles are found, in the same order).
    parents: dict[str, list[tuple[int, str]]] = {}
    by_id = reqs.by_id
    for entry in reqs.entries:
        rid = entry.rid
        if rid and by_id.get(rid) is entry:
            up = [(i, t) for kind, i, t in entry.links() if kind == "parent" and t != rid]
            if up:
                parents[rid] = up
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    for start in sorted(parents):
        if state.get(start):
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
        path.append(start)
        while stack:
            node, next_child = stack[-1]
            children = parents.get(node, [])
            if next_child >= len(children):
                stack.pop()
                path.pop()
                state[node] = 2
                continue
            stack[-1] = (node, next_child + 1)
            target = children[next_child][1]
            if state.get(target) == 1:
                cycle = path[path.index(target) :]
                yield from _report_cycle(reqs, ctx, cycle, parents)
            elif not state.get(target) and target in parents:
                state[target] = 1
                path.append(target)
                stack.append((target, 0))


def _report_cycle(
    reqs: RequirementSet,
    ctx: CheckContext,
    cycle: list[str],
    parents: dict[str, list[tuple[int, str]]],
) -> Iterator[Diagnostic]:
    ring = " → ".join([*cycle, cycle[0]])
    for position, member in enumerate(cycle):
        nxt = cycle[(position + 1) % len(cycle)]
        index = next(i for i, t in parents[member] if t == nxt)
        entry = reqs.by_id[member]
        yield ctx.at(entry, ("links", "parent", index), "RK313", f"parent cycle: {ring}")


@rule("RK314", "one-sided-conflict", severity=Severity.WARNING, group="links", scope="set")
def one_sided_conflict(reqs: RequirementSet, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Warns when A lists B in `conflicts_with` but B does not list A.

    ## Why is this bad?
    A conflict concerns both requirements; whoever reads only B never learns of it.

    ## Example
    ```yaml
    # 202405-001
    links:
      conflicts_with: [202405-002]
    # 202405-002 has no conflicts_with
    ```
    Use instead:
    Record the conflict on both sides.
    """
    conflicting = [
        (e.rid, e)
        for e in reqs.entries
        if e.rid and any(k == "conflicts_with" for k, _, _ in e.links())
    ]
    if not conflicting:
        return
    ids = {e.rid for e in reqs.entries if e.rid}
    conflicts: dict[str, set[str]] = {}
    for rid, entry in conflicting:
        conflicts.setdefault(rid, set()).update(
            t for kind, _, t in entry.links() if kind == "conflicts_with"
        )
    for rid, entry in conflicting:
        for kind, index, target in entry.links():
            if kind == "conflicts_with" and target in ids and rid not in conflicts.get(target, ()):
                yield ctx.at(
                    entry,
                    ("links", kind, index),
                    "RK314",
                    f"conflicts_with {target}, but {target} does not list {rid}",
                )
