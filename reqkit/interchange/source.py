"""What every reader hands to the import plan: incoming requirements and what they need."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Incoming", "Source"]


@dataclass
class Incoming:
    """One requirement as read: `label` is how the user finds it (`row 5`, `REQ001`)."""

    label: str
    data: dict[str, Any]
    folder: str = ""  # a sub-folder under the target folder (a Doorstop document)
    problem: str | None = None  # already known to be bad (e.g. a cell that cannot be read)


@dataclass
class Source:
    """Everything one file (or tree) brings in."""

    items: list[Incoming] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # ID patterns the data needs
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)  # custom fields it needs
    files: dict[str, bytes] = field(default_factory=dict)  # other files (assets), by path
    notes: list[str] = field(default_factory=list)  # what the reader decided, for the plan
