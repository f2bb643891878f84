"""The `git_repo` fixture: see history_repo.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from history_repo import IDS, GitRepo


@pytest.fixture
def git_repo(tmp_path: Path) -> Callable[..., GitRepo]:
    def make(name: str = "repo", config: str = IDS) -> GitRepo:
        return GitRepo(tmp_path / name, config)

    return make
