"""`check --base REF`: every history rule (RK6xx) yields its finding, located in the file
that causes it, and its fix checks clean; on real branches, merges and renames."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from history_repo import GitRepo, requirement

from reqkit.checks.registry import load_all


def _check(
    run: Callable[..., Any], repo: GitRepo, base: str = "main"
) -> tuple[int, list[tuple[str, int, int, str]]]:
    out = run(repo.path, "check", "--base", base, "--format", "json")
    assert out.returncode in (0, 1), out.stderr
    data = json.loads(out.stdout)
    return out.returncode, [
        (d["path"], d["line"], d["column"], d["code"]) for d in data["diagnostics"]
    ]


def test_every_history_code_has_a_case_here() -> None:
    mine = {c for c, r in load_all().items() if r.group == "history" and c.startswith("RK6")}
    assert mine == {"RK601", "RK602", "RK603"}


def test_rk601_transition_skipping_the_lifecycle(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1"), "reqs/R-2.yaml": requirement("R-2")})
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit("skip", {"reqs/R-1.yaml": requirement("R-1", status="released")})
    # added in any state is fine (imports do that)
    repo.commit("import", {"reqs/R-5.yaml": requirement("R-5", status="testing")})
    code, found = _check(run, repo)
    assert (code, found) == (1, [("reqs/R-1.yaml", 4, 9, "RK601")])
    # the fix: one allowed step, uncommitted (the working tree is what is judged)
    repo.write({"reqs/R-1.yaml": requirement("R-1", status="review")})
    assert _check(run, repo) == (0, [])


def test_rk601_is_judged_from_the_merge_base_across_a_rename(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1", status="review")})
    repo.git("checkout", "-q", "-b", "pr")
    repo.mv("reqs/R-1.yaml", "reqs/area/R-1.yaml")
    repo.commit("move and skip", {"reqs/area/R-1.yaml": requirement("R-1", status="testing")})
    repo.git("checkout", "-q", "main")
    repo.commit("main moves on", {"reqs/R-9.yaml": requirement("R-9")})
    repo.git("checkout", "-q", "pr")
    assert _check(run, repo) == (1, [("reqs/area/R-1.yaml", 4, 9, "RK601")])
    repo.write({"reqs/area/R-1.yaml": requirement("R-1", status="development")})
    assert _check(run, repo) == (0, [])


def test_rk602_id_taken_on_the_tip_of_the_base(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1")})
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit(
        "add R-2 here",
        {"reqs/mine/R-2.yaml": requirement("R-2", title="Mine, added on the branch")},
    )
    repo.git("checkout", "-q", "main")
    repo.commit("other PR merged first (#4)", {"reqs/theirs/R-2.yaml": requirement("R-2")})
    repo.mv("reqs/R-1.yaml", "reqs/theirs/R-1.yaml")  # a rename on main is no collision
    repo.commit("move R-1")
    repo.git("checkout", "-q", "pr")
    code, found = _check(run, repo)
    assert (code, found) == (1, [("reqs/mine/R-2.yaml", 1, 5, "RK602")])
    message = json.loads(run(repo.path, "check", "--base", "main", "--format", "json").stdout)
    assert "reqs/theirs/R-2.yaml" in message["diagnostics"][0]["message"]
    # the fix: the next ID free on main too
    repo.git("mv", "reqs/mine/R-2.yaml", "reqs/mine/R-3.yaml")
    repo.write({"reqs/mine/R-3.yaml": requirement("R-3", title="Mine, added on the branch")})
    assert _check(run, repo) == (0, [])


def test_rk602_catches_ids_that_differ_only_in_case(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo(config='ids = ["R-{seq:01}", "r-{seq:01}"]\n')
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1")})
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit("add", {"reqs/r-2.yaml": requirement("r-2")})
    repo.git("checkout", "-q", "main")
    repo.commit("theirs", {"reqs/R-2.yaml": requirement("R-2")})
    repo.git("checkout", "-q", "pr")
    assert _check(run, repo) == (1, [("reqs/r-2.yaml", 1, 5, "RK602")])


def test_rk603_suspect_link_and_its_review(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    child = requirement("R-2", extra="links:\n  parent: [R-1]\n")
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1"), "reqs/R-2.yaml": child})
    repo.commit(
        "status only: not a change of meaning",
        {"reqs/R-1.yaml": requirement("R-1", status="review")},
    )
    assert _check(run, repo) == (0, [])
    repo.commit(
        "reword R-1 (#5)",
        {"reqs/R-1.yaml": requirement("R-1", status="review", title="Export every report at once")},
    )
    code, found = _check(run, repo)
    assert (code, found) == (0, [("reqs/R-2.yaml", 7, 12, "RK603")])  # a warning
    assert run(repo.path, "check", "--base", "main", "--strict").returncode == 1
    reviewed = run(repo.path, "review", "R-2")
    assert reviewed.returncode == 0, reviewed.stderr
    assert "Reqkit-Reviewed: R-2" in repo.git("log", "-1", "--format=%B")
    assert _check(run, repo) == (0, [])


def test_rk603_review_on_a_merged_branch_counts_and_never_conflicts(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    child = requirement("R-2", extra="links:\n  parent: [R-1]\n")
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1"), "reqs/R-2.yaml": child})
    repo.commit(
        "reword (#2)", {"reqs/R-1.yaml": requirement("R-1", title="A new meaning for the parent")}
    )
    for branch in ("one", "two"):  # two reviewers on two branches
        repo.git("checkout", "-q", "-b", branch, "main")
        assert run(repo.path, "review", "R-2", "-m", f"checked on {branch}").returncode == 0
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #3 from x/one", "one")
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #4 from x/two", "two")
    assert _check(run, repo, "HEAD") == (0, [])
    # a later change of meaning makes it suspect again
    repo.commit(
        "reword again", {"reqs/R-1.yaml": requirement("R-1", title="Yet another meaning now")}
    )
    assert _check(run, repo, "HEAD")[1] == [("reqs/R-2.yaml", 7, 12, "RK603")]


def test_rk603_parent_edited_in_the_working_tree(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    child = requirement("R-2", extra="links:\n  parent: [R-1]\n")
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1"), "reqs/R-2.yaml": child})
    repo.write({"reqs/R-1.yaml": requirement("R-1", title="Changed but not committed yet")})
    assert _check(run, repo)[1] == [("reqs/R-2.yaml", 7, 12, "RK603")]
    repo.write({"reqs/R-2.yaml": child + "tags: [looked-at]\n"})  # touching the child reviews it
    assert _check(run, repo) == (0, [])


def test_base_needs_git(tmp_path: Any, make: Callable[..., Any], run: Callable[..., Any]) -> None:
    plain = make(tmp_path / "plain", {"reqs/202405-001.yaml": requirement("202405-001")}, git=False)
    out = run(plain, "check", "--base", "main")
    assert out.returncode == 2 and "not in a Git repository" in out.stderr
