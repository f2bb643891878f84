"""Real Git repositories for the history tests (imported as `history_repo`: the name
`conftest` is ambiguous across test folders): commits with set dates, branches, merges,
tags and renames, built with the git command (nothing of reqkit is imported here)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from lifecycle_text import state_fields

BASE_DATE = 1_714_000_000  # 2024-04-24T23:06:40Z
IDS = 'ids = ["R-{seq:01}"]\n'


WORDS = [
    "invoice",
    "calendar",
    "barcode",
    "weather",
    "payroll",
    "shipping",
    "glossary",
    "tariff",
    "mailbox",
    "firmware",
    "warranty",
    "roster",
    "ledger",
    "kiosk",
    "printer",
    "census",
]


def requirement(
    rid: str, *, status: str = "analysis", title: str | None = None, extra: str = ""
) -> str:
    """A valid requirement file (extra lines appended verbatim)."""
    # distinct words per ID, so no two test requirements look like near-duplicates
    n = sum(ord(c) * (i + 1) for i, c in enumerate(rid))
    thing = WORDS[n % len(WORDS)]
    other = WORDS[(n // len(WORDS) + 3) % len(WORDS)]
    title = title or f"{thing.capitalize()} {rid} panel"
    text = (
        f"id: {rid}\ntitle: {title}\ntype: functional\nstatus: {status}\n"
        f"description: Operators need the {thing} of {rid} beside the {other}.\n"
    )
    return text + state_fields(status) + extra


class GitRepo:
    """A repository in a temp dir; every commit gets the next date (one hour apart)."""

    def __init__(self, path: Path, config: str = IDS) -> None:
        self.path = path
        self.tick = 0
        path.mkdir(parents=True, exist_ok=True)
        (path / "reqkit.toml").write_text(config, encoding="utf-8")
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Alice Example")
        self.git("config", "user.email", "alice@example.com")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, author: str | None = None) -> str:
        self.tick += 1
        stamp = f"@{BASE_DATE + self.tick * 3600} +0000"
        env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        if author:
            env["GIT_AUTHOR_NAME"] = env["GIT_COMMITTER_NAME"] = author
        out = subprocess.run(
            ["git", *args], cwd=self.path, env=env, check=True, capture_output=True, text=True
        )
        return out.stdout.strip()

    def write(self, files: dict[str, str]) -> None:
        for rel, text in files.items():
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")

    def commit(
        self,
        message: str,
        files: dict[str, str] | None = None,
        *,
        remove: tuple[str, ...] = (),
        author: str | None = None,
    ) -> str:
        self.write(files or {})
        for rel in remove:
            self.git("rm", "-q", rel)
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message, author=author)
        return self.git("rev-parse", "HEAD")

    def mv(self, old: str, new: str) -> None:
        (self.path / new).parent.mkdir(parents=True, exist_ok=True)
        self.git("mv", old, new)
