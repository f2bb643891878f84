"""Traceability: tests and code references matched to requirements; coverage rules."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from reqkit.api.project import boundary_of, found_files, rel_path
from reqkit.config import Config, load_config
from reqkit.diagnostics import Diagnostic
from reqkit.errors import UsageError
from reqkit.model.reqset import RequirementSet
from reqkit.tracing.coderefs import CodeRef, compile_pattern, find_refs
from reqkit.tracing.coverage import TraceMatrix, judge
from reqkit.tracing.junit import TestCase, read_junit
from reqkit.tracing.matrix import LastChange, build_rows
from reqkit.tracing.reading import start_reading

__all__ = ["coverage_diagnostics", "trace"]


def trace(
    root: str | Path | None = None,
    *,
    tests: Sequence[str | Path] = (),
    code: Sequence[str | Path] = (),
    config: Config | None = None,
    history: bool = True,
    cache: bool = True,
) -> TraceMatrix:
    """The traceability matrix and coverage of the project at `root` (default: here).

    `tests` are JUnit XML files, `code` folders searched for `Implements: ID` comments in
    the files Git tracks. With `history`, each row carries the last commit that changed
    its file (empty outside Git and in a shallow clone). `TraceMatrix.as_dict()` is the
    documented JSON shape. With `cache`, what was read of each requirement file is kept
    in the user cache dir for the next run, trusted as `check` trusts its cache.
    """
    from reqkit.checks.context import effective_severities

    config = config or load_config(Path(root) if root else None)
    loading = _load(config, cache=cache)  # on other cores, while this one reads the rest
    try:
        boundary = boundary_of(config)
        cases: list[TestCase] = []
        for path in tests:
            cases.extend(read_junit(path))
        refs = _code_refs(config, code, boundary) if code else []
    finally:
        reqs = loading()
    rows, unknown = build_rows(
        reqs, cases, refs, last_changes=_last_changes(config, reqs) if history else None
    )
    unknown = [
        u if u.kind == "code" else replace(u, path=_shown(u.path, boundary)) for u in unknown
    ]
    config_path = rel_path(config.source, boundary) if config.source else "reqkit.toml"
    rules, thresholds, findings = judge(
        rows,
        unknown,
        reqs,
        config,
        has_tests=bool(tests),
        has_code=bool(code),
        severities=effective_severities(config),
        config_path=config_path,
    )
    return TraceMatrix(
        rows=tuple(rows),
        unknown=tuple(unknown),
        rules=tuple(rules),
        thresholds=tuple(thresholds),
        findings=tuple(findings),
        tests=tuple(os.fspath(t) for t in tests),
        test_cases=len(cases),
        code=tuple(os.fspath(c) for c in code),
        code_refs=len(refs),
        shipped=tuple(s.name for s in config.states if s.shipped),
    )


def coverage_diagnostics(
    config: Config, *, tests: Sequence[str | Path] = (), code: Sequence[str | Path] = ()
) -> list[Diagnostic]:
    """Located findings of the project's coverage rules against test results and code."""
    return list(trace(config=config, tests=tests, code=code, history=False).findings)


def _shown(path: str, boundary: Path) -> str:
    """A JUnit file as diagnostics name it: repository-relative when inside, else absolute."""
    absolute = os.path.abspath(path)
    if absolute.startswith(str(boundary) + os.sep):
        return rel_path(absolute, boundary)
    return absolute


def _code_refs(config: Config, folders: Sequence[str | Path], boundary: Path) -> list[CodeRef]:
    """References in the files Git tracks under `folders` (every file, outside Git)."""
    from reqkit.git.runner import open_runner

    for folder in folders:
        if not os.path.isdir(folder):
            raise UsageError(f"--code {os.fspath(folder)}: not a folder")
        real = Path(os.path.realpath(folder))
        if real != boundary and boundary not in real.parents:
            raise UsageError(f"--code {os.fspath(folder)}: outside the repository {boundary}")
    runner = open_runner(config.root)
    files: list[tuple[str, str]] = []
    if runner is None:
        for folder in folders:
            files.extend(_walk(Path(os.path.realpath(folder)), boundary))
    else:
        top = runner.top.resolve()
        specs = [rel_path(os.path.realpath(f), top) for f in folders]
        out = runner.run("ls-files", "-z", "--full-name", "--", *specs)
        for name in sorted(set(out.decode("utf-8", "surrogateescape").split("\0"))):
            if name:
                absolute = os.path.join(top, name)
                files.append((rel_path(absolute, boundary), absolute))
    return find_refs(files, compile_pattern(config.code_pattern))


def _walk(folder: Path, boundary: Path) -> list[tuple[str, str]]:
    found = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                absolute = os.path.join(here, name)
                found.append((rel_path(absolute, boundary), absolute))
    return found


def _last_changes(config: Config, reqs: RequirementSet) -> dict[str, LastChange]:
    """The last first-parent commit that changed each requirement's file.

    One `git log` pass, no file contents. Empty outside Git, before the first commit and
    in a shallow clone (where the last change may lie beyond the cut): an empty column,
    never a wrong date.
    """
    from reqkit.git.history import requirements_folder
    from reqkit.git.log import read_log
    from reqkit.git.runner import open_runner

    runner = open_runner(config.root)
    if runner is None:
        return {}
    tip = runner.head()
    if tip is None or runner.shallow:
        return {}
    last: dict[str, LastChange] = {}
    for commit, changes in read_log(runner, tip, requirements_folder(config, runner)):
        stamp = LastChange(commit.sha, commit.date, commit.pr)
        for change in changes:
            last[change.path] = stamp
    top = runner.top.resolve()
    found: dict[str, LastChange] = {}
    for rid, entry in reqs.by_id.items():
        hit = last.get(rel_path(entry.abspath, top))
        if hit is not None:
            found[rid] = hit
    return found


def _load(config: Config, *, cache: bool) -> Callable[[], RequirementSet]:
    """Start reading every requirement (see reqkit.tracing.reading); call it for the set."""
    from reqkit.loader.cache import Cache

    boundary, found = found_files(config)
    files = [(rel_path(f.path, boundary), f.path) for f in found if not f.escapes]
    store = Cache.open(
        root=config.root, config_fingerprint=f"trace|{config.fingerprint()}", enabled=cache
    )
    return start_reading(files, max_size=config.max_file_size, store=store)
