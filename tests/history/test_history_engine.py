"""The history engine on real repositories: one log pass inverted into timelines."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from history_repo import GitRepo, requirement

from reqkit.config import load_config
from reqkit.git.history import load_history
from reqkit.git.log import pr_number


def _history(repo: GitRepo, cache: bool = True, ref: str = "HEAD") -> Any:
    return load_history(load_config(repo.path), ref=ref, cache=cache)


def test_timeline_follows_renames_statuses_and_prs(git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    repo.commit("Add R-1 (#1)", {"reqs/R-1.yaml": requirement("R-1")})
    repo.commit("Review it", {"reqs/R-1.yaml": requirement("R-1", status="review")}, author="Bob")
    repo.mv("reqs/R-1.yaml", "reqs/area/R-1.yaml")
    repo.commit("Move into an area (#7)")
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("Develop", {"reqs/area/R-1.yaml": requirement("R-1", status="development")})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #9 from x/feature", "feature")
    h = _history(repo)
    tl = h.get("R-1")
    assert tl is not None and tl.path == "reqs/area/R-1.yaml"
    assert [c.kind for c in tl.changes] == ["added", "modified", "renamed", "modified"]
    assert [(t.old, t.new) for t in tl.transitions] == [
        (None, "analysis"),
        ("analysis", "review"),
        ("review", "development"),
    ]
    # first-parent: the branch commit is not on the chain, the merge is
    assert tl.changes[-1].commit.subject.startswith("Merge pull request #9")
    assert tl.prs == (1, 7, 9)
    assert tl.changes[1].commit.author == "Bob"
    first = repo.git("log", "--reverse", "--format=%cI").splitlines()[0]
    assert tl.changes[0].commit.date.isoformat() == first.replace("Z", "+00:00")
    assert tl.status_at(tl.changes[1].commit.date) == "review"


def test_removed_requirements_are_kept_apart(git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    repo.commit("add", {"reqs/R-1.yaml": requirement("R-1"), "reqs/R-2.yaml": requirement("R-2")})
    repo.commit("drop R-2", remove=("reqs/R-2.yaml",))
    h = _history(repo)
    assert list(h.timelines) == ["R-1"]
    assert h.removed["R-2"].path is None
    assert h.removed["R-2"].changes[-1].kind == "removed"


def test_no_git_and_no_commits_are_empty_history(
    tmp_path: Path, git_repo: Callable[..., GitRepo]
) -> None:
    plain = tmp_path / "plain"
    (plain / "reqs").mkdir(parents=True)
    (plain / "reqkit.toml").write_text("")
    assert load_history(load_config(plain)).head is None
    fresh = git_repo("fresh")
    assert _history(fresh).head is None and len(_history(fresh)) == 0


def test_cached_by_commit(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))
    repo = git_repo()
    repo.commit("add", {"reqs/R-1.yaml": requirement("R-1")})
    first = _history(repo)
    assert list((tmp_path / "cache").glob("history-*.bin"))
    assert _history(repo) == first
    repo.commit("next", {"reqs/R-1.yaml": requirement("R-1", status="review")})
    assert _history(repo).get("R-1").status == "review"  # a new tip is never answered stale


def test_unknown_ref_and_shallow_clone_exit_2(
    git_repo: Callable[..., GitRepo], tmp_path: Path, run: Callable[..., Any]
) -> None:
    repo = git_repo()
    for n in range(3):
        repo.commit(f"c{n}", {"reqs/R-1.yaml": requirement("R-1", title=f"Title number {n} of it")})
    result = run(repo.path, "show", "R-1", "--history")
    assert result.returncode == 0, result.stderr
    bad = run(repo.path, "diff", "no-such-branch")
    assert (
        bad.returncode == 2 and "no-such-branch" in bad.stderr and len(bad.stderr.splitlines()) == 1
    )
    shallow = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{repo.path}", str(shallow)], check=True
    )
    out = run(shallow, "show", "R-1", "--history")
    assert out.returncode == 2
    assert "git fetch --unshallow" in out.stderr and "fetch-depth: 0" in out.stderr
    assert run(shallow, "check").returncode == 0  # plain check never needs history


def test_show_json_has_links_both_ways_and_history(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    repo.commit(
        "add (#3)",
        {
            "reqs/R-1.yaml": requirement(
                "R-1", extra="verified_by:\n  - tests/test_a.py::test_ok\n"
            ),
            "reqs/R-2.yaml": requirement("R-2", extra="links:\n  parent: [R-1]\n"),
        },
    )
    out = run(repo.path, "show", "R-1", "--history", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"id", "path", "fields", "links", "linked_from", "tests", "history"}
    assert set(data["history"]) == {"commits", "transitions"}
    assert set(data["history"]["commits"][0]) == {
        "sha",
        "date",
        "author",
        "subject",
        "pr",
        "change",
        "path",
        "status",
    }
    assert set(data["history"]["transitions"][0]) == {"sha", "date", "from", "to"}
    assert data["linked_from"] == {"children": ["R-2"]}
    assert data["tests"] == ["tests/test_a.py::test_ok"]
    assert data["history"]["transitions"][0]["to"] == "analysis"
    assert data["history"]["commits"][0]["pr"] == 3
    child = json.loads(run(repo.path, "show", "R-2", "--format", "json").stdout)
    assert child["links"] == {"parent": ["R-1"]} and child["history"] is None
    assert run(repo.path, "show", "R-9").returncode == 2


def test_pr_numbers_from_subjects() -> None:
    assert pr_number("Export reports (#123)") == 123
    assert pr_number("Merge pull request #45 from a/b") == 45
    assert pr_number("Merge branch 'x'", "See merge request group/proj!67") == 67
    assert pr_number("Fix #12 in parser") is None
