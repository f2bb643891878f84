"""Fixtures of the report tests: repositories with scripted history (see report_repo.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from report_repo import Repo


@pytest.fixture
def repo(tmp_path: Path) -> Callable[..., Repo]:
    def make(name: str = "repo", config: str = "") -> Repo:
        return Repo(tmp_path / name, config)

    return make
