"""Repositories with scripted history for the report tests (imported by name: keep it unique): every commit at a given UTC
moment (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), built with the git command."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from lifecycle_text import state_fields


def requirement(
    rid: str,
    status: str = "analysis",
    *,
    title: str | None = None,
    description: str | None = None,
    extra: str = "",
) -> str:
    """A valid requirement file; `extra` lines are appended verbatim."""
    text = (
        f"id: {rid}\ntitle: {title or f'Requirement {rid} of the report tests'}\n"
        f"type: functional\nstatus: {status}\n"
        f"description: {description or f'Customers want the numbered item {rid} handled.'}\n"
    )
    return text + state_fields(status) + extra


class Repo:
    def __init__(self, path: Path, config: str = "") -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        (path / "reqkit.toml").write_text(config, encoding="utf-8")
        (path / "reqs").mkdir(exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Alice Example")
        self.git("config", "user.email", "alice@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, when: str = "2024-01-01T00:00:00Z") -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
        out = subprocess.run(
            ["git", *args], cwd=self.path, env=env, check=True, capture_output=True, text=True
        )
        return out.stdout.strip()

    def write(self, files: dict[str, str]) -> None:
        for rel, text in files.items():
            target = self.path / "reqs" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def commit(
        self, when: str, files: dict[str, str] | None = None, *, remove: tuple[str, ...] = ()
    ) -> str:
        """Write `files` (names under reqs/), remove others, commit at `when` (ISO, UTC)."""
        self.write(files or {})
        for rel in remove:
            self.git("rm", "-q", f"reqs/{rel}")
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", f"change at {when}", when=when)
        return self.git("rev-parse", "HEAD")
