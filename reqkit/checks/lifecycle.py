"""RK4xx: what each state demands of a requirement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from reqkit.checks.context import CheckContext
from reqkit.checks.registry import rule
from reqkit.diagnostics import Diagnostic

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry


def _present(data: Any, dotted: str) -> bool:
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return node not in (None, "", [], {})


@rule("RK401", "field-required-by-status", group="lifecycle", scope="requirement")
def field_required_by_status(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Reports a field that the requirement's status requires but that is missing or empty.
    By default `released` and `closed` need `acceptance`, `closed` needs `evaluation`,
    and `rejected` and `deferred` need `decision.reason` (configurable per state).

    ## Why is this bad?
    The seed process accepts work against criteria, evaluates its effect after release,
    and tells requesters why a request was turned down. A state without its evidence is
    a claim nobody can check.

    ## Example
    ```yaml
    status: rejected
    ```
    Use instead:
    ```yaml
    status: rejected
    decision:
      reason: Covered by the bulk API in 202404-010; told the customer on 2024-05-20.
    ```
    """
    data = entry.data
    status = data.get("status") if data else None
    state = ctx.config.state(status) if isinstance(status, str) else None
    if state is None:
        return
    for dotted in state.requires:
        if not _present(data, dotted):
            parent = tuple(dotted.split(".")[:-1])
            where = ("status",) if not parent or not _present(data, ".".join(parent)) else parent
            yield ctx.at(
                entry,
                where,
                "RK401",
                f"status '{status}' requires {dotted}",
                on="key" if where != ("status",) else "value",
            )
