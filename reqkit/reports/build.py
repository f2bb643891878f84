"""The whole status report from items and their versions, as of one moment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from operator import itemgetter

from reqkit.config import Config
from reqkit.reports.duplicates import Pair
from reqkit.reports.flow import FlowReport
from reqkit.reports.flow import flow as flow_of
from reqkit.reports.items import Item
from reqkit.reports.sla import SlaReport, sla
from reqkit.reports.status import (
    Counts,
    EvaluationDue,
    Late,
    Stale,
    counts,
    evaluations_due,
    overdue,
    stale,
)
from reqkit.reports.timeline import Roles, Version

__all__ = ["Duplicates", "Report", "Target", "build_report"]


@dataclass(frozen=True)
class Target:
    """What the report describes: the working tree, or a commit (`--at REF|DATE`)."""

    as_of: dt.datetime  # the moment every age and limit is measured at (UTC)
    at: str | None  # the `--at` value as given; None: the working tree
    commit: str | None  # the commit reported on (HEAD for the working tree); None: no Git
    history: bool  # False outside Git or before the first commit: no flow, SLA from dates


@dataclass(frozen=True)
class Duplicates:
    threshold: float
    pairs: list[Pair] = field(default_factory=list)


@dataclass(frozen=True)
class Report:
    target: Target
    counts: Counts
    overdue: list[Late]
    stale_days: int
    stale: list[Stale]
    sla: SlaReport
    evaluations_due: list[EvaluationDue]
    evaluations_missed: list[EvaluationDue]
    flow: FlowReport
    duplicates: Duplicates
    titles: dict[str, str] = field(default_factory=dict)  # ID → title, for renderers


def build_report(
    items: Sequence[Item],
    history: Mapping[str, Sequence[Version]],
    config: Config,
    target: Target,
    *,
    duplicates: Sequence[Pair] = (),
    stale_days: int | None = None,
    flow: FlowReport | None = None,
) -> Report:
    """Every section of the report. `history` maps an ID to its versions, oldest first,
    including requirements whose file is gone (they still count in the flow). `flow`:
    the flow section already known (kept from an earlier run of the same inputs)."""
    roles = Roles.of(config)
    now = target.as_of
    days = stale_days if stale_days is not None else config.stale_days
    due, missed = evaluations_due(items, history, roles, now)
    return Report(
        target=target,
        counts=counts(items, roles),
        overdue=overdue(items, roles, now),
        stale_days=days,
        stale=stale(items, history, roles, now, days=days) if target.history else [],
        sla=sla(items, history, roles, config.sla_hours, now),
        evaluations_due=due,
        evaluations_missed=missed,
        flow=flow if flow is not None else flow_of(items, history, roles, now),
        duplicates=Duplicates(config.near_duplicate, list(duplicates)),
        titles=dict(map(itemgetter(0, 2), items)),  # ID → title, built in C
    )
