"""Helpers for the rule tests: real files in a real Git repository, the installed command.

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
from collections.abc import Callable
from pathlib import Path

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
