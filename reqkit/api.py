"""The Python API the CLI is a thin layer over. Returns data; never prints or exits."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from reqkit.checks.context import CheckContext
from reqkit.checks.engine import check_entry, check_set
from reqkit.config import Config, load_config
from reqkit.diagnostics import CheckResult, Diagnostic, Severity
from reqkit.edit.atomic import atomic_write
from reqkit.errors import ConfigError
from reqkit.loader.cache import Cache, content_hash
from reqkit.loader.discover import Found, discover, git_top
from reqkit.loader.files import FileData, parse_bytes, read_file, too_large
from reqkit.loader.yaml_reference import Problem
from reqkit.model.reqset import Entry, RequirementSet

__all__ = ["SchemaResult", "check", "load", "write_schema"]


def _boundary(config: Config) -> Path:
    """Paths are reported relative to the Git work tree, or to the config's folder."""
    return (git_top(config.root) or config.root).resolve()


def _found(config: Config) -> tuple[Path, list[Found]]:
    folder = config.requirements_dir
    if not folder.is_dir():
        raise ConfigError(
            f"requirements folder '{config.requirements}' does not exist in {config.root}"
            " (set `requirements` in the config, or create it)"
        )
    boundary = _boundary(config)
    return boundary, discover(folder, boundary)


def _rel(path: Path, boundary: Path) -> str:
    try:
        return path.absolute().relative_to(boundary).as_posix()
    except ValueError:
        return os.path.relpath(path.absolute(), boundary).replace(os.sep, "/")


def load(root: str | Path | None = None, *, config: Config | None = None) -> RequirementSet:
    """Every requirement file under the project at `root` (or the current directory).

    Each entry keeps its data, its repository-relative path and its source positions
    (`entry.position("links", "parent", 0)`); `entry.requirement` is the validated model,
    or None when the file has problems (`check` says which).
    """
    config = config or load_config(Path(root) if root else None)
    boundary, found = _found(config)
    entries = [
        Entry(_rel(f.path, boundary), f.path, read_file(f.path, max_size=config.max_file_size))
        for f in found
        if not f.escapes
    ]
    return RequirementSet(entries)


def _wanted(paths: Iterable[str | Path], boundary: Path) -> set[str] | None:
    chosen = {_rel(Path(p).absolute(), boundary) for p in paths}
    return chosen or None


def check(
    paths: Sequence[str | Path] = (),
    *,
    root: str | Path | None = None,
    config: Config | None = None,
    cache: bool = True,
) -> CheckResult:
    """Check the whole tree; report on `paths` only when given (links need the whole tree)."""
    config = config or load_config(Path(root) if root else None)
    ctx = CheckContext(config)
    boundary, found = _found(config)
    store = Cache.open(root=boundary, config_fingerprint=config.fingerprint(), enabled=cache)
    entries: list[Entry] = []
    diagnostics: list[Diagnostic] = []
    for item in found:
        rel = _rel(item.path, boundary)
        if item.escapes:
            diagnostics.append(Diagnostic(rel, 1, 1, "RK010", Severity.ERROR,
                                          "symbolic link points outside the repository; not followed"))
            continue
        entry, found_here = _check_one(item.path, rel, ctx, store)
        entries.append(entry)
        diagnostics.extend(found_here)
    reqs = RequirementSet(entries)
    diagnostics.extend(check_set(reqs, ctx))
    store.save()
    wanted = _wanted(paths, boundary)
    if wanted is not None:
        diagnostics = [d for d in diagnostics if d.path in wanted]
        files = sum(1 for e in entries if e.path in wanted)
    else:
        files = len(found)
    return CheckResult(tuple(sorted(set(diagnostics))), files=files, requirements=len(reqs))


def _check_one(path: Path, rel: str, ctx: CheckContext, store: Cache) -> tuple[Entry, list[Diagnostic]]:
    try:
        st = path.stat()
    except OSError as exc:
        fd = FileData(None, [Problem("RK006", 1, 1, f"cannot read file: {exc.strerror}")])
        entry = Entry(rel, path, fd)
        return entry, check_entry(entry, ctx)
    hit = store.by_stat(rel, st)
    if hit is not None:
        return _from_cache(rel, path, hit)
    if st.st_size > ctx.config.max_file_size:
        entry = Entry(rel, path, too_large(st.st_size, ctx.config.max_file_size))
        return entry, check_entry(entry, ctx)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        entry = Entry(rel, path, FileData(None, [Problem("RK006", 1, 1, f"cannot read file: {exc.strerror}")]))
        return entry, check_entry(entry, ctx)
    digest = content_hash(raw)
    hit = store.by_content(rel, digest, st)
    if hit is not None:
        return _from_cache(rel, path, hit)
    entry = Entry(rel, path, parse_bytes(raw))
    found = check_entry(entry, ctx)
    store.put(rel, st, digest, entry.data,
              [(d.line, d.column, d.code, d.severity.value, d.message, d.requirement) for d in found])
    return entry, found


def _from_cache(rel: str, path: Path, hit: tuple) -> tuple[Entry, list[Diagnostic]]:  # type: ignore[type-arg]
    entry = Entry(rel, path, FileData(hit[4]))
    found = [Diagnostic(rel, line, col, code, Severity(sev), msg, req) for line, col, code, sev, msg, req in hit[5]]
    return entry, found


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
        atomic_write(target, text)
    shown = _rel(target, config.root) if target.is_absolute() else target.as_posix()
    return SchemaResult(shown, stale)
