"""Find requirement files: sorted, repository-relative, never outside the repository."""

from __future__ import annotations

import functools
import operator
import os
from pathlib import Path
from typing import NamedTuple

__all__ = ["Found", "discover", "git_top", "is_requirement_name"]

SUFFIXES = (".yaml", ".yml")


class Found(NamedTuple):
    """A file to read, or a symlink that leads outside and must not be followed.

    A tuple: a warm check makes one per file, and a frozen dataclass costs 3x as much."""

    path: str  # absolute, as found (not resolved)
    escapes: bool = False


def is_requirement_name(name: str) -> bool:
    return name.endswith(SUFFIXES) and not name.startswith(".")


def git_top(start: Path) -> Path | None:
    """The enclosing Git work tree, found the way Git does (without running it)."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


_name = operator.attrgetter("name")
# `Found(path)` runs the named tuple's Python-level __new__; this is the same tuple,
# built in C: ~0.05 s less on 100,000 files.
_found_file = functools.partial(tuple.__new__, Found)


def _inside(target: Path, boundary: Path) -> bool:
    return target == boundary or boundary in target.parents


def discover(folder: Path, boundary: Path) -> list[Found]:
    """Every `*.yaml`/`*.yml` below `folder`, hidden entries skipped, sorted by path.

    Symlinks are followed only when they resolve inside `boundary` (the repository);
    one that leads outside is returned with `escapes=True` so it can be reported.
    """
    found: list[Found] = []
    boundary = boundary.resolve()
    seen_dirs: set[str] = set()

    def walk(directory: Path) -> None:
        real = os.path.realpath(directory)
        if real in seen_dirs:
            return
        seen_dirs.add(real)
        try:
            entries = sorted(os.scandir(directory), key=_name)
        except OSError:
            return
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            if not entry.is_symlink():
                # the common case, told apart by the directory listing alone (no stat)
                try:
                    if entry.is_file():
                        if name.endswith(SUFFIXES):
                            found.append(_found_file((entry.path, False)))
                    elif entry.is_dir():
                        walk(Path(entry.path))
                except OSError:
                    pass
                continue
            try:
                is_dir = entry.is_dir()
                is_file = not is_dir and entry.is_file()
            except OSError:  # a link to itself (ELOOP) or an entry that cannot be examined
                is_dir = is_file = False
            # realpath, not Path.resolve: a link loop must not raise
            if not _inside(Path(os.path.realpath(entry.path)), boundary):
                if is_dir or is_requirement_name(name):
                    found.append(Found(entry.path, escapes=True))
                continue
            if is_dir:
                walk(Path(entry.path))
            elif is_file and is_requirement_name(name):
                found.append(Found(entry.path))

    if folder.is_dir():
        walk(folder)
    return found
