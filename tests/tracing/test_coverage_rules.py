"""Coverage rules in the config, enforced by `check --tests/--code` as located diagnostics."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from shop_project import files, requirement

Run = Callable[..., subprocess.CompletedProcess[str]]
MakeRepo = Callable[..., Path]
CONFIG = 'ids = ["REQ-{seq:03}"]\n'

JUNIT = """<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="pytest">
    <testcase classname="tests.test_shop" name="test_ok" time="0.001"/>
    <testcase classname="tests.test_shop.TestCart" name="test_add" time="0.001"/>
    <testcase classname="tests.test_shop" name="test_param[1]"/>
    <testcase classname="tests.test_shop" name="test_param[2]">
      <failure message="AssertionError: two is not one">boom</failure>
    </testcase>
    <testcase classname="tests.test_shop" name="test_typo">
      <properties><property name="requirement" value="REQ-999"/></properties>
    </testcase>
  </testsuite>
</testsuites>
"""


def _repo(make: MakeRepo, base: Path, config: str = CONFIG, git: bool = True) -> Path:
    project = files()
    project["junit.xml"] = JUNIT
    repo = make(base / "repo", project, config, git=git)
    if git:
        subprocess.run(["git", "add", "-A"], cwd=repo, check=True)  # tracked, not committed
    return repo


def _check(run: Run, repo: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run(repo, "check", "--no-cache", "--format", "json", *args)
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)["diagnostics"]


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


@pytest.mark.req("REQ-091")
def test_check_reports_each_failed_rule_and_unknown_id_where_it_is(
    make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    repo = _repo(make, tmp_path)
    plain, found = _check(run, repo)
    assert plain == 0 and found == []  # without --tests/--code: no coverage, no history
    code, found = _check(run, repo, "--tests", "junit.xml", "--code", "src")
    assert code == 1
    where = [(d["path"], d["line"], d["column"], d["code"], d["requirement"]) for d in found]
    assert where == [
        ("junit.xml", _line_of(repo / "junit.xml", "test_typo"), 1, "RK702", None),
        (
            "reqs/REQ-002.yaml",
            _line_of(repo / "reqs/REQ-002.yaml", "verified_by"),
            1,
            "RK701",
            "REQ-002",
        ),
        (
            "reqs/REQ-004.yaml",
            _line_of(repo / "reqs/REQ-004.yaml", "verified_by"),
            1,
            "RK701",
            "REQ-004",
        ),
        (
            "reqs/REQ-006.yaml",
            _line_of(repo / "reqs/REQ-006.yaml", "verified_by"),
            1,
            "RK701",
            "REQ-006",
        ),
        ("src/shop.py", 3, 38, "RK703", None),
    ]
    messages = {d["requirement"]: d["message"] for d in found if d["requirement"]}
    assert messages["REQ-002"] == (
        "coverage rule 'shipped-verified' requires it verified: "
        "tests/test_shop.py::test_param failed (AssertionError: two is not one)"
    )
    assert "tests/test_shop.py::test_renamed_away not run" in messages["REQ-004"]


@pytest.mark.req("REQ-089", "REQ-091")
def test_configured_rules_filters_and_severities(make: MakeRepo, run: Run, tmp_path: Path) -> None:
    config = CONFIG + (
        '[rules]\nRK703 = "warning"\ntest-names-unknown-requirement = "off"\n\n'
        '[[coverage.rules]]\nname = "musts-pass"\npriority = ["must"]\nrequire = "verified"\n\n'
        '[[coverage.rules]]\nname = "features-coded"\ntype = "functional"\nstatus = ["released"]\n'
        'require = "implemented"\n'
    )
    repo = _repo(make, tmp_path, config)
    _, found = _check(run, repo, "--tests", "junit.xml")
    # musts: REQ-002 failed, REQ-004 not run, REQ-007 not run; no --code: not judged
    assert [(d["code"], d["requirement"]) for d in found] == [
        ("RK701", "REQ-002"),
        ("RK701", "REQ-004"),
        ("RK701", "REQ-007"),
    ]
    code, found = _check(run, repo, "--code", "src")
    implemented = {d["requirement"] for d in found if d["code"] == "RK701"}
    assert implemented == {"REQ-002", "REQ-004", "REQ-006"}  # REQ-001 has its comment
    assert [d["severity"] for d in found if d["code"] == "RK703"] == ["warning"]
    assert code == 1


@pytest.mark.req("REQ-089")
def test_minimum_shares_fail_at_the_config_file(make: MakeRepo, run: Run, tmp_path: Path) -> None:
    config = CONFIG + "[coverage]\nmin_traced = 70\nmin_verified = 50\nrules = []\n"
    repo = _repo(make, tmp_path, config)
    result = run(repo, "trace", "--tests", "junit.xml", "--strict", "--format", "json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["rules"] == []
    assert [(t["name"], t["actual"], t["ok"]) for t in data["thresholds"]] == [
        ("min_traced", 71.4, True),
        ("min_verified", 14.3, False),
    ]
    assert (
        "reqkit.toml:1:1: error RK704 verified coverage 14.3% is below coverage.min_verified = 50%"
        in result.stderr
    )


@pytest.mark.req("REQ-089")
@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('coverage = "all"', "config key 'coverage' in reqkit.toml: expected a table"),
        ("[coverage]\nminimum = 3", "config key 'coverage.minimum' in reqkit.toml: unknown key"),
        (
            "[coverage]\nmin_traced = 120",
            "'coverage.min_traced' in reqkit.toml: expected a percentage",
        ),
        (
            '[[coverage.rules]]\nrequire = "tested"',
            "'coverage.rules[1].require' in reqkit.toml: expected traced, verified or implemented",
        ),
        (
            '[[coverage.rules]]\nrequire = "traced"\nstatus = ["shipped"]',
            "'coverage.rules[1].status' in reqkit.toml: 'shipped' is not a declared state",
        ),
        (
            '[[coverage.rules]]\nrequire = "traced"\nowner = ["me"]',
            "'coverage.rules[1].owner' in reqkit.toml: unknown key",
        ),
        (
            '[[coverage.rules]]\nrequire = "traced"\npriority = ["high"]',
            "'coverage.rules[1].priority': 'high' is not a priority",
        ),
        (
            '[[coverage.rules]]\nrequire = "traced"\ntags = []',
            "'coverage.rules[1].tags' in reqkit.toml: expected a list of values",
        ),
        ('[trace]\nkeyword = ""', "config key 'trace.keyword' in reqkit.toml"),
        (
            '[trace]\npattern = "(unclosed"',
            "config key 'trace.pattern' in reqkit.toml: not a valid regular expression",
        ),
        (
            '[trace]\npattern = "x*"',
            "config key 'trace.pattern' in reqkit.toml: expected a regular expression that matches text",
        ),
    ],
    ids=lambda v: v if len(v) < 30 else None,
)
def test_a_bad_coverage_config_is_exit_2_naming_the_key(
    config: str, message: str, make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    repo = _repo(make, tmp_path, CONFIG + config + "\n")
    result = run(repo, "trace", "--tests", "junit.xml")
    assert result.returncode == 2
    assert message in result.stderr, result.stderr
    checked = run(repo, "check", "--tests", "junit.xml")
    assert checked.returncode == 2
    assert message in checked.stderr


@pytest.mark.req("REQ-085")
def test_keyword_and_pattern_are_configurable_and_work_outside_git(
    make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    source = (
        "// Satisfies: REQ-001, REQ-003\n"
        "// Implements: REQ-002\n"
        "/* @covers REQ-005 */ // Satisfies: the spec, not an ID\n"
    )
    project = {
        f"reqs/REQ-00{i}.yaml": requirement(f"REQ-00{i}", "testing", "must", "functional", "", [])
        for i in (1, 2, 3, 5)
    }
    project["lib/cart.js"] = source
    project["lib/.hidden/skip.js"] = "// Satisfies: REQ-002\n"
    repo = make(tmp_path / "repo", project, CONFIG + '[trace]\nkeyword = "Satisfies"\n', git=False)
    out = json.loads(run(repo, "trace", "--code", "lib", "--format", "json").stdout)
    refs = {r["id"]: r["code"] for r in out["requirements"] if r["code"]}
    assert refs == {
        "REQ-001": [{"path": "lib/cart.js", "line": 1, "column": 15}],
        "REQ-003": [{"path": "lib/cart.js", "line": 1, "column": 24}],
    }
    assert out["unknown"]["code"] == []  # prose after the keyword is not an ID
    (repo / "reqkit.toml").write_text(
        CONFIG + '[trace]\npattern = "@covers\\\\s+"\n', encoding="utf-8"
    )
    out = json.loads(run(repo, "trace", "--code", "lib", "--format", "json").stdout)
    assert {r["id"] for r in out["requirements"] if r["code"]} == {"REQ-005"}
