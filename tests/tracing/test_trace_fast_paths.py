"""Where `trace` takes a faster road, it must arrive at the same answer as the slow one.

Each test runs both roads on the same repository and compares the whole output: the code
search narrowed by `git grep` against reading every tracked file, requirement files read
on two cores against one, a warm trace cache against none, and the one-case shortcut of
a test link against the general rule.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from reqkit.tracing.junit import TestCase
from reqkit.tracing.matrix import _combined

Run = Callable[..., subprocess.CompletedProcess[str]]
MakeRepo = Callable[..., Path]
CONFIG = 'ids = ["REQ-{seq:03}"]\n'
# The same search as the default keyword, written so that no plain keyword can be taken
# out of it: reqkit then reads every tracked file itself (the slow road).
SLOW_PATTERN = "[trace]\npattern = '(?<![\\w-])(?:Implements):\\s*'\n"


def _requirement(rid: str) -> str:
    return f"id: {rid}\ntitle: Feature {rid}\ntype: functional\nstatus: testing\n"


def _git(repo: Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    subprocess.run(["git", *args], cwd=repo, check=True, env=env, capture_output=True)


def _trace(run: Run, repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    result = run(repo, "trace", "--format", "json", *args, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def _code(out: str) -> dict[str, Any]:
    data = json.loads(out)
    return {
        "refs": {r["id"]: r["code"] for r in data["requirements"] if r["code"]},
        "unknown": data["unknown"]["code"],
    }


@pytest.mark.req("REQ-085")
def test_narrowing_the_code_search_with_git_grep_finds_what_reading_every_file_finds(
    make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    project: dict[str, str | bytes] = {
        f"reqs/REQ-00{i}.yaml": _requirement(f"REQ-00{i}") for i in range(1, 7)
    }
    project |= {
        "src/plain.py": "x = 1\n# Implements: REQ-001, REQ-404\n",
        "src/none.py": "y = 2\n",
        "src/unchanged.py": "z = 3\n",  # assume-unchanged, then edited: grep reads the index
        "src/sparse.py": "w = 4\n",  # skip-worktree, then edited: grep reads the index
        "src/kind.py": "v = 5\n",  # becomes a symlink in the work tree only
        "src/gone.py": "# Implements: REQ-006\n",  # deleted from the work tree
        "src/binary.dat": b"\x00\x01 Implements: REQ-006\n",
        "src/latin1.py": "# Implements: REQ-006 \xe9\n".encode("latin-1"),
        "elsewhere/target.txt": "// Implements: REQ-005\n",
    }
    repo = make(tmp_path / "repo", project, CONFIG, symlinks={"src/link.py": "plain.py"})
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    _git(repo, "update-index", "--assume-unchanged", "src/unchanged.py")
    (repo / "src/unchanged.py").write_text("# Implements: REQ-002\n", encoding="utf-8")
    _git(repo, "update-index", "--skip-worktree", "src/sparse.py")
    (repo / "src/sparse.py").write_text("# Implements: REQ-003\n", encoding="utf-8")
    (repo / "src/kind.py").unlink()
    (repo / "src/kind.py").symlink_to("../elsewhere/target.txt")
    (repo / "src/gone.py").unlink()
    (repo / "src/untracked.py").write_text("# Implements: REQ-004\n", encoding="utf-8")

    fast = _trace(run, repo, "--code", "src")
    (repo / "reqkit.toml").write_text(CONFIG + SLOW_PATTERN, encoding="utf-8")
    slow = _trace(run, repo, "--code", "src")
    assert fast == slow
    assert _code(fast) == {
        "refs": {
            "REQ-001": [
                {"path": "src/link.py", "line": 2, "column": 15},
                {"path": "src/plain.py", "line": 2, "column": 15},
            ],
            "REQ-002": [{"path": "src/unchanged.py", "line": 1, "column": 15}],
            "REQ-003": [{"path": "src/sparse.py", "line": 1, "column": 15}],
            "REQ-005": [{"path": "src/kind.py", "line": 1, "column": 16}],
        },
        "unknown": [
            {"id": "REQ-404", "path": "src/link.py", "line": 2, "column": 24},
            {"id": "REQ-404", "path": "src/plain.py", "line": 2, "column": 24},
        ],
    }


@pytest.mark.req("REQ-085")
def test_a_code_search_git_grep_finds_nothing_in_is_still_reqkits_own(
    make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    project: dict[str, str | bytes] = {"reqs/REQ-001.yaml": _requirement("REQ-001")}
    project["src/a.py"] = "a = 1\n"
    repo = make(tmp_path / "repo", project, CONFIG)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    _git(repo, "update-index", "--assume-unchanged", "src/a.py")
    (repo / "src/a.py").write_text("# Implements: REQ-001\n", encoding="utf-8")
    assert _code(_trace(run, repo, "--code", "src"))["refs"] == {
        "REQ-001": [{"path": "src/a.py", "line": 1, "column": 15}]
    }


def _big_project(count: int) -> dict[str, str | bytes]:
    project: dict[str, str | bytes] = {
        f"reqs/REQ-{n:04d}.yaml": (
            _requirement(f"REQ-{n:04d}")
            + (f"links:\n  parent: [REQ-{n // 2:04d}]\n" if n > 1 else "")
            + f"tags: [t{n % 4}]\nverified_by: [tests/test_big.py::test_{n % 5}]\n"
        )
        for n in range(1, count + 1)
    }
    project["reqs/REQ-0007.yaml"] = "id: REQ-0007\ntitle: [unclosed\n"  # cannot be parsed
    project["reqs/REQ-0008.yaml"] = b"\xff\xfe not UTF-8"
    # YAML reads these as dates, which the cache could only keep as text
    project["reqs/REQ-0009.yaml"] = "id: REQ-0009\ntitle: 2024-05-06\ntags: [2024-05-07]\n"
    project["junit.xml"] = (
        '<testsuite><testcase classname="tests.test_big" name="test_0"/>'
        '<testcase classname="tests.test_big" name="test_1"><failure message="no"/></testcase>'
        '<testcase classname="tests.test_big" name="test_2"><skipped/></testcase>'
        '<testcase classname="tests.test_big" name="test_9"><properties>'
        '<property name="requirement" value="REQ-0010 REQ-9999"/></properties></testcase>'
        "</testsuite>"
    )
    project["src/a.py"] = "# Implements: REQ-0003, REQ-0004\n"
    return project


@pytest.mark.req("REQ-087")
def test_reading_on_two_cores_or_one_and_from_the_cache_gives_the_same_bytes(
    make: MakeRepo, run: Run, tmp_path: Path, age_files_fn: Callable[..., None]
) -> None:
    repo = make(tmp_path / "repo", _big_project(1500), CONFIG.replace("03", "04"))
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "start")
    age_files_fn(repo)  # old enough for the trace cache to trust their stat
    args = ("--tests", "junit.xml", "--code", "src")
    one = _trace(run, repo, *args, "--no-cache", env={"REQKIT_JOBS": "1"})
    two = _trace(run, repo, *args, "--no-cache", env={"REQKIT_JOBS": "2"})
    cold = _trace(run, repo, *args)  # fills the cache
    warm = _trace(run, repo, *args)  # answered from it
    assert one == two == cold == warm
    data = json.loads(one)
    assert len(data["requirements"]) == 1500
    by_id = {r["id"]: r for r in data["requirements"]}
    assert by_id["REQ-0010"]["tests"][-1]["via"] == "property"
    assert [u["id"] for u in data["unknown"]["tests"]] == ["REQ-9999"]
    assert by_id["REQ-0004"]["code"] == [{"path": "src/a.py", "line": 1, "column": 25}]
    assert by_id["REQ-0002"]["children"] == ["REQ-0004", "REQ-0005"]
    assert by_id["REQ-0007"]["title"] is None  # the unreadable file: a row with no fields
    assert by_id["REQ-0009"]["title"] is None  # a date is not a title, warm or cold


@pytest.mark.req("REQ-083")
def test_a_bad_results_file_while_reading_on_two_cores_exits_2_with_its_reason(
    make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    project = _big_project(1200)
    project["junit.xml"] = "<testsuite><testcase name='a'>\n</testsuite>"
    repo = make(tmp_path / "repo", project, CONFIG.replace("03", "04"), git=False)
    result = run(repo, "trace", "--tests", "junit.xml", "--no-cache", env={"REQKIT_JOBS": "2"})
    assert result.returncode == 2
    assert "junit.xml:2: not well-formed JUnit XML: mismatched tag" in result.stderr


@pytest.mark.req("REQ-087")
@pytest.mark.parametrize("outcome", ["passed", "failed", "skipped", "error"])
@pytest.mark.parametrize("message", [None, "", "it broke"])
def test_one_test_case_links_as_the_general_rule_links_it(
    outcome: Any, message: str | None
) -> None:
    case = TestCase("tests.test_a", "test_b", outcome, "junit.xml", 3, (), message)
    general = _combined("tests/test_a.py::test_b", "verified_by", [case, case])
    assert _combined("tests/test_a.py::test_b", "verified_by", [case]) == replace(general, cases=1)
