"""A requirement's life as the report reads it: versions in time, and what states mean.

The history engine (`reqkit.git`) gives, per requirement, one version per first-parent
commit that touched its file; the report works on this plain form so that its figures
can be computed (and tested) from any source of versions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from reqkit.config import Config

__all__ = ["Roles", "Version", "first_entry"]

#: States that end a requirement's journey without shipping, when a project has them.
DROPPED = ("rejected", "deferred")


class Version(NamedTuple):
    """The file as one commit left it. `status` None: gone, or no readable status."""

    at: dt.datetime  # committer date of the first-parent commit, aware UTC
    status: str | None
    sha: str  # "" for the uncommitted working tree


@dataclass(frozen=True)
class Roles:
    """Which states count as what, from the project's states (format.md `answered`, `shipped`)."""

    order: tuple[str, ...]
    answered: frozenset[str]
    shipped: frozenset[str]
    finished: frozenset[str]  # shipped, or dropped (rejected / deferred): not waiting on anyone

    @classmethod
    def of(cls, config: Config) -> Roles:
        shipped = frozenset(s.name for s in config.states if s.shipped)
        return cls(
            order=config.state_names,
            answered=frozenset(s.name for s in config.states if s.answered),
            shipped=shipped,
            finished=shipped | {s.name for s in config.states if s.name in DROPPED},
        )

    def ordered(self, names: Iterable[str]) -> list[str]:
        """Configured states in their configured order, then unknown values sorted."""
        known = [s for s in self.order if s in names]
        return known + sorted(set(names) - set(self.order))


def first_entry(
    versions: Sequence[Version], states: frozenset[str] | Mapping[str, object]
) -> dt.datetime | None:
    """When the requirement first had one of `states` (None: never).

    A loop over the rows, not a generator: the SLA asks it for every requirement."""
    for at, status, _ in versions:
        if status is not None and status in states:
            return at
    return None
