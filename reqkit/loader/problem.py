"""A problem found while reading a file, before it is tied to a path."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Problem"]


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    line: int
    column: int
    message: str
