"""The whole-tree rules skip what cannot matter (requirements without parents, without
conflicts, IDs seen once); on random trees they say exactly what the plain versions said.

The plain versions are copied here from before that change.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from reqkit.checks import identity, links
from reqkit.checks.context import CheckContext
from reqkit.config import Config
from reqkit.diagnostics import Diagnostic
from reqkit.loader.files import FileData
from reqkit.model.reqset import Entry, RequirementSet


def _plain_parent_cycle(reqs: RequirementSet, ctx: CheckContext) -> Iterator[Diagnostic]:
    parents: dict[str, list[tuple[int, str]]] = {}
    for entry in reqs.entries:
        rid = entry.rid
        if rid and reqs.by_id.get(rid) is entry:
            parents[rid] = [(i, t) for kind, i, t in entry.links() if kind == "parent" and t != rid]
    state: dict[str, int] = {}
    for start in sorted(parents):
        if state.get(start):
            continue
        path: list[str] = [start]
        stack: list[tuple[str, int]] = [(start, 0)]
        state[start] = 1
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
                yield from links._report_cycle(reqs, ctx, cycle, parents)
            elif not state.get(target) and target in parents:
                state[target] = 1
                path.append(target)
                stack.append((target, 0))


def _plain_one_sided_conflict(reqs: RequirementSet, ctx: CheckContext) -> Iterator[Diagnostic]:
    conflicts: dict[str, set[str]] = {}
    for entry in reqs.entries:
        if entry.rid:
            conflicts.setdefault(entry.rid, set()).update(
                t for kind, _, t in entry.links() if kind == "conflicts_with"
            )
    for entry in reqs.entries:
        rid = entry.rid
        if not rid:
            continue
        for kind, index, target in entry.links():
            if kind == "conflicts_with" and target in conflicts and rid not in conflicts[target]:
                yield ctx.at(
                    entry,
                    ("links", kind, index),
                    "RK314",
                    f"conflicts_with {target}, but {target} does not list {rid}",
                )


def _plain_duplicate_id(reqs: RequirementSet, ctx: CheckContext) -> Iterator[Diagnostic]:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in reqs.entries:
        if entry.rid:
            groups[entry.rid].append(entry)
    for rid, entries in groups.items():
        if len(entries) > 1:
            for entry in entries:
                others = ", ".join(e.path for e in entries if e is not entry)
                yield ctx.at(entry, ("id",), "RK304", f"id '{rid}' is also used by {others}")


def _plain_duplicate_id_ignoring_case(
    reqs: RequirementSet, ctx: CheckContext
) -> Iterator[Diagnostic]:
    folded: dict[str, list[Entry]] = defaultdict(list)
    for entry in reqs.entries:
        folded[entry.known_id.casefold()].append(entry)
    for entries in folded.values():
        names = {e.known_id for e in entries}
        if len(names) > 1:
            for entry in entries:
                others = ", ".join(f"{e.path}" for e in entries if e.known_id != entry.known_id)
                yield ctx.at(
                    entry,
                    ("id",),
                    "RK305",
                    f"id '{entry.known_id}' differs only in case from {others}",
                )


def _random_tree(seed: int) -> RequirementSet:
    rnd = random.Random(seed)
    size = rnd.randint(1, 40)
    names = [f"r{i}" for i in range(size)] + ["R1", "R2"]
    entries = []
    for n in range(size):
        rid: Any = rnd.choice([*names[:size], "R1", None, ""]) if rnd.random() < 0.15 else names[n]
        data: dict[str, Any] = {"id": rid} if rid is not None else {}
        link_map: dict[str, list[str]] = {}
        for kind in ("parent", "conflicts_with", "depends_on"):
            if rnd.random() < 0.6:
                link_map[kind] = [rnd.choice([*names, "gone"]) for _ in range(rnd.randint(0, 3))]
        data["links"] = link_map
        text = "id: x\nlinks:\n  parent: []\n  conflicts_with: []\n"
        entries.append(Entry(f"reqs/{n}.yaml", f"/nowhere/{n}.yaml", FileData(data, text=text)))
    return RequirementSet(entries)


@pytest.mark.parametrize("seed", range(300))
def test_set_rules_say_what_the_plain_versions_said(seed: int) -> None:
    ctx = CheckContext(Config(root=Path("/nowhere")))
    reqs = _random_tree(seed)
    pairs = [
        (links.parent_cycle, _plain_parent_cycle),
        (links.one_sided_conflict, _plain_one_sided_conflict),
        (identity.duplicate_id, _plain_duplicate_id),
        (identity.duplicate_id_ignoring_case, _plain_duplicate_id_ignoring_case),
    ]
    for fast, plain in pairs:
        assert sorted(fast(reqs, ctx)) == sorted(plain(reqs, ctx)), fast.__name__


def test_the_random_trees_hold_what_the_rules_look_for() -> None:
    ctx = CheckContext(Config(root=Path("/nowhere")))
    found = set()
    for seed in range(300):
        reqs = _random_tree(seed)
        for plain in (
            _plain_parent_cycle,
            _plain_one_sided_conflict,
            _plain_duplicate_id,
            _plain_duplicate_id_ignoring_case,
        ):
            found.update(d.code for d in plain(reqs, ctx))
    assert found == {"RK313", "RK314", "RK304", "RK305"}
