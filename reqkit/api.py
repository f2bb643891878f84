"""The Python API the CLI is a thin layer over. Returns data; never prints or exits."""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reqkit.checks.context import CheckContext
from reqkit.checks.engine import check_entry, check_set, slim
from reqkit.config import Config, load_config
from reqkit.diagnostics import CheckResult, Diagnostic, Severity
from reqkit.edit.atomic import atomic_write
from reqkit.errors import ConfigError
from reqkit.loader.cache import Cache, content_hash
from reqkit.loader.discover import Found, discover, git_top
from reqkit.loader.files import FileData, parse_bytes, read_file, too_large
from reqkit.loader.problem import Problem
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


def _rel(path: str | Path, boundary: Path) -> str:
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
    boundary, found = _found(config)
    entries = [
        Entry(
            _rel(f.path, boundary), f.path, read_file(Path(f.path), max_size=config.max_file_size)
        )
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
    store = Cache.open(root=config.root, config_fingerprint=config.fingerprint(), enabled=cache)
    files = [(item, _rel(item.path, boundary), _stat(item.path)) for item in found]
    signature = _signature(files)
    diagnostics = _warm(store, signature) if store.path else None
    if diagnostics is None:
        diagnostics = []
        entries: list[Entry] = []
        misses: list[tuple[str, str, os.stat_result | None]] = []
        for item, rel, st in files:
            if item.escapes:
                diagnostics.append(
                    Diagnostic(
                        rel,
                        1,
                        1,
                        "RK010",
                        Severity.ERROR,
                        "symbolic link points outside the repository; not followed",
                    )
                )
                continue
            hit = store.by_stat(rel, st) if st is not None else None
            if hit is None:
                misses.append((item.path, rel, st))
                continue
            entry, found_here = _from_cache(rel, item.path, hit)
            entries.append(entry)
            diagnostics.extend(found_here)
        for entry, found_here in _check_many(misses, ctx, store):
            entries.append(entry)
            diagnostics.extend(found_here)
        diagnostics.extend(check_set(RequirementSet(entries), ctx))
        store.remember_tree(signature, [_tuple(d) for d in diagnostics])
    store.save()
    requirements = sum(1 for item, _, _ in files if not item.escapes)
    wanted = _wanted(paths, boundary)
    if wanted is not None:
        diagnostics = [d for d in diagnostics if d.path in wanted]
        count = sum(1 for _, rel, _ in files if rel in wanted)
    else:
        count = len(files)
    return CheckResult(tuple(sorted(set(diagnostics))), files=count, requirements=requirements)


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _signature(files: list[tuple[Found, str, os.stat_result | None]]) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    for item, rel, st in files:
        stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if st else None
        h.update(f"{rel}\0{item.escapes}\0{stamp}\n".encode())
    return h.digest()


def _tuple(d: Diagnostic) -> tuple[Any, ...]:
    return (d.path, d.line, d.column, d.code, d.severity.value, d.message, d.requirement)


def _warm(store: Cache, signature: bytes) -> list[Diagnostic] | None:
    """Answer from the cache alone when no file was added, removed or touched."""
    tree = store.whole_tree(signature)
    if tree is None:
        return None
    return [
        Diagnostic(p, line, col, code, Severity(sev), msg, req)
        for p, line, col, code, sev, msg, req in tree
    ]


def _check_one(
    path: str, rel: str, st: os.stat_result | None, ctx: CheckContext, store: Cache
) -> tuple[Entry, list[Diagnostic]]:
    if st is None:
        fd = FileData(None, [Problem("RK006", 1, 1, "cannot read file")])
        entry = Entry(rel, path, fd)
        return entry, check_entry(entry, ctx)
    if st.st_size > ctx.config.max_file_size:
        entry = Entry(rel, path, too_large(st.st_size, ctx.config.max_file_size))
        return entry, check_entry(entry, ctx)
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        entry = Entry(
            rel, path, FileData(None, [Problem("RK006", 1, 1, f"cannot read file: {exc.strerror}")])
        )
        return entry, check_entry(entry, ctx)
    digest = content_hash(raw)
    hit = store.by_content(rel, digest, st)
    if hit is not None:
        return _from_cache(rel, path, hit)
    entry = Entry(rel, path, parse_bytes(raw))
    found = check_entry(entry, ctx)
    store.put(
        rel,
        st,
        digest,
        slim(entry.data),
        [(d.line, d.column, d.code, d.severity.value, d.message, d.requirement) for d in found],
    )
    entry.file = FileData(slim(entry.data), entry.file.problems, positions=entry.file.positions)
    return entry, found


_PARALLEL_FROM = 2000  # below this, starting workers costs more than it saves
_worker_ctx: CheckContext | None = None


def _worker(
    chunk: list[tuple[str, str, os.stat_result | None]],
) -> tuple[list[Any], dict[str, Any]]:
    assert _worker_ctx is not None
    store = Cache(None)
    store.path = Path(os.devnull)  # collect entries without writing anywhere
    out = []
    for path, rel, st in chunk:
        entry, found = _check_one(path, rel, st, _worker_ctx, store)
        out.append((rel, path, entry.data, found))
    return out, store.fresh


def _check_many(
    misses: list[tuple[str, str, os.stat_result | None]], ctx: CheckContext, store: Cache
) -> list[tuple[Entry, list[Diagnostic]]]:
    """Check files the cache could not answer, on every core when there are many."""
    import multiprocessing

    workers = min(os.cpu_count() or 1, 8)
    if (
        len(misses) < _PARALLEL_FROM
        or workers < 2
        or not sys.platform.startswith("linux")  # fork is safe only there
    ):
        return [_check_one(path, rel, st, ctx, store) for path, rel, st in misses]
    global _worker_ctx
    _worker_ctx = ctx
    size = -(-len(misses) // (workers * 4))
    chunks = [misses[i : i + size] for i in range(0, len(misses), size)]
    results: list[tuple[Entry, list[Diagnostic]]] = []
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        for out, fresh in pool.imap(_worker, chunks):
            store.fresh.update(fresh)
            results.extend(
                (Entry(rel, path, FileData(data)), found) for rel, path, data, found in out
            )
    _worker_ctx = None
    return results


def _from_cache(rel: str, path: str, hit: tuple) -> tuple[Entry, list[Diagnostic]]:  # type: ignore[type-arg]
    entry = Entry(rel, path, FileData(hit[4]))
    found = [
        Diagnostic(rel, line, col, code, Severity(sev), msg, req)
        for line, col, code, sev, msg, req in hit[5]
    ]
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
