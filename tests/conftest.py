"""Helpers for the acceptance and rule tests: real files in a real Git repository, the installed command.

Nothing of reqkit is imported or mocked here: each case writes a repository to disk,
runs `git init`, and runs the `reqkit` executable of this environment as a subprocess.
The helpers are offered as fixtures (two folders each have a conftest.py, so importing
"conftest" by name would be ambiguous).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

REQKIT = shutil.which("reqkit") or str(Path(sys.executable).parent / "reqkit")


def make_repo(
    base: Path,
    files: dict[str, str | bytes],
    config: str | None = "",
    *,
    git: bool = True,
    symlinks: dict[str, str] | None = None,
) -> Path:
    """Write `reqkit.toml` (unless config is None), the files and symlinks; `git init`."""
    base.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (base / "reqkit.toml").write_text(config, encoding="utf-8")
    for rel, content in files.items():
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))
    for rel, points_to in (symlinks or {}).items():
        link = base / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(points_to)
    if git:
        subprocess.run(["git", "init", "-q"], cwd=base, check=True)
    return base


def reqkit_env(repo: Path, extra: dict[str, str | None] | None = None) -> dict[str, str]:
    """The environment of one run: its own cache dirs (next to the repo), no colour.

    `extra` adds variables; a value of None removes one.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "REQKIT_NO_CACHE")}
    env["REQKIT_CACHE_DIR"] = str(repo.parent / f".reqkit-cache-{repo.name}")
    env["XDG_CACHE_HOME"] = str(repo.parent / f".xdg-cache-{repo.name}")  # crash reports
    env["NO_COLOR"] = "1"
    for key, value in (extra or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_reqkit(
    repo: Path,
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str | None] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the installed `reqkit` in `cwd` (default: the repository); `env` as in reqkit_env."""
    result = subprocess.run(
        [REQKIT, *args],
        cwd=cwd or repo,
        capture_output=True,
        text=True,
        env=reqkit_env(repo, env),
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture(scope="session")
def make_repo_fn() -> Callable[..., Path]:
    return make_repo


@pytest.fixture(scope="session")
def run_reqkit_fn() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_reqkit


@pytest.fixture
def make(make_repo_fn: Callable[..., Path]) -> Callable[..., Path]:
    """`make(base, files, config="", *, git=True, symlinks=None)`: see make_repo."""
    return make_repo_fn


@pytest.fixture
def run(run_reqkit_fn: Callable[..., subprocess.CompletedProcess[str]]) -> Callable[..., Any]:
    """`run(repo, *args, cwd=None, env=None)`: see run_reqkit."""
    return run_reqkit_fn


def age_files(repo: Path, seconds: float = 3600) -> None:
    """Make every requirement file look old, so the check cache trusts its stat.

    Files modified within the last seconds are never trusted by the cache; a shared
    read-only repository aged once answers its later runs from the warm path.
    """
    past = time.time() - seconds
    for path in repo.rglob("*.y*ml"):
        if not path.is_symlink():
            os.utime(path, (past, past))


@pytest.fixture(scope="session")
def age_files_fn() -> Callable[..., None]:
    return age_files


@pytest.fixture
def run_many(
    run_reqkit_fn: Callable[..., subprocess.CompletedProcess[str]],
) -> Callable[..., list[subprocess.CompletedProcess[str]]]:
    """`run_many(repo, [args, ...], cwd=None, env=None)`: independent runs, side by side."""

    def many(
        repo: Path, arg_lists: list[tuple[str, ...]], **kwargs: Any
    ) -> list[subprocess.CompletedProcess[str]]:
        with ThreadPoolExecutor(max_workers=4) as pool:
            return list(pool.map(lambda args: run_reqkit_fn(repo, *args, **kwargs), arg_lists))

    return many
