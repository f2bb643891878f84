"""`reqkit release-notes FROM TO`: what shipped between two tags, grouped for humans."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from history_repo import GitRepo, requirement

SOURCE = "source:\n  channel: phone\n  requester: Customer A, procurement\n"


def _repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    repo = git_repo()
    repo.git("remote", "add", "origin", "git@github.com:acme/shop.git")
    repo.commit(
        "start",
        {
            "reqs/R-1.yaml": requirement("R-1", status="testing", extra=SOURCE),
            "reqs/R-2.yaml": requirement("R-2", status="released").replace("functional", "bug"),
            "reqs/R-3.yaml": requirement("R-3", status="testing").replace("functional", "security"),
            "reqs/R-4.yaml": requirement("R-4", status="testing").replace(
                "functional", "experience"
            ),
        },
    )
    repo.git("tag", "v1")
    repo.commit(
        "Ship R-1 (#11)", {"reqs/R-1.yaml": requirement("R-1", status="released", extra=SOURCE)}
    )
    repo.git("checkout", "-q", "-b", "sec")
    repo.commit(
        "harden",
        {"reqs/R-3.yaml": requirement("R-3", status="released").replace("functional", "security")},
    )
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #12 from acme/sec", "sec")
    # released before v1 and closed inside the range: not new in this release
    repo.commit(
        "close R-2 (#13)",
        {"reqs/R-2.yaml": requirement("R-2", status="closed").replace("functional", "bug")},
    )
    repo.mv("reqs/R-1.yaml", "reqs/shop/R-1.yaml")
    repo.commit("tidy (#14)")
    repo.git("tag", "v2")
    return repo


def test_release_notes_json(git_repo: Callable[..., GitRepo], run: Callable[..., Any]) -> None:
    repo = _repo(git_repo)
    out = run(repo.path, "release-notes", "v1", "v2", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"from", "to", "from_commit", "to_commit", "count", "groups"}
    assert (data["from"], data["to"], data["count"]) == ("v1", "v2", 2)
    assert [g["key"] for g in data["groups"]] == ["features", "security"]
    r1 = data["groups"][0]["items"][0]
    assert set(r1) == {"id", "title", "type", "status", "requester", "path", "prs", "commits"}
    assert r1["id"] == "R-1" and r1["requester"] == "Customer A, procurement"
    assert r1["path"] == "reqs/shop/R-1.yaml"
    assert r1["prs"] == [
        {"number": 11, "url": "https://github.com/acme/shop/pull/11"},
        {"number": 14, "url": "https://github.com/acme/shop/pull/14"},
    ]
    assert data["groups"][1]["items"][0]["prs"][0]["number"] == 12


def test_release_notes_markdown_and_gitlab_links(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = _repo(git_repo)
    repo.git("remote", "set-url", "origin", "https://gitlab.example.com/group/sub/shop.git")
    md = run(repo.path, "release-notes", "v1", "v2").stdout
    assert md.startswith("## Release notes: v1 → v2")
    assert "### New features" in md and "### Security and compliance" in md and "Fixes" not in md
    assert "(requested by Customer A, procurement)" in md
    assert "[#11](https://gitlab.example.com/group/sub/shop/-/merge_requests/11)" in md
    assert "No requirement shipped" in run(repo.path, "release-notes", "v2", "v2").stdout
    assert run(repo.path, "release-notes", "v1", "v9").returncode == 2
