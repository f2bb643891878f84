"""A small requirements repository for the site tests: English, Chinese, a hostile file,
real Git commits with fixed dates and pull-request subjects, an origin on GitHub."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

HOSTILE = """\
id: REQ-666
title: 'Hostile <img src=x onerror="window.__pwned=1"> title {: onclick="window.__pwned=2"}'
type: security
status: analysis
owner: '<script>window.__pwned=10</script>'
description: |
  <script>window.__pwned = 3</script>
  [click me](javascript:window.__pwned=4) and [data](data:text/html,<script>alert(1)</script>)

  <img src=x onerror="window.__pwned=5">

  A paragraph with attributes {: onclick="window.__pwned=6" }

  <a href="#" onclick="window.__pwned=7">anchor</a> <iframe src="javascript:window.__pwned=8"></iframe>

  {{ config.site_name }} --8<-- "/etc/passwd"
acceptance:
  - '<svg onload="window.__pwned=9"></svg> given, when, then'
tags: ['<b onmouseover="window.__pwned=11">tag</b>']
"""


def requirement(rid: str, title: str, *, status: str = "analysis", extra: str = "") -> str:
    return (
        f"id: {rid}\ntitle: {title}\ntype: functional\nstatus: {status}\npriority: must\n"
        f"urgency: routine\nowner: alice\ntags: [reports]\n"
        f"description: When the user exports, the system shall finish within 2 s.\n{extra}"
    )


BASE_FILES: dict[str, str] = {
    "reqs/REQ-001.yaml": requirement("REQ-001", "Batch export on the report page", status="review"),
    "reqs/REQ-002.yaml": (
        "id: REQ-002\ntitle: 报表页面支持批量导出\ntype: experience\nstatus: development\n"
        "priority: should\nurgency: urgent\nowner: bob\ntags: [报表]\n"
        "description: 当用户选中多条记录时，系统应在 2 秒内完成导出。\n"
        "links:\n  parent: [REQ-001]\n"
    ),
    "reqs/area/REQ-003.yaml": requirement(
        "REQ-003",
        "Zebra striping in long tables",
        extra=(
            "links:\n  depends_on: [REQ-001]\n"
            "rationale: |\n  | rows | colour |\n  |---|---|\n  | odd | grey |\n\n"
            "  ```\n  first line\n\n      indented after a blank line\n  ```\n\n"
            "  - one **bold** item\n"
        ),
    ),
}


def git(repo: Path, *args: str, when: str = "2024-05-01T10:00:00+00:00") -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": when,
        "GIT_COMMITTER_DATE": when,
        "GIT_AUTHOR_NAME": "Alice Example",
        "GIT_AUTHOR_EMAIL": "alice@example.invalid",
        "GIT_COMMITTER_NAME": "Alice Example",
        "GIT_COMMITTER_EMAIL": "alice@example.invalid",
    }
    out = subprocess.run(
        ["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True
    )
    return out.stdout


def write(repo: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def make_site_repo(
    base: Path, *, config: str = 'ids = ["REQ-{seq:03}"]\n', extra: dict[str, str] | None = None
) -> Path:
    """Two commits: the requirements, then REQ-001 text changed in a PR (REQ-002 suspect)."""
    repo = base
    repo.mkdir(parents=True, exist_ok=True)
    (repo / "reqkit.toml").write_text(config, encoding="utf-8")
    write(repo, BASE_FILES)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "remote", "add", "origin", "git@github.com:acme/shop.git")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Add the first requirements (#11)")
    changed = BASE_FILES["reqs/REQ-001.yaml"].replace("within 2 s", "within 1 s")
    write(repo, {"reqs/REQ-001.yaml": changed.replace("status: review", "status: development")})
    write(repo, extra or {})
    git(repo, "add", "-A")
    git(
        repo,
        "commit",
        "-q",
        "-m",
        "Tighten the export time (#12)",
        when="2024-06-02T09:00:00+00:00",
    )
    return repo
