"""Loading a project, and the files reqkit writes into it (schema, scaffold)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from reqkit.config import Config, load_config
from reqkit.errors import ConfigError
from reqkit.loader.discover import Found, discover, git_top
from reqkit.loader.files import read_files
from reqkit.model.reqset import Entry, RequirementSet

if TYPE_CHECKING:
    from reqkit.edit.scaffold import InitResult

__all__ = ["SchemaResult", "init", "load", "write_schema"]


def boundary_of(config: Config) -> Path:
    """Paths are reported relative to the Git work tree, or to the config's folder."""
    return (git_top(config.root) or config.root).resolve()


def found_files(config: Config) -> tuple[Path, list[Found]]:
    folder = config.requirements_dir
    if not folder.is_dir():
        raise ConfigError(
            f"requirements folder '{config.requirements}' does not exist in {config.root}"
            " (set `requirements` in the config, or create it)"
        )
    boundary = boundary_of(config)
    return boundary, discover(folder, boundary)


def rel_paths(paths: list[str], boundary: Path) -> list[str]:
    """`rel_path` of many: discovery gives absolute, normal paths, so most need a slice."""
    prefix = str(boundary) + os.sep
    cut = len(prefix)
    return [
        p[cut:].replace(os.sep, "/")
        if p.startswith(prefix) and os.sep + "." not in p and os.sep * 2 not in p
        else rel_path(p, boundary)
        for p in paths
    ]


def rel_path(path: str | Path, boundary: Path) -> str:
    text = os.path.abspath(path)
    prefix = str(boundary) + os.sep
    if text.startswith(prefix):
        return text[len(prefix) :].replace(os.sep, "/")
    return os.path.relpath(text, boundary).replace(os.sep, "/")


def load(root: str | Path | None = None, *, config: Config | None = None) -> RequirementSet:
    """Every requirement file under the project at `root` (or the current directory).

    Each entry keeps its data, its repository-relative path and its source positions
    (`entry.position("links", "parent", 0)`); `entry.requirement` is the validated model,
    or None when the file has problems (`check` says which).
    """
    config = config or load_config(Path(root) if root else None)
    boundary, found = found_files(config)
    paths = [f.path for f in found if not f.escapes]
    files = read_files(paths, max_size=config.max_file_size)
    rels = rel_paths(paths, boundary)
    return RequirementSet([Entry(*e) for e in zip(rels, paths, files, strict=True)])


@dataclass(frozen=True)
class SchemaResult:
    path: str
    stale: bool


def write_schema(
    *, root: str | Path | None = None, output: str | Path | None = None, check: bool = False
) -> SchemaResult:
    """Write (or with `check`, compare) the generated schema; `stale` says it differed."""
    from reqkit.model.schema import SCHEMA_PATH, schema_text

    config = load_config(Path(root) if root else None)
    target = Path(output) if output else config.root / SCHEMA_PATH
    text = schema_text(config)
    try:
        current = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = None
    stale = current != text
    if stale and not check:
        from reqkit.edit.atomic import atomic_write  # tempfile: only when writing

        atomic_write(target, text)
    shown = rel_path(target, config.root) if target.is_absolute() else target.as_posix()
    return SchemaResult(shown, stale)


def init(directory: str | Path | None = None) -> InitResult:
    """Scaffold a requirements repository in `directory` (default: the current one).

    Writes the config, example requirements, the schema, the site config, CI workflows,
    a pre-commit config and a README; creates the folder if missing. Writes nothing at
    all, raising UsageError that names them, when any of those files exists already.
    Needs no existing config: it is the one entry point that does not look for a root.
    """
    from reqkit.edit.scaffold import init_project

    return init_project(Path(directory) if directory is not None else Path.cwd())
