"""The requirements of one tree, as checks see them: raw data, file, positions, links."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reqkit.loader.files import FileData, decode
from reqkit.loader.positions import Positions

if TYPE_CHECKING:
    from reqkit.model.requirement import Requirement

__all__ = ["LINK_KINDS", "Entry", "RequirementSet"]

LINK_KINDS = ("parent", "depends_on", "conflicts_with", "duplicates")


@dataclass
class Entry:
    """One requirement file: where it is, what it holds, and (lazily) where each key is."""

    path: str  # repository-relative, `/` separators
    abspath: str
    file: FileData

    def __post_init__(self) -> None:
        data = self.file.data
        value = data.get("id") if data else None
        #: The ID the file declares, when it declares one as text.
        self.rid: str | None = value if isinstance(value, str) else None
        #: The file name without its suffix.
        self.stem: str = self.path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        #: The ID others may link to: the declared one, else the file name.
        self.known_id: str = self.rid or self.stem
        self._links: list[tuple[str, int, str]] | None = None

    @property
    def data(self) -> dict[str, Any] | None:
        return self.file.data

    @property
    def requirement(self) -> Requirement | None:
        """The validated model, or None when the file has schema problems (see `check`)."""
        if not hasattr(self, "_model"):
            self._model = _validated(self)
        return self._model

    def position(self, *path: str | int) -> tuple[int, int]:
        """(line, column) of the value at a key path, e.g. `entry.position("links", "parent", 0)`."""
        return self.positions().value(path)

    def source(self) -> str | None:
        """The file's text, re-read when only cached data is at hand."""
        if self.file.text is None:
            try:
                with open(self.abspath, "rb") as fh:
                    self.file.text, _ = decode(fh.read())
            except OSError:
                return None
        return self.file.text

    def positions(self) -> Positions:
        """Positions from the reference reader, re-reading the file if needed."""
        if self.file.positions is None:
            text = self.source()
            from reqkit.loader.yaml_reference import parse_reference

            self.file.positions = parse_reference(text).positions if text else Positions()
        return self.file.positions

    def links(self) -> list[tuple[str, int, str]]:
        """(kind, index, target) for every well-formed link entry."""
        if self._links is None:
            links = self.data.get("links") if self.data else None
            self._links = []
            if isinstance(links, dict):
                for kind in LINK_KINDS:
                    targets = links.get(kind)
                    if isinstance(targets, list):
                        self._links.extend(
                            (kind, i, t) for i, t in enumerate(targets) if isinstance(t, str)
                        )
        return self._links


@dataclass
class RequirementSet:
    """All entries of a tree, with an index by ID (first file wins for duplicates)."""

    entries: list[Entry] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id: dict[str, Entry] = {}
        for entry in self.entries:
            self.by_id.setdefault(entry.known_id, entry)

    def __contains__(self, rid: object) -> bool:
        return rid in self.by_id

    def __len__(self) -> int:
        return len(self.entries)


def _validated(entry: Entry) -> Requirement | None:
    """The pydantic model for `entry`, or None when the file does not validate."""
    from pydantic import ValidationError

    from reqkit.model.requirement import Requirement

    if entry.data is None:
        return None
    try:
        return Requirement.model_validate(entry.data)
    except ValidationError:
        return None
