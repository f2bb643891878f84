"""Where each key and value of a YAML file stands, for diagnostics."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["KeyPath", "Located", "Positions"]

KeyPath = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Located:
    """1-based positions of a key (or sequence item) and of its value."""

    key_line: int
    key_column: int
    value_line: int
    value_column: int
    raw: str | None = None  # the scalar's source text, for messages that quote it


@dataclass
class Positions:
    """Key path → `Located`; lookups fall back to the nearest located ancestor."""

    by_path: dict[KeyPath, Located] = field(default_factory=dict)

    def find(self, path: KeyPath) -> tuple[KeyPath, Located]:
        probe = tuple(path)
        while probe:
            hit = self.by_path.get(probe)
            if hit is not None:
                return probe, hit
            probe = probe[:-1]
        return (), self.by_path.get((), Located(1, 1, 1, 1))

    def key(self, path: KeyPath) -> tuple[int, int]:
        _, loc = self.find(path)
        return loc.key_line, loc.key_column

    def value(self, path: KeyPath) -> tuple[int, int]:
        found, loc = self.find(path)
        if found != tuple(path):  # the path itself is missing: point at the mapping
            return loc.key_line, loc.key_column
        return loc.value_line, loc.value_column

    def raw(self, path: KeyPath) -> str | None:
        loc = self.by_path.get(tuple(path))
        return loc.raw if loc else None
