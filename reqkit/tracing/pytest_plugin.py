"""The pytest plugin (entry point `pytest11`: `reqkit`): `@pytest.mark.req("ID", …)`.

It loads in every pytest run of everyone who installed reqkit, so it imports nothing
but pytest at start-up and does nothing unless asked: the marker's IDs become
`requirement` properties of the test in the JUnit XML (`--junitxml`), and with
`--reqkit-strict` a test naming an ID the project does not have fails. Only then are
the project's requirements read, found from pytest's rootdir as `reqkit` finds them.
Disable it with `-p no:reqkit`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

__all__ = [
    "pytest_addoption",
    "pytest_collection_modifyitems",
    "pytest_configure",
    "pytest_runtest_setup",
]

MARKER = "req"
PROPERTY = "requirement"
_UNKNOWN = pytest.StashKey[dict[str, list[str]]]()
_BAD = pytest.StashKey[dict[str, str]]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("reqkit", "requirements traceability (reqkit)")
    group.addoption(
        "--reqkit-strict",
        action="store_true",
        default=False,
        help="fail tests whose @pytest.mark.req names a requirement ID the project "
        "(found from the rootdir) does not have",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f'{MARKER}(*ids): the requirement IDs this test verifies, e.g. @pytest.mark.{MARKER}("REQ-012"); '
        "recorded as `requirement` properties in the JUnit XML for `reqkit trace`",
    )


def _ids(item: pytest.Item) -> tuple[list[str], str | None]:
    """The IDs of every `req` marker on the item (class and module markers included)."""
    ids: list[str] = []
    for mark in item.iter_markers(MARKER):
        if mark.kwargs or not mark.args:
            return [], f'@pytest.mark.{MARKER} takes requirement IDs, e.g. {MARKER}("REQ-012")'
        for arg in mark.args:
            if not isinstance(arg, str) or not arg.strip() or any(c in arg for c in ", \t\n"):
                return [], f"@pytest.mark.{MARKER}: {arg!r} is not a requirement ID"
            ids.append(arg.strip())
    return list(dict.fromkeys(ids)), None


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    bad: dict[str, str] = {}
    named: dict[str, list[str]] = {}
    for item in items:
        ids, problem = _ids(item)
        if problem:
            bad[item.nodeid] = problem
        for rid in ids:
            item.user_properties.append((PROPERTY, rid))
        if ids:
            named[item.nodeid] = ids
    config.stash[_BAD] = bad
    unknown: dict[str, list[str]] = {}
    if config.getoption("reqkit_strict") and named:
        known = _known_ids(Path(str(config.rootpath)))
        for nodeid, ids in named.items():
            missing = [rid for rid in ids if rid not in known]
            if missing:
                unknown[nodeid] = missing
    config.stash[_UNKNOWN] = unknown


def pytest_runtest_setup(item: pytest.Item) -> None:
    problem = item.config.stash.get(_BAD, {}).get(item.nodeid)
    if problem:
        pytest.fail(problem, pytrace=False)
    missing = item.config.stash.get(_UNKNOWN, {}).get(item.nodeid)
    if missing:
        names = ", ".join(repr(m) for m in missing)
        pytest.fail(
            f"--reqkit-strict: @pytest.mark.{MARKER} names unknown requirement {names}",
            pytrace=False,
        )


def _known_ids(rootdir: Path) -> set[str]:
    """Every requirement ID of the project that holds `rootdir`; a usage error if none."""
    from reqkit.config import load_config
    from reqkit.errors import ReqkitError
    from reqkit.loader.discover import discover, git_top
    from reqkit.loader.files import read_file
    from reqkit.model.reqset import Entry

    try:
        config = load_config(rootdir)
    except ReqkitError as exc:
        raise pytest.UsageError(f"--reqkit-strict: {exc}") from None
    folder = config.requirements_dir
    if not folder.is_dir():
        raise pytest.UsageError(
            f"--reqkit-strict: requirements folder '{config.requirements}' does not exist"
        )
    boundary = (git_top(config.root) or config.root).resolve()
    known: set[str] = set()
    for found in discover(folder, boundary):
        if not found.escapes:
            fd = read_file(Path(found.path), max_size=config.max_file_size)
            known.add(Entry(found.path, found.path, fd).known_id)
    return known
