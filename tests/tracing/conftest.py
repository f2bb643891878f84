"""Fixtures for the traceability tests: a real pytest run in a real repository."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


def run_pytest(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest of this environment (so the installed plugin loads) in `repo`, no cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["NO_COLOR"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def pyrun() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`pyrun(repo, *args)`: run pytest as a user would, in their repository."""
    return run_pytest


@pytest.fixture
def data() -> Path:
    """The hand-written JUnit files of other runners (Surefire, jest-junit, gotestsum, ctest)."""
    return DATA
