"""`check`: the whole tree judged, warm from the cache where nothing changed."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reqkit.api.project import found_files, rel_path, rel_paths
from reqkit.checks.context import CheckContext
from reqkit.checks.engine import check_entry, check_set, slim
from reqkit.config import Config, load_config
from reqkit.diagnostics import CheckResult, Diagnostic, Severity
from reqkit.digest import blake2b
from reqkit.loader.bulk import paused_gc
from reqkit.loader.cache import Cache, content_hash
from reqkit.loader.discover import Found
from reqkit.loader.files import FileData, parse_bytes, read_bytes, read_file, too_large
from reqkit.loader.problem import Problem
from reqkit.model.reqset import Entry, RequirementSet

if TYPE_CHECKING:
    from reqkit.git.passes import PendingLog

__all__ = ["check"]


def _wanted(paths: Iterable[str | Path], boundary: Path, rels: Iterable[str]) -> set[str] | None:
    """Repository-relative paths asked for; a folder stands for the files under it.

    Folder symlinks in the given paths are resolved, since the tree is walked resolved.
    """
    chosen: set[str] = set()
    folders: list[str] = []
    for p in paths:
        absolute = os.path.abspath(p)
        real = os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
        rel = rel_path(real, boundary)
        if os.path.isdir(real):
            folders.append("" if rel == "." else rel.rstrip("/") + "/")
        else:
            chosen.add(rel)
    if folders:
        chosen.update(r for r in rels if any(r.startswith(f) for f in folders))
    return chosen if chosen or folders else None


def check(
    paths: Sequence[str | Path] = (),
    *,
    root: str | Path | None = None,
    config: Config | None = None,
    cache: bool = True,
    linked: bool = False,
    base: str | None = None,
    tests: Sequence[str | Path] = (),
    code: Sequence[str | Path] = (),
) -> CheckResult:
    """Check the whole tree; report on `paths` only when given (links need the whole tree).

    With `linked`, also report, in other files, what a change to `paths` can break there:
    the whole-tree findings (links, cycles, duplicate IDs) of files that link to a
    requirement in `paths` or to a requirement that does not exist (a renamed or deleted
    file is never among the paths a pre-commit hook passes). A config file among `paths`
    can change every verdict: then the whole tree is reported.

    With `base` (a Git ref), also what needs history: transitions since the merge-base,
    ID collisions with the tip of `base`, suspect links. With `tests` (JUnit files) or
    `code` (folders), also the project's coverage rules. None of these are cached.
    """
    config = config or load_config(Path(root) if root else None)
    pending = _start_base(config, base)
    try:
        return _check(paths, config, cache, linked, base, tests, code, pending)
    finally:
        if pending is not None:
            pending.cancel()  # the check failed before the log was needed


def _start_base(config: Config, base: str | None) -> PendingLog | None:
    if base is None:
        return None
    from reqkit.api.changes import start_base

    return start_base(config)


def _check(
    paths: Sequence[str | Path],
    config: Config,
    cache: bool,
    linked: bool,
    base: str | None,
    tests: Sequence[str | Path],
    code: Sequence[str | Path],
    pending: PendingLog | None,
) -> CheckResult:
    # The rules' context (every rule module imported, the config's rule table checked) is
    # built only when a file must be judged: a warm answer comes from a run that built it
    # with the same code and config.
    with paused_gc():  # tens of thousands of objects that live until the end
        boundary, found = found_files(config)
        store = Cache.open(root=config.root, config_fingerprint=config.fingerprint(), enabled=cache)
        rels = rel_paths([item.path for item in found], boundary)
        files = [(item, rel, _stat(item.path)) for item, rel in zip(found, rels, strict=True)]
        signature = _signature(files)
        diagnostics = _warm(store, signature) if store.path else None
        entries: list[Entry] | None = None  # the warm path answers without them
        extract, extracted = _extract_for(base)
        if diagnostics is None:
            ctx = CheckContext(config)
            entries, diagnostics = _cold(files, ctx, store, extract, extracted)
            store.save_entries_early()  # written meanwhile, when there are many
            diagnostics.extend(check_set(RequirementSet(entries), ctx))
            store.remember_tree(signature, [d.as_row() for d in diagnostics])
        store.save()
    if base is not None:
        from reqkit.api.changes import base_diagnostics

        checked = list(extracted.values()) if extracted else None
        diagnostics = [*diagnostics, *base_diagnostics(config, base, checked, pending)]
    if tests or code:
        from reqkit.api.tracing import coverage_diagnostics

        diagnostics = [*diagnostics, *coverage_diagnostics(config, tests=tests, code=code)]
    requirements = sum(1 for item, _, _ in files if not item.escapes)
    wanted = _wanted(paths, boundary, (rel for _, rel, _ in files))
    config_file = rel_path(config.source, boundary) if config.source is not None else None
    if wanted is not None and linked and config_file in wanted:
        wanted = None  # a changed config can change every verdict
    if wanted is not None:
        linkers: set[str] = set()
        whole_tree: set[str] = set()
        if linked:
            if entries is None:
                entries = _link_entries(files, store, config)
            linkers = _linkers(wanted, entries)
            whole_tree = _set_scope_codes()
        diagnostics = [
            d
            for d in diagnostics
            if d.path in wanted or (d.path in linkers and d.code in whole_tree)
        ]
        count = sum(1 for _, rel, _ in files if rel in wanted or rel in linkers)
    else:
        count = len(files)
    return CheckResult(tuple(sorted(set(diagnostics))), files=count, requirements=requirements)


def _extract_for(base: str | None) -> tuple[Extract | None, dict[str, Any] | None]:
    """With a base, the Git facts of each file parsed now (`base_file_facts`)."""
    if base is None:
        return None, None
    from reqkit.api.changes import base_file_facts
    from reqkit.git import trees  # noqa: F401  # what it imports, imported once before a fork
    from reqkit.reports import duplicates  # noqa: F401

    return base_file_facts, {}


def _link_entries(
    files: list[tuple[Found, str, os.stat_result | None]], store: Cache, config: Config
) -> list[Entry]:
    """Every file's links after a warm run: from the per-file cache, else from the file."""
    out = []
    for item, rel, st in files:
        if item.escapes:
            continue
        hit = store.by_stat(rel, st) if st is not None else None
        if hit is not None:
            out.append(Entry(rel, item.path, FileData(hit[4])))
        else:
            fd = read_file(Path(item.path), max_size=config.max_file_size)
            out.append(Entry(rel, item.path, fd))
    return out


def _linkers(wanted: set[str], entries: list[Entry]) -> set[str]:
    """Files outside `wanted` that link into it, or to a requirement that does not exist."""
    from reqkit.loader.discover import is_requirement_name

    targets: set[str] = set()
    for rel in wanted:  # a path given but gone (deleted) still names its ID
        name = rel.rsplit("/", 1)[-1]
        if is_requirement_name(name):
            targets.add(name.rsplit(".", 1)[0])
    for entry in entries:
        if entry.path in wanted:
            targets.update(i for i in (entry.rid, entry.stem) if i)
    known = {entry.known_id for entry in entries}
    return {
        entry.path
        for entry in entries
        if entry.path not in wanted
        and any(t in targets or t not in known for _, _, t in entry.links())
    }


def _set_scope_codes() -> set[str]:
    """Codes of the rules that judge the whole tree: only they can change in an untouched file."""
    from reqkit.checks.registry import load_all

    return {code for code, r in load_all().items() if r.scope == "set"}


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


def _signature(files: list[tuple[Found, str, os.stat_result | None]]) -> bytes:
    """One hash of every file's path and stat; marshal turns them into bytes at C speed."""
    import marshal

    stamps = [
        (rel, item.escapes, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) if st else None)
        for item, rel, st in files
    ]
    return blake2b(marshal.dumps(stamps), digest_size=16).digest()


def _warm(store: Cache, signature: bytes) -> list[Diagnostic] | None:
    """Answer from the cache alone when no file was added, removed or touched."""
    tree = store.whole_tree(signature)
    if tree is None:
        return None
    return [Diagnostic.from_row(row) for row in tree]


#: What a caller wants of each file's bytes and whole data before the data is slimmed for
#: the set rules (`check --base`: its Git facts), as plain data that pickles small.
Extract = Callable[[bytes, dict[str, Any] | None], Any]


def _check_one(
    path: str,
    rel: str,
    st: os.stat_result | None,
    ctx: CheckContext,
    store: Cache,
    extract: Extract | None = None,
    extracted: dict[str, Any] | None = None,
) -> tuple[Entry, list[Diagnostic]]:
    if st is None:
        fd = FileData(None, [Problem("RK006", 1, 1, "cannot read file")])
        entry = Entry(rel, path, fd)
        return entry, check_entry(entry, ctx)
    if st.st_size > ctx.config.max_file_size:
        entry = Entry(rel, path, too_large(st.st_size, ctx.config.max_file_size))
        return entry, check_entry(entry, ctx)
    try:
        raw = read_bytes(path, st.st_size)
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
    if extract is not None and extracted is not None:
        extracted[rel] = extract(raw, entry.data)
    kept = slim(entry.data)
    store.put(rel, st, digest, kept, [d.as_row() for d in found])
    entry.file = FileData(kept, entry.file.problems, positions=entry.file.positions)
    return entry, found


def _cold(
    files: list[tuple[Found, str, os.stat_result | None]],
    ctx: CheckContext,
    store: Cache,
    extract: Extract | None = None,
    extracted: dict[str, Any] | None = None,
) -> tuple[list[Entry], list[Diagnostic]]:
    """Every file judged alone: from the per-file cache where it can, else checked now.

    Entries stay in file order whatever answered them: the first of two files with one ID
    is the same file in every run. `extract` of each file parsed now lands in `extracted`
    (a file the cache answered has none).
    """
    diagnostics: list[Diagnostic] = []
    answered: dict[str, tuple[Entry, list[Diagnostic]]] = {}
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
        else:
            answered[rel] = _from_cache(rel, item.path, hit)
    answered.update(_check_many(misses, ctx, store, extract, extracted))
    entries = []
    for item, rel, _ in files:
        if not item.escapes:
            entry, found_here = answered[rel]
            entries.append(entry)
            diagnostics.extend(found_here)
    return entries, diagnostics


def _check_many(
    misses: list[tuple[str, str, os.stat_result | None]],
    ctx: CheckContext,
    store: Cache,
    extract: Extract | None = None,
    extracted: dict[str, Any] | None = None,
) -> dict[str, tuple[Entry, list[Diagnostic]]]:
    """Check the files the cache could not answer, on every core when there are many."""
    from reqkit.loader.forked import (  # pickle: only for a cold run
        FILES_AT_LEAST,
        FILES_PER_CHUNK,
        chunked,
        jobs_for,
        map_forked,
    )

    jobs = jobs_for(len(misses), at_least=FILES_AT_LEAST)
    if jobs < 2:
        return {
            rel: _check_one(path, rel, st, ctx, store, extract, extracted)
            for path, rel, st in misses
        }
    from reqkit.loader import yaml_fast  # noqa: F401  # imported once, before the fork

    Checked = list[tuple[str, Entry, list[Diagnostic]]]
    mine: dict[str, Any] | None = {} if extracted is not None else None

    def work(chunk: Sequence[tuple[str, str, os.stat_result | None]]) -> Checked:
        return [
            (rel, *_check_one(path, rel, st, ctx, store, extract, mine)) for path, rel, st in chunk
        ]

    def pack(done: Checked) -> list[Any]:
        """Plain data, to cross a pipe: (rel, path, slim data, diagnostic rows, cached,
        (extracted,) or ())."""
        return [
            (
                rel,
                entry.abspath,
                entry.data,
                [d.as_row() for d in found],
                store.fresh.get(rel),
                (mine[rel],) if mine is not None and rel in mine else (),
            )
            for rel, entry, found in done
        ]

    def unpack(shipped: list[Any]) -> Checked:
        out = []
        for rel, path, data, rows, cached, facts in shipped:
            if cached is not None:
                store.fresh[rel] = cached
            if extracted is not None and facts:
                extracted[rel] = facts[0]
            out.append(
                (rel, Entry(rel, path, FileData(data)), [Diagnostic.from_row(r) for r in rows])
            )
        return out

    chunks = chunked(misses, FILES_PER_CHUNK, taper=True)
    answered = {
        rel: (entry, found)
        for done in map_forked(work, chunks, jobs, pack=pack, unpack=unpack)
        for rel, entry, found in done
    }
    if extracted is not None and mine is not None:
        extracted.update(mine)  # this process's own chunks, never packed
    return answered


def _from_cache(rel: str, path: str, hit: tuple) -> tuple[Entry, list[Diagnostic]]:  # type: ignore[type-arg]
    entry = Entry(rel, path, FileData(hit[4]))
    found = [Diagnostic.from_row(row) for row in hit[5]]
    return entry, found
