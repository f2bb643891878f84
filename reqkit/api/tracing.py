"""Traceability: tests and code references matched to requirements; coverage rules."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reqkit.api.project import boundary_of, found_files, rel_path, rel_paths
from reqkit.config import Config, load_config
from reqkit.diagnostics import Diagnostic
from reqkit.errors import UsageError
from reqkit.loader.bulk import paused_gc
from reqkit.loader.forked import map_forked
from reqkit.model.reqset import RequirementSet
from reqkit.tracing.coderefs import CodeRef, compile_pattern, find_refs, keyword
from reqkit.tracing.coverage import TraceMatrix, judge
from reqkit.tracing.junit import TestCase, read_junit
from reqkit.tracing.matrix import LastChange, build_rows
from reqkit.tracing.reading import Parsed, Reading, plan
from reqkit.tracing.sources import tracked_files

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
    config = config or load_config(Path(root) if root else None)
    with paused_gc():  # millions of objects that all live to the end: nothing to collect
        return _trace(config, tests, code, history=history, cache=cache)


def _trace(
    config: Config,
    tests: Sequence[str | Path],
    code: Sequence[str | Path],
    *,
    history: bool,
    cache: bool,
) -> TraceMatrix:
    from reqkit.checks.context import effective_severities

    reading = _plan(config, cache=cache)
    boundary = boundary_of(config)

    def inputs() -> _Inputs:
        cases: list[TestCase] = []
        for path in tests:
            cases.extend(read_junit(path))
        refs = _code_refs(config, code, boundary) if code else []
        return _Inputs(cases, refs, _changed_last(config) if history else None)

    found, read = _alongside(inputs, reading)
    reqs = reading.finish(read)
    cases, refs = found.cases, found.refs
    rows, unknown = build_rows(
        reqs,
        cases,
        refs,
        last_changes=_by_id(found.last, reqs) if history else None,
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


@dataclass(frozen=True)
class _Inputs:
    """What a trace reads besides the requirements: tests, code, the last changes."""

    cases: list[TestCase]
    refs: list[CodeRef]
    last: tuple[Path, dict[str, LastChange]] | None  # see `_changed_last`


def _alongside(inputs: Callable[[], _Inputs], reading: Reading) -> tuple[_Inputs, list[Parsed]]:
    """`inputs()` and the parsing of `reading`'s files, on every core.

    The requirement files are parsed by `map_forked`; this process reads the test
    results, the code and the log first (the forked readers have begun meanwhile; they
    never need these), then joins them. An error in `inputs()` is raised only once the
    readers are done, so none is left behind.
    """
    here = os.getpid()
    done: list[tuple[_Inputs | None, BaseException | None]] = []

    def first_inputs() -> None:
        try:
            done.append((inputs(), None))
        except Exception as exc:  # raised below, once the readers are joined
            done.append((None, exc))

    def work(chunk: range) -> list[Parsed]:
        if not done and os.getpid() == here:
            first_inputs()
        return reading.read(chunk)

    parts = map_forked(work, reading.chunks(), reading.jobs)
    if not done:
        first_inputs()
    found, error = done[0]
    if error is not None:
        raise error
    assert found is not None
    return found, [data for part in parts for data in part]


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
    pattern = compile_pattern(config.code_pattern)
    runner = open_runner(config.root)
    if runner is None:
        files: list[tuple[str, str]] = []
        for folder in folders:
            files.extend(_walk(Path(os.path.realpath(folder)), boundary))
        return find_refs(files, pattern)
    top = runner.top.resolve()
    specs = [rel_path(os.path.realpath(f), top) for f in folders]
    names = tracked_files(runner, specs, keyword(pattern))
    absolute = [os.path.join(top, name) for name in names]
    return find_refs(zip(rel_paths(absolute, boundary), absolute, strict=True), pattern)


def _walk(folder: Path, boundary: Path) -> list[tuple[str, str]]:
    found = []
    for here, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                absolute = os.path.join(here, name)
                found.append((rel_path(absolute, boundary), absolute))
    return found


def _changed_last(config: Config) -> tuple[Path, dict[str, LastChange]] | None:
    """The last first-parent commit that changed each file of the requirements folder.

    One `git log` pass, no file contents; keyed by path from the work tree's top (given
    first). None outside Git, before the first commit and in a shallow clone (where the
    last change may lie beyond the cut): an empty column, never a wrong date.
    """
    from reqkit.git.history import requirements_folder
    from reqkit.git.log import read_log
    from reqkit.git.runner import open_runner

    runner = open_runner(config.root)
    if runner is None:
        return None
    tip = runner.head()
    if tip is None or runner.shallow:
        return None
    last: dict[str, LastChange] = {}
    for commit, changes in read_log(runner, tip, requirements_folder(config, runner)):
        stamp = LastChange(commit.sha, commit.date, commit.pr)
        for change in changes:
            last[change.path] = stamp
    return runner.top.resolve(), last


def _by_id(
    changed: tuple[Path, dict[str, LastChange]] | None, reqs: RequirementSet
) -> dict[str, LastChange]:
    """`_changed_last`'s answer by requirement ID."""
    if changed is None:
        return {}
    top, last = changed
    ids = list(reqs.by_id)
    paths = rel_paths([reqs.by_id[rid].abspath for rid in ids], top)
    return {rid: last[path] for rid, path in zip(ids, paths, strict=True) if path in last}


def _plan(config: Config, *, cache: bool) -> Reading:
    """What the trace cache holds of every requirement file, and what is left to parse."""
    from reqkit.loader.cache import Cache

    boundary, found = found_files(config)
    kept = [f.path for f in found if not f.escapes]
    files = list(zip(rel_paths(kept, boundary), kept, strict=True))
    store = Cache.open(
        root=config.root, config_fingerprint=f"trace|{config.fingerprint()}", enabled=cache
    )
    return plan(files, max_size=config.max_file_size, store=store)
