"""`reqkit trace` through the installed command, on a real pytest run and other runners' files."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shop_project import commit_all, files

Run = Callable[..., subprocess.CompletedProcess[str]]
MakeRepo = Callable[..., Path]
CONFIG = 'ids = ["REQ-{seq:03}"]\n'


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory, make_repo_fn: MakeRepo) -> Path:
    """The shop project after a real pytest run wrote `junit.xml` (read-only for tests)."""
    from conftest import run_pytest

    repo = make_repo_fn(tmp_path_factory.mktemp("shop") / "repo", files(), CONFIG)
    commit_all(repo)
    (repo / "src" / "untracked.py").write_text("# Implements: REQ-002\n", encoding="utf-8")
    result = run_pytest(repo, "--junitxml=junit.xml", "tests")
    assert result.returncode == 1, result.stdout  # test_param[2] fails on purpose
    return repo


def trace_json(run: Run, repo: Path, *args: str, code: int = 0) -> dict[str, Any]:
    result = run(repo, "trace", "--format", "json", *args)
    assert result.returncode == code, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def case_line(junit: Path, name: str) -> int:
    """The line of `<testcase ... name="name"` in a JUnit file."""
    text = junit.read_text(encoding="utf-8")
    return text[: text.index(f'name="{name}"')].count("\n") + 1


def rows(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in data["requirements"]}


@pytest.mark.req("REQ-084", "REQ-087")
def test_a_real_pytest_run_verifies_traces_and_leaves_not_run(shop: Path, run: Run) -> None:
    data = trace_json(run, shop, "--tests", "junit.xml")
    by_id = rows(data)
    verdicts = {rid: r["verdict"] for rid, r in by_id.items()}
    assert verdicts == {
        "REQ-001": "passed",  # test_ok and TestCart::test_add (Class::method)
        "REQ-002": "failed",  # test_param[2] failed; [1] passed
        "REQ-003": "passed",  # by the marker alone
        "REQ-004": "not run",  # verified_by names a test the results do not hold
        "REQ-005": "untested",
        "REQ-006": "not run",  # Surefire and jest names: not in a pytest run
        "REQ-007": "not run",
    }
    tests = {t["name"]: t for t in by_id["REQ-002"]["tests"]}
    assert tests["tests/test_shop.py::test_param"] == {
        "name": "tests/test_shop.py::test_param",
        "via": "verified_by",
        "outcome": "failed",
        "cases": 2,
        "message": "AssertionError: two is not one assert 2 == 1",
    }
    assert by_id["REQ-003"]["tests"] == [
        {
            "name": "tests.test_shop.test_marked",
            "via": "property",
            "outcome": "passed",
            "cases": 1,
            "message": None,
        }
    ]
    assert by_id["REQ-004"]["tests"][0]["outcome"] == "not run"
    assert by_id["REQ-001"]["children"] == ["REQ-005"]
    assert by_id["REQ-005"]["parents"] == ["REQ-001"]
    overall = data["coverage"]["overall"]
    assert overall == {
        "requirements": 7,
        "traced": 6,
        "verified": 2,
        "implemented": 0,
        "traced_pct": 85.7,
        "verified_pct": 28.6,
    }
    assert data["coverage"]["by_type"]["bug"]["verified"] == 0
    assert data["coverage"]["by_status"]["released"] == {
        "requirements": 4,
        "traced": 4,
        "verified": 1,
        "implemented": 0,
        "traced_pct": 100.0,
        "verified_pct": 25.0,
    }
    assert data["uncovered"] == ["REQ-005"]
    assert data["released_without_passing_test"] == ["REQ-002", "REQ-004", "REQ-006"]
    assert data["unknown"]["tests"] == [
        {
            "id": "REQ-999",
            "path": "junit.xml",
            "line": case_line(shop / "junit.xml", "test_typo"),
            "test": "tests.test_shop.test_typo",
        }
    ]
    assert data["inputs"] == {"tests": ["junit.xml"], "test_cases": 6, "code": [], "code_refs": 0}


@pytest.mark.req("REQ-082", "REQ-084")
def test_surefire_jest_and_gotestsum_results_match_by_junit_name(
    shop: Path, run: Run, data: Path
) -> None:
    args = ["--tests", "junit.xml"]
    for name in ("surefire.xml", "jest-junit.xml", "gotestsum.xml"):
        args += ["--tests", str(data / name)]
    by_id = rows(trace_json(run, shop, *args))
    assert by_id["REQ-006"]["verdict"] == "passed"  # Surefire classname.name + jest name
    assert [t["outcome"] for t in by_id["REQ-006"]["tests"]] == ["passed", "passed"]
    assert by_id["REQ-007"]["verdict"] == "failed"
    # jest-junit's property names REQ-003, which the pytest marker verifies as well
    assert {t["name"] for t in by_id["REQ-003"]["tests"]} == {
        "tests.test_shop.test_marked",
        "Checkout sends the receipt.Checkout sends the receipt",
    }


@pytest.mark.req("REQ-085")
def test_code_references_come_from_tracked_files_with_path_and_line(shop: Path, run: Run) -> None:
    data = trace_json(run, shop, "--code", "src")
    assert rows(data)["REQ-001"]["code"] == [{"path": "src/shop.py", "line": 1, "column": 15}]
    assert rows(data)["REQ-002"]["code"] == []  # src/untracked.py is not in Git
    assert data["unknown"]["code"] == [
        {"id": "REQ-404", "path": "src/shop.py", "line": 3, "column": 38}
    ]
    assert data["coverage"]["overall"]["implemented"] == 1
    outside = run(shop, "trace", "--code", str(shop.parent))
    assert outside.returncode == 2
    assert "outside the repository" in outside.stderr
    missing = run(shop, "trace", "--code", "nope")
    assert missing.returncode == 2
    assert "--code nope: not a folder" in missing.stderr


@pytest.mark.req("REQ-090")
def test_strict_exits_1_on_a_failed_rule_and_0_when_the_output_is_just_data(
    shop: Path, run: Run
) -> None:
    plain = run(shop, "trace", "--tests", "junit.xml")
    assert plain.returncode == 0
    strict = run(shop, "trace", "--tests", "junit.xml", "--strict")
    assert strict.returncode == 1
    assert "# Traceability matrix" in strict.stdout
    lines = strict.stderr.splitlines()
    assert "reqs/REQ-002.yaml:" in strict.stderr
    assert any(
        "RK701 coverage rule 'shipped-verified'" in line and "REQ-004" not in line for line in lines
    )
    line = case_line(shop / "junit.xml", "test_typo")
    assert (
        f"junit.xml:{line}:1: error RK702 test tests.test_shop.test_typo names unknown requirement 'REQ-999'"
        in lines
    )


@pytest.mark.req("REQ-090")
def test_strict_passes_when_every_rule_is_met(make: MakeRepo, run: Run, tmp_path: Path) -> None:
    from conftest import run_pytest

    project = {k: v for k, v in files().items() if k in ("reqs/REQ-001.yaml", "reqs/REQ-005.yaml")}
    project["tests/test_shop.py"] = (
        "def test_ok():\n    pass\n\nclass TestCart:\n    def test_add(self):\n        pass\n"
    )
    repo = make(tmp_path / "repo", project, CONFIG)
    assert run_pytest(repo, "--junitxml=junit.xml", "tests").returncode == 0
    result = run(repo, "trace", "--tests", "junit.xml", "--strict")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    without = trace_json(run, repo, "--strict")  # no results: the rule is not judged
    assert without["rules"] == [
        {
            "name": "shipped-verified",
            "require": "verified",
            "where": {"status": ["released", "closed"]},
            "judged": False,
            "failing": [],
        }
    ]


@pytest.mark.req("REQ-086")
def test_markdown_csv_and_html_show_the_same_matrix_safely(
    shop: Path, run: Run, tmp_path: Path
) -> None:
    md = run(shop, "trace", "--tests", "junit.xml", "--format", "md").stdout
    assert "| **all** | 7 | 6 | 85.7 % | 2 | 28.6 % |" in md
    assert "\\<script\\>" in md and "<script>" not in md
    assert "## Released without a passing test (3)" in md
    table = list(
        csv.DictReader(
            io.StringIO(run(shop, "trace", "--tests", "junit.xml", "--format", "csv").stdout)
        )
    )
    assert [r["id"] for r in table] == [f"REQ-00{i}" for i in range(1, 8)]
    assert table[1]["tests"] == "tests/test_shop.py::test_param (failed)"
    assert table[1]["verdict"] == "failed"
    out = tmp_path / "matrix.html"
    result = run(shop, "trace", "--tests", "junit.xml", "--format", "html", "-o", str(out))
    assert result.returncode == 0 and result.stdout == ""
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page
    assert "Shop feature 1 &lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<td id="REQ-002">REQ-002</td>' in page


@pytest.mark.req("REQ-086")
def test_csv_cells_cannot_become_spreadsheet_formulas(
    make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    text = files()["reqs/REQ-005.yaml"].replace("title: Shop feature 5", "title: =HYPERLINK(1)")
    repo = make(tmp_path / "repo", {"reqs/REQ-005.yaml": text}, CONFIG)
    (row,) = csv.DictReader(io.StringIO(run(repo, "trace", "--format", "csv").stdout))
    assert row["title"].startswith("'=HYPERLINK(1)")


ROW_KEYS = {
    "id", "title", "type", "status", "priority", "path", "parents", "children", "tests",
    "code", "last_change", "traced", "verified", "verdict",
}  # fmt: skip
TALLY_KEYS = {"requirements", "traced", "verified", "implemented", "traced_pct", "verified_pct"}


@pytest.mark.req("REQ-092")
def test_the_json_shape_is_pinned(shop: Path, run: Run, data: Path) -> None:
    out = trace_json(run, shop, "--tests", "junit.xml", "--code", "src")
    assert set(out) == {
        "version", "requirements", "coverage", "uncovered", "released_without_passing_test",
        "unknown", "rules", "thresholds", "findings", "inputs", "ok",
    }  # fmt: skip
    assert out["version"] == 1
    assert out["ok"] is False
    for row in out["requirements"]:
        assert set(row) == ROW_KEYS
        for test in row["tests"]:
            assert set(test) == {"name", "via", "outcome", "cases", "message"}
            assert test["outcome"] in ("passed", "failed", "skipped", "error", "not run")
        for ref in row["code"]:
            assert set(ref) == {"path", "line", "column"}
    assert set(out["coverage"]) == {"overall", "by_type", "by_status"}
    assert set(out["coverage"]["overall"]) == TALLY_KEYS
    assert set(out["unknown"]) == {"tests", "code"}
    assert set(out["inputs"]) == {"tests", "test_cases", "code", "code_refs"}
    for finding in out["findings"]:
        assert set(finding) == {
            "path",
            "line",
            "column",
            "severity",
            "code",
            "message",
            "requirement",
        }
    assert [f["code"] for f in out["findings"]] == ["RK702", "RK701", "RK701", "RK701", "RK703"]


@pytest.mark.req("REQ-093")
def test_last_change_is_the_last_commit_of_each_requirement(
    shop: Path, run: Run, tmp_path: Path
) -> None:
    repo = tmp_path / "copy"
    shutil.copytree(shop, repo, symlinks=True)
    path = repo / "reqs" / "REQ-003.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: testing", "status: released"),
        encoding="utf-8",
    )
    commit_all(repo, "2024-06-01T09:30:00+00:00")
    by_id = rows(trace_json(run, repo))
    assert by_id["REQ-003"]["last_change"]["date"].startswith("2024-06-01T09:30:00")
    assert by_id["REQ-001"]["last_change"]["date"].startswith("2024-05-06T10:00:00")
    assert len(by_id["REQ-001"]["last_change"]["commit"]) == 40
    outside = tmp_path / "plain"
    shutil.copytree(shop / "reqs", outside / "reqs")
    (outside / "reqkit.toml").write_text(CONFIG, encoding="utf-8")
    assert all(r["last_change"] is None for r in trace_json(run, outside)["requirements"])


@pytest.mark.req("REQ-094")
def test_the_python_api_returns_the_matrix(shop: Path) -> None:
    import reqkit

    matrix = reqkit.trace(shop, tests=[shop / "junit.xml"])
    assert isinstance(matrix, reqkit.TraceMatrix)
    assert matrix.overall.verified == 2
    assert matrix.uncovered == ["REQ-005"]
    assert matrix.as_dict()["coverage"]["overall"]["traced"] == 6


@pytest.mark.req("REQ-087")
def test_a_large_tree_read_on_every_core_gives_the_same_rows(
    make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    project = {
        f"reqs/REQ-{n:04d}.yaml": (
            f"id: REQ-{n:04d}\ntitle: Feature {n}\ntype: functional\nstatus: testing\n"
            f"description: When asked, reqkit shall answer {n}.\n"
            + (f"links:\n  parent: [REQ-{n // 2:04d}]\n" if n > 1 else "")
            + f"verified_by: [tests/test_big.py::test_{n % 3}]\n"
        )
        for n in range(1, 2101)  # above the size where reading goes parallel
    }
    project["junit.xml"] = (
        '<testsuite><testcase classname="tests.test_big" name="test_0"/>'
        '<testcase classname="tests.test_big" name="test_1"><failure message="no"/></testcase>'
        "</testsuite>"
    )
    repo = make(tmp_path / "repo", project, 'ids = ["REQ-{seq:04}"]\n', git=False)
    data = trace_json(run, repo, "--tests", "junit.xml")
    by_id = rows(data)
    assert len(by_id) == 2100
    assert [by_id[f"REQ-{n:04d}"]["verdict"] for n in (3, 4, 5)] == ["passed", "failed", "not run"]
    assert by_id["REQ-0004"]["children"] == ["REQ-0008", "REQ-0009"]
    assert data["coverage"]["overall"]["verified"] == 700


@pytest.mark.req("REQ-093")
def test_a_shallow_clone_traces_with_an_empty_last_change(
    shop: Path, run: Run, tmp_path: Path
) -> None:
    source = tmp_path / "source"
    shutil.copytree(shop, source, symlinks=True)
    path = source / "reqs" / "REQ-005.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "tags: [later]\n", encoding="utf-8")
    commit_all(source, "2024-07-01T08:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", source.as_uri(), str(clone)], check=True)
    data = trace_json(run, clone)
    assert len(data["requirements"]) == 7
    assert all(r["last_change"] is None for r in data["requirements"])


@pytest.mark.req("REQ-087")
def test_the_trace_cache_never_answers_from_a_stale_entry(
    make: MakeRepo, run: Run, tmp_path: Path, age_files_fn: Callable[..., None]
) -> None:
    repo = make(tmp_path / "repo", files(), CONFIG)
    age_files_fn(repo)  # old enough for the cache to trust their stat
    first = rows(trace_json(run, repo))
    assert first["REQ-003"]["status"] == "testing"
    path = repo / "reqs" / "REQ-003.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: testing", "status: released"),
        encoding="utf-8",
    )
    assert rows(trace_json(run, repo))["REQ-003"]["status"] == "released"
    age_files_fn(repo)  # even with an old mtime put back, ctime tells
    path.write_text(
        path.read_text(encoding="utf-8").replace("status: released", "status: closed!"),
        encoding="utf-8",
    )
    age_files_fn(repo)
    assert rows(trace_json(run, repo))["REQ-003"]["status"] == "closed!"
    assert rows(trace_json(run, repo, "--no-cache"))["REQ-003"]["status"] == "closed!"
