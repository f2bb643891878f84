"""RK30x: a requirement's ID against its file name, the patterns, and the other IDs."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext
from reqkit.checks.registry import rule
from reqkit.diagnostics import Diagnostic
from reqkit.ids import ID_CHARS, IdPattern

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry, RequirementSet


@functools.cache
def _patterns(texts: tuple[str, ...]) -> tuple[IdPattern, ...]:
    return tuple(IdPattern(t) for t in texts)  # built once per config, not once per file


def _id_value(entry: Entry) -> str | None:
    rid = entry.rid
    return rid if rid and ID_CHARS.match(rid) and ".." not in rid else None


@rule("RK301", "id-file-name-mismatch", group="identity", scope="requirement")
def id_file_name_mismatch(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports an `id` that differs from the file name (`reqs/<id>.yaml`).

    ## Why is this bad?
    People and tools find a requirement by its file; a mismatch means one of them points
    at the wrong requirement, usually after a copy-and-paste.

    ## Example
    ```yaml
    # reqs/202405-002.yaml
    id: 202405-001
    ```
    Use instead:
    ```yaml
    # reqs/202405-002.yaml
    id: 202405-002
    ```
    """
    rid = entry.rid
    if rid and rid != entry.stem:
        yield ctx.at(
            entry,
            ("id",),
            "RK301",
            f"id '{rid}' differs from the file name '{entry.path.rsplit('/', 1)[-1]}'",
        )


@rule("RK302", "id-pattern-mismatch", group="identity", scope="requirement")
def id_pattern_mismatch(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports an `id` that matches none of the project's ID patterns (`ids` in the config;
    default `{yyyy}{mm}-{seq:03}`, e.g. `202405-001`).

    ## Why is this bad?
    A shared ID scheme makes IDs predictable and lets `reqkit new` allocate the next one.

    ## Example
    ```yaml
    id: export-feature
    ```
    Use instead:
    ```yaml
    id: 202405-001
    ```
    """
    rid = _id_value(entry)
    if rid is None:
        return
    patterns = _patterns(ctx.config.ids)
    if not any(p.matches(rid) for p in patterns):
        yield ctx.at(
            entry,
            ("id",),
            "RK302",
            f"id '{rid}' matches none of the ID patterns: {', '.join(ctx.config.ids)}",
        )


@rule("RK303", "id-invalid-characters", group="identity", scope="requirement")
def id_invalid_characters(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports an ID (in `id` or in a link) with characters other than letters, digits,
    `.`, `_` and `-`, or with `..`.

    ## Why is this bad?
    IDs become file names and URLs; `/`, `\\`, `..` or spaces could point outside the
    requirements folder or break links on the site.

    ## Example
    ```yaml
    id: ../secrets
    ```
    Use instead:
    ```yaml
    id: 202405-001
    ```
    """
    rid = entry.rid
    if rid and ID_CHARS.match(rid) and ".." in rid:
        yield ctx.at(entry, ("id",), "RK303", f"id '{rid}' must not contain '..'")


def _clashes(reqs: RequirementSet, key: Callable[[Entry], str | None]) -> dict[str, list[Entry]]:
    """Entries grouped by `key`, only the groups of two or more, in file order.

    A first pass finds the keys seen twice, so a clean tree of 100,000 files builds no
    group at all.
    """
    seen: set[str] = set()
    twice: set[str] = set()
    for entry in reqs.entries:
        k = key(entry)
        if k is not None:
            if k in seen:
                twice.add(k)
            seen.add(k)
    groups: dict[str, list[Entry]] = defaultdict(list)
    if twice:
        for entry in reqs.entries:
            k = key(entry)
            if k in twice:
                groups[k].append(entry)
    return groups


@rule("RK304", "duplicate-id", group="identity", scope="set")
def duplicate_id(reqs: RequirementSet, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports two files that declare the same `id`: one finding in each, naming the other.

    ## Why is this bad?
    Links, tests and reports name requirements by ID; with two owners of one ID every
    one of them may point at the wrong requirement.

    ## Example
    ```yaml
    # reqs/a/202405-001.yaml and reqs/b/202405-001.yaml both say
    id: 202405-001
    ```
    Use instead:
    Give one of them the next free ID (`reqkit new` allocates it).
    """
    for rid, entries in _clashes(reqs, lambda e: e.rid or None).items():
        if len(entries) > 1:
            for entry in entries:
                others = ", ".join(e.path for e in entries if e is not entry)
                yield ctx.at(entry, ("id",), "RK304", f"id '{rid}' is also used by {others}")


@rule("RK305", "duplicate-id-ignoring-case", group="identity", scope="set")
def duplicate_id_ignoring_case(reqs: RequirementSet, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports IDs (and so file names) that differ only in upper and lower case.

    ## Why is this bad?
    macOS and Windows treat `REQ-1.yaml` and `req-1.yaml` as one file: a checkout there
    silently loses one of them.

    ## Example
    ```
    reqs/REQ-001.yaml  (id: REQ-001)
    reqs/req-001.yaml  (id: req-001)
    ```
    Use instead:
    One spelling per ID; renumber the newer one.
    """
    for entries in _clashes(reqs, lambda e: e.known_id.casefold()).values():
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
