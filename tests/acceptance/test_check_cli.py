"""The contract of `reqkit check` (spec/cli.md), through the installed command.

Every test writes real files into a real Git repository (or a plain folder where the test
is about life outside Git) and runs the `reqkit` executable as a subprocess. The helper
behind `run` asserts that no Python traceback ever reaches stderr.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., subprocess.CompletedProcess[str]]
RunMany = Callable[..., list[subprocess.CompletedProcess[str]]]
MakeRepo = Callable[..., Path]

VALID = """\
id: 202405-001
title: Batch export on the report page
type: functional
status: analysis
description: Customers want to export the selected reports in one step.
"""


def req(rid: str = "202405-001", extra: str = "", **replace: str) -> str:
    text = VALID.replace("202405-001", rid)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text + extra


TEXT_LINE = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning) "
    r"(?P<code>RK\d{3}) (?P<message>.+)$"
)
SUMMARY_LINE = re.compile(r"^\d+ files?, \d+ requirements?: \d+ errors?, \d+ warnings?$")
GITHUB_LINE = re.compile(
    r"^::(?P<severity>error|warning) file=(?P<path>[^,]+),line=(?P<line>\d+),"
    r"col=(?P<column>\d+),title=(?P<code>RK\d{3})::(?P<message>.+)$"
)


def as_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def tuples(doc: dict[str, Any]) -> set[tuple[str, int, int, str]]:
    return {(d["path"], d["line"], d["column"], d["code"]) for d in doc["diagnostics"]}


def one_line_reason(result: subprocess.CompletedProcess[str]) -> str:
    """Exit 2 with a one-line reason on stderr, nothing on stdout."""
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.endswith("\n") and result.stderr.count("\n") == 1, result.stderr
    return result.stderr


# ---- scenarios: one repository and one run each, all run side by side up front --------


@dataclass(frozen=True)
class Scenario:
    files: dict[str, str | bytes]
    config: str | None = ""
    args: tuple[str, ...] = ("check", "--format", "json")
    cwd: str = "."  # relative to the repository


SCENARIOS: dict[str, Scenario] = {}


def scenario(
    name: str,
    files: dict[str, str | bytes],
    config: str | None = "",
    args: tuple[str, ...] = ("check", "--format", "json"),
    cwd: str = ".",
) -> str:
    """Declare a repository and the one command run in it; the test reads `ran[name]`."""
    assert name not in SCENARIOS, name
    SCENARIOS[name] = Scenario(files, config, args, cwd)
    return name


@pytest.fixture(scope="module")
def ran(
    tmp_path_factory: pytest.TempPathFactory, make_repo_fn: MakeRepo, run_reqkit_fn: Run
) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every declared scenario, each in its own Git repository, a few runs at a time."""
    base = tmp_path_factory.mktemp("scenarios")
    repos = {
        name: make_repo_fn(base / name, spec.files, spec.config) for name, spec in SCENARIOS.items()
    }

    def one(name: str) -> subprocess.CompletedProcess[str]:
        spec = SCENARIOS[name]
        return run_reqkit_fn(repos[name], *spec.args, cwd=repos[name] / spec.cwd)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(SCENARIOS, pool.map(one, SCENARIOS), strict=True))


# ---- a repository with many problems in many files, shared by the output tests --------

MIXED = {
    "reqs/202405-001.yaml": VALID
    + "links:\n  conflicts_with: [202405-002]\n  parent: [202404-999]\n",
    "reqs/202405-002.yaml": req("202405-002"),
    "reqs/checkout/202405-003.yaml": req("202405-003", "tags: [export, reports\n"),
    "reqs/checkout/202405-004.yaml": req("202405-004", "status: review\n"),
    "reqs/202405-005.yaml": req(
        "202405-005", "release: 1.10\n", **{"type: functional": "type: functionl"}
    ),
    "reqs/202405-006.yaml": req("202405-006", "links:\n  parent: [202405-005]\n"),
    "reqs/202405-007.yaml": req("202405-070"),
    "README.md": "# Requirements\n",
}
MIXED_EXPECTED = {
    ("reqs/202405-001.yaml", 7, 20, "RK314"),
    ("reqs/202405-001.yaml", 8, 12, "RK311"),
    ("reqs/202405-005.yaml", 3, 7, "RK103"),
    ("reqs/202405-005.yaml", 6, 10, "RK106"),
    ("reqs/202405-007.yaml", 1, 5, "RK301"),
    ("reqs/checkout/202405-003.yaml", 7, 1, "RK001"),
    ("reqs/checkout/202405-004.yaml", 6, 1, "RK003"),
}


@pytest.fixture(scope="module")
def mixed(
    tmp_path_factory: pytest.TempPathFactory,
    make_repo_fn: MakeRepo,
    age_files_fn: Callable[..., None],
) -> Path:
    """Read-only; aged so that runs after the first (cold) one take the warm path."""
    repo = make_repo_fn(tmp_path_factory.mktemp("mixed") / "repo", MIXED)
    age_files_fn(repo)
    return repo


@pytest.fixture(scope="module")
def mixed_json(mixed: Path, run_reqkit_fn: Run) -> dict[str, Any]:
    result = run_reqkit_fn(mixed, "check", "--format", "json")
    assert result.returncode == 1
    return json.loads(result.stdout)


# ---- exit codes ------------------------------------------------------------------------


CLEAN = scenario("clean", {"reqs/202405-001.yaml": VALID}, args=("check",))


def test_clean_repository_exits_0(ran: dict[str, subprocess.CompletedProcess[str]]) -> None:
    result = ran[CLEAN]
    assert result.returncode == 0
    assert result.stdout == "1 file, 1 requirement: 0 errors, 0 warnings\n"
    assert result.stderr == ""


def test_errors_exit_1(mixed: Path, run: Run) -> None:
    result = run(mixed, "check")
    assert result.returncode == 1
    assert result.stderr == ""


@pytest.fixture(scope="module")
def warn_only(
    tmp_path_factory: pytest.TempPathFactory,
    make_repo_fn: MakeRepo,
    age_files_fn: Callable[..., None],
) -> Path:
    files = {
        "reqs/202405-001.yaml": VALID + "links:\n  conflicts_with: [202405-002]\n",
        "reqs/202405-002.yaml": req("202405-002"),
    }
    repo = make_repo_fn(tmp_path_factory.mktemp("warn") / "repo", files)
    age_files_fn(repo)
    return repo


def test_warnings_alone_exit_0(warn_only: Path, run: Run) -> None:
    result = run(warn_only, "check", "--format", "json")
    doc = as_json(result)
    assert result.returncode == 0
    assert [d["severity"] for d in doc["diagnostics"]] == ["warning"]
    assert doc["summary"]["warnings"] == 1 and doc["summary"]["errors"] == 0


def test_strict_makes_warnings_exit_1(warn_only: Path, run: Run) -> None:
    assert run(warn_only, "check", "--strict").returncode == 1


CLEAN_STRICT = scenario("clean-strict", {"reqs/202405-001.yaml": VALID}, args=("check", "--strict"))


def test_strict_on_a_clean_repository_exits_0(ran: dict[str, Any]) -> None:
    assert ran[CLEAN_STRICT].returncode == 0


NO_CONFIG = scenario("no-config", {"reqs/202405-001.yaml": VALID}, config=None, args=("check",))


def test_no_config_anywhere_exits_2_and_suggests_init(
    ran: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    if any((p / "reqkit.toml").exists() for p in tmp_path_factory.getbasetemp().parents):
        pytest.skip("a reqkit.toml above the temporary folder")  # pragma: no cover
    assert "reqkit init" in one_line_reason(ran[NO_CONFIG])


BAD_CONFIGS = {
    "top-level-typo": ('requirement = "reqs"\n', "'requirement'"),
    "nested-typo": ('[states.analysis]\nnxt = ["review"]\n', "states.analysis.nxt"),
    "bad-value": ('max_file_size = "huge"\n', "max_file_size"),
    "custom-field-shadows-built-in": ('[fields]\nstatus = {type = "string"}\n', "fields.status"),
    "not-toml": ("ids = [\n", "reqkit.toml"),
    "unknown-rule": ('[rules]\nRK999 = "off"\n', "RK999"),
    "missing-requirements-folder": ('requirements = "specs"\n', "specs"),
}
for _name, (_config, _) in BAD_CONFIGS.items():
    scenario(f"config-{_name}", {"reqs/202405-001.yaml": VALID}, _config, ("check",))


@pytest.mark.parametrize("name", BAD_CONFIGS)
def test_bad_config_exits_2_naming_the_key(ran: dict[str, Any], name: str) -> None:
    assert BAD_CONFIGS[name][1] in one_line_reason(ran[f"config-{name}"])


SAFETY = [
    ("RK001", "off"),
    ("RK002", "warning"),
    ("RK003", "off"),
    ("duplicate-key", "warning"),
    ("RK004", "off"),
    ("RK005", "warning"),
    ("RK006", "off"),
]
for _key, _severity in SAFETY:
    scenario(
        f"safety-{_key}",
        {"reqs/202405-001.yaml": VALID + "status: review\n"},
        f'[rules]\n{_key} = "{_severity}"\n',
        ("check",),
    )


@pytest.mark.parametrize(("key", "severity"), SAFETY)
def test_yaml_safety_rules_cannot_be_turned_down(
    ran: dict[str, Any], key: str, severity: str
) -> None:
    assert f"rules.{key}" in one_line_reason(ran[f"safety-{key}"])


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("check", "--format", "xml"), "xml"),
        (("check", "--no-such-option"), "--no-such-option"),
        (("--root", "no/such/folder", "check"), "no/such/folder"),
        (("no-such-command",), "no-such-command"),
    ],
    ids=["bad-format", "bad-option", "missing-root", "bad-command"],
)
def test_bad_usage_exits_2(mixed: Path, run: Run, args: tuple[str, ...], named: str) -> None:
    result = run(mixed, *args)
    assert result.returncode == 2
    assert named in result.stderr
    assert result.stdout == ""


# ---- every problem in one run ----------------------------------------------------------


def test_every_problem_in_every_file_is_reported_in_one_run(mixed_json: dict[str, Any]) -> None:
    assert tuples(mixed_json) == MIXED_EXPECTED
    assert mixed_json["summary"] == {"files": 7, "requirements": 7, "errors": 6, "warnings": 1}


def test_a_link_to_a_file_with_schema_errors_still_resolves(mixed_json: dict[str, Any]) -> None:
    assert not [d for d in mixed_json["diagnostics"] if d["path"] == "reqs/202405-006.yaml"]


# ---- output formats --------------------------------------------------------------------


def test_text_format_is_one_line_per_problem_then_a_summary(
    mixed: Path, mixed_json: dict[str, Any], run: Run
) -> None:
    result = run(mixed, "check", "--format", "text")
    assert result.returncode == 1
    *lines, summary = result.stdout.splitlines()
    assert result.stdout.endswith("\n")
    assert summary == "7 files, 7 requirements: 6 errors, 1 warning"
    assert SUMMARY_LINE.match(summary)
    parsed = []
    for line in lines:
        m = TEXT_LINE.match(line)
        assert m, line
        parsed.append(
            {
                **m.groupdict(),
                "line": int(m["line"]),
                "column": int(m["column"]),
            }
        )
    want = [
        {k: d[k] for k in ("path", "line", "column", "severity", "code", "message")}
        for d in mixed_json["diagnostics"]
    ]
    assert parsed == want


def test_text_format_is_the_default(mixed: Path, run: Run) -> None:
    assert run(mixed, "check").stdout == run(mixed, "check", "--format", "text").stdout


def test_json_format_has_exactly_the_documented_shape(mixed_json: dict[str, Any]) -> None:
    assert set(mixed_json) == {"diagnostics", "summary"}
    assert set(mixed_json["summary"]) == {"files", "requirements", "errors", "warnings"}
    assert all(type(v) is int for v in mixed_json["summary"].values())
    for d in mixed_json["diagnostics"]:
        assert set(d) == {
            "path",
            "line",
            "column",
            "severity",
            "code",
            "message",
            "requirement",
        }
        assert isinstance(d["path"], str) and "\\" not in d["path"]
        assert type(d["line"]) is int and d["line"] >= 1
        assert type(d["column"]) is int and d["column"] >= 1
        assert d["severity"] in ("error", "warning")
        assert re.fullmatch(r"RK\d{3}", d["code"])
        assert isinstance(d["message"], str) and d["message"]
        assert d["requirement"] is None or isinstance(d["requirement"], str)
    by_path = {d["path"]: d["requirement"] for d in mixed_json["diagnostics"]}
    assert by_path["reqs/202405-001.yaml"] == "202405-001"
    assert by_path["reqs/checkout/202405-003.yaml"] is None  # nothing could be read
    summary = mixed_json["summary"]
    severities = [d["severity"] for d in mixed_json["diagnostics"]]
    assert summary["errors"] == severities.count("error")
    assert summary["warnings"] == severities.count("warning")


def test_github_format_annotates_errors_and_warnings(
    mixed: Path, mixed_json: dict[str, Any], run: Run
) -> None:
    result = run(mixed, "check", "--format", "github")
    assert result.returncode == 1
    annotations = [GITHUB_LINE.match(line) for line in result.stdout.splitlines()]
    found = [m.groupdict() for m in annotations if m]
    assert len(found) == len(mixed_json["diagnostics"])
    assert {(m["path"], int(m["line"]), int(m["column"]), m["code"]) for m in found} == (
        MIXED_EXPECTED
    )
    assert {m["severity"] for m in found} == {"error", "warning"}
    assert (
        "::warning file=reqs/202405-001.yaml,line=7,col=20,title=RK314::"
        "conflicts_with 202405-002, but 202405-002 does not list 202405-001"
    ) in result.stdout.splitlines()
    assert [line for line in result.stdout.splitlines() if line.startswith("::error ")]


# a folder with a comma, and an unknown key holding "%" and a line break
GITHUB_ESCAPES = scenario(
    "github-escapes",
    {"reqs/a,b/202405-001.yaml": VALID + '"100%\\nsure": yes\n'},
    args=("check", "--format", "github"),
)


def test_github_format_escapes_data_and_properties(ran: dict[str, Any]) -> None:
    (line,) = [x for x in ran[GITHUB_ESCAPES].stdout.splitlines() if x.startswith("::")]
    assert line.startswith("::error file=reqs/a%2Cb/202405-001.yaml,line=6,col=1,title=RK104::")
    assert "100%25%0Asure" in line


def test_sarif_format_is_sarif_2_1_0_with_rules_and_locations(
    mixed: Path, mixed_json: dict[str, Any], run: Run
) -> None:
    from reqkit.checks.registry import load_all

    result = run(mixed, "check", "--format", "sarif")
    assert result.returncode == 1
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    assert "sarif" in sarif["$schema"] and "2.1.0" in sarif["$schema"]
    (run_,) = sarif["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    driver = run_["tool"]["driver"]
    assert driver["name"] == "reqkit"
    rules = driver["rules"]
    assert {r["id"] for r in rules} == set(load_all())
    for rule in rules:
        assert rule["shortDescription"]["text"]
        assert "## Why is this bad?" in rule["help"]["text"]
        assert "Use instead:" in rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    results = run_["results"]
    assert len(results) == len(mixed_json["diagnostics"])
    seen = set()
    for res, diag in zip(results, mixed_json["diagnostics"], strict=True):
        assert res["ruleId"] == diag["code"]
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] == diag["severity"]
        assert res["message"]["text"] == diag["message"]
        (location,) = res["locations"]
        physical = location["physicalLocation"]
        region = physical["region"]
        seen.add(
            (
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                res["ruleId"],
            )
        )
    assert seen == MIXED_EXPECTED


LINE_BREAK = scenario(
    "line-break", {"reqs/202405-001.yaml": VALID + '"stat\\nus": review\n'}, args=("check",)
)


def test_text_format_keeps_a_message_with_a_line_break_on_one_line(ran: dict[str, Any]) -> None:
    lines = ran[LINE_BREAK].stdout.splitlines()
    assert len(lines) == 2
    assert TEXT_LINE.match(lines[0]) and lines[0].startswith(
        "reqs/202405-001.yaml:6:1: error RK104"
    )


ESCAPE = scenario("escape", {"reqs/202405-001.yaml": VALID + '"\\e[31mred": x\n'}, args=("check",))


def test_text_format_with_no_color_never_emits_escapes_from_file_content(
    ran: dict[str, Any],
) -> None:
    result = ran[ESCAPE]
    assert result.returncode == 1 and "RK104" in result.stdout
    assert "\x1b" not in result.stdout


SARIF_SPACE = scenario(
    "sarif-space",
    {"reqs/my area/202405-001.yaml": req(**{"type: functional": "type: functionl"})},
    args=("check", "--format", "sarif"),
)


def test_sarif_uri_is_a_valid_uri_reference(ran: dict[str, Any]) -> None:
    path = "reqs/my area/202405-001.yaml"
    sarif = json.loads(ran[SARIF_SPACE].stdout)
    (res,) = sarif["runs"][0]["results"]
    uri = res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert urllib.parse.unquote(uri) == path
    assert " " not in uri


# ---- where paths are relative to -------------------------------------------------------

MONO = "proj/reqs/sub/202405-001.yaml"


@pytest.fixture(scope="module")
def monorepo(
    tmp_path_factory: pytest.TempPathFactory,
    make_repo_fn: MakeRepo,
    age_files_fn: Callable[..., None],
) -> Path:
    """A Git repository whose requirements project lives in a sub-folder."""
    top = make_repo_fn(tmp_path_factory.mktemp("mono") / "repo", {}, config=None)
    make_repo_fn(top / "proj", {"reqs/sub/202405-001.yaml": req("202405-002")}, git=False)
    age_files_fn(top)
    return top


@pytest.mark.parametrize(
    ("where", "args"),
    [
        ("proj", ()),
        ("proj/reqs/sub", ()),
        (".", ("--root", "proj")),
    ],
    ids=["config-folder", "nested-subfolder", "git-top-with-root"],
)
def test_paths_are_relative_to_the_git_work_tree_in_a_monorepo(
    monorepo: Path, run: Run, where: str, args: tuple[str, ...]
) -> None:
    doc = as_json(run(monorepo, *args, "check", "--format", "json", cwd=monorepo / where))
    assert tuples(doc) == {(MONO, 1, 5, "RK301")}


def test_every_format_uses_the_work_tree_relative_path_in_a_monorepo(
    monorepo: Path, run_many: RunMany
) -> None:
    text, github, sarif_run = run_many(
        monorepo,
        [("check",), ("check", "--format", "github"), ("check", "--format", "sarif")],
        cwd=monorepo / "proj",
    )
    assert text.stdout.startswith(f"{MONO}:1:5: error RK301 ")
    assert f"::error file={MONO},line=1,col=5,title=RK301::" in github.stdout
    sarif = json.loads(sarif_run.stdout)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == MONO


def test_check_path_in_a_monorepo(monorepo: Path, run: Run) -> None:
    doc = as_json(
        run(
            monorepo, "check", "--format", "json", "reqs/sub/202405-001.yaml", cwd=monorepo / "proj"
        )
    )
    assert tuples(doc) == {(MONO, 1, 5, "RK301")}
    assert doc["summary"]["files"] == 1


def test_paths_are_relative_to_the_config_folder_outside_git(
    tmp_path: Path, make: MakeRepo, run: Run
) -> None:
    top = tmp_path / "plain"
    if any((p / ".git").exists() for p in (top, *top.parents)):  # pragma: no cover
        pytest.skip("the temporary folder is inside a Git work tree")
    make(top, {}, config=None, git=False)
    proj = make(top / "proj", {"reqs/sub/202405-001.yaml": req("202405-002")}, git=False)
    for cwd in (proj, proj / "reqs" / "sub"):
        doc = as_json(run(proj, "check", "--format", "json", cwd=cwd))
        assert tuples(doc) == {("reqs/sub/202405-001.yaml", 1, 5, "RK301")}


# ---- check PATH, --root, discovery, config files ---------------------------------------


def test_check_path_reports_only_that_file(mixed: Path, run: Run) -> None:
    doc = as_json(run(mixed, "check", "--format", "json", "reqs/202405-001.yaml"))
    assert tuples(doc) == {
        ("reqs/202405-001.yaml", 7, 20, "RK314"),
        ("reqs/202405-001.yaml", 8, 12, "RK311"),
    }
    assert doc["summary"]["files"] == 1


def test_check_path_still_resolves_links_against_the_whole_tree(mixed: Path, run: Run) -> None:
    # 202405-006's parent is 202405-005, a file that is not among the checked paths
    result = run(mixed, "check", "--format", "json", "reqs/202405-006.yaml")
    assert result.returncode == 0
    assert as_json(result)["diagnostics"] == []


def test_check_path_relative_to_the_current_folder(mixed: Path, run: Run) -> None:
    doc = as_json(run(mixed, "check", "--format", "json", "202405-005.yaml", cwd=mixed / "reqs"))
    assert tuples(doc) == {
        ("reqs/202405-005.yaml", 3, 7, "RK103"),
        ("reqs/202405-005.yaml", 6, 10, "RK106"),
    }


def test_check_ignores_paths_that_are_not_requirement_files(mixed: Path, run: Run) -> None:
    result = run(mixed, "check", "README.md", "reqkit.toml", "no/such/file.yaml")
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout == "0 files, 7 requirements: 0 errors, 0 warnings\n"
    mixed_paths = run(mixed, "check", "--format", "json", "README.md", "reqs/202405-007.yaml")
    assert tuples(as_json(mixed_paths)) == {("reqs/202405-007.yaml", 1, 5, "RK301")}


def test_check_path_through_a_symlinked_folder(tmp_path: Path, make: MakeRepo, run: Run) -> None:
    repo = make(tmp_path / "real", {"reqs/202405-001.yaml": req("202405-002")})
    (tmp_path / "link").symlink_to(repo)
    result = run(repo, "--root", "link", "check", "link/reqs/202405-001.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "RK301" in result.stdout


def test_check_folder_path_checks_the_files_under_it(mixed: Path, run: Run) -> None:
    result = run(mixed, "check", "reqs/checkout")
    assert result.returncode == 1
    assert "RK001" in result.stdout and "RK003" in result.stdout


def test_root_option_from_another_folder(mixed: Path, mixed_json: dict[str, Any], run: Run) -> None:
    elsewhere = mixed.parent
    absolute = run(mixed, "--root", str(mixed), "check", "--format", "json", cwd=elsewhere)
    assert as_json(absolute) == mixed_json
    relative = run(mixed, "--root", mixed.name, "check", "--format", "json", cwd=elsewhere)
    assert as_json(relative) == mixed_json


def test_root_is_found_upward_from_a_nested_folder(
    mixed: Path, mixed_json: dict[str, Any], run: Run
) -> None:
    result = run(mixed, "check", "--format", "json", cwd=mixed / "reqs" / "checkout")
    assert as_json(result) == mixed_json


PYPROJECT = '[project]\nname = "demo"\n\n[tool.reqkit]\nids = ["REQ-{seq:03}"]\n'
BOTH_IDS = {"reqs/REQ-001.yaml": req("REQ-001"), "reqs/202405-001.yaml": VALID}


PYPROJECT_ONLY = scenario(
    "pyproject-only", {**BOTH_IDS, "pyproject.toml": PYPROJECT}, config=None, cwd="reqs"
)
BOTH_CONFIGS = scenario("both-configs", {**BOTH_IDS, "pyproject.toml": PYPROJECT}, config="")
PYPROJECT_WITHOUT_TABLE = scenario(
    "pyproject-without-table",
    {**BOTH_IDS, "pyproject.toml": '[project]\nname = "x"\n'},
    config=None,
    args=("check",),
)


def test_tool_reqkit_in_pyproject_is_the_config(ran: dict[str, Any]) -> None:
    assert tuples(as_json(ran[PYPROJECT_ONLY])) == {("reqs/202405-001.yaml", 1, 5, "RK302")}


def test_reqkit_toml_wins_over_pyproject_in_one_folder(ran: dict[str, Any]) -> None:
    assert tuples(as_json(ran[BOTH_CONFIGS])) == {("reqs/REQ-001.yaml", 1, 5, "RK302")}


def test_pyproject_without_tool_reqkit_is_not_a_config(
    ran: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    if any((p / "reqkit.toml").exists() for p in tmp_path_factory.getbasetemp().parents):
        pytest.skip("a reqkit.toml above the temporary folder")  # pragma: no cover
    assert "reqkit init" in one_line_reason(ran[PYPROJECT_WITHOUT_TABLE])


YML = scenario("yml-extension", {"reqs/202405-001.yml": req(**{"type: functional": "type: bug_"})})


def test_yml_files_are_requirements_too(ran: dict[str, Any]) -> None:
    assert tuples(as_json(ran[YML])) == {("reqs/202405-001.yml", 3, 7, "RK103")}


# a name Git on Linux stores happily: the byte 0xff is not UTF-8
NON_UTF8_NAME = scenario(
    "non-utf8-name",
    {"reqs/202405-001.yaml": VALID, "reqs/" + os.fsdecode(b"\xff") + ".yaml": req("202405-002")},
)


def test_a_file_name_that_is_not_utf8_is_reported_not_a_crash(ran: dict[str, Any]) -> None:
    result = ran[NON_UTF8_NAME]
    assert result.returncode == 1
    assert result.stderr == ""
    assert json.loads(result.stdout)["diagnostics"]


# ---- version, colour -------------------------------------------------------------------


def test_version(tmp_path: Path, run: Run) -> None:
    version = importlib.metadata.version("git-reqkit")
    assert run(tmp_path, "--version").stdout == f"reqkit {version}\n"
    module = subprocess.run(
        [sys.executable, "-m", "reqkit", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert module.returncode == 0
    assert module.stdout == f"reqkit {version}\n"
    assert "Traceback" not in module.stderr


def test_no_color_gives_no_ansi_escapes(mixed: Path, run: Run, run_many: RunMany) -> None:
    # the control run shows the test would see escapes: colour forced, NO_COLOR unset
    forced = run(mixed, "check", env={"NO_COLOR": None, "FORCE_COLOR": "1"})
    assert "\x1b[" in forced.stdout
    plain = run(mixed, "check", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert plain.returncode == 1
    assert "\x1b" not in plain.stdout + plain.stderr
    assert plain.stdout == run(mixed, "check").stdout
    machine = run_many(  # machine formats are never coloured
        mixed,
        [("check", "--format", fmt) for fmt in ("json", "github", "sarif")],
        env={"NO_COLOR": None, "FORCE_COLOR": "1"},
    )
    for result in machine:
        assert result.returncode == 1
        assert "\x1b" not in result.stdout


def test_chinese_text_columns_are_counted_in_code_points(
    tmp_path: Path, make: MakeRepo, run_many: RunMany
) -> None:
    lines = [
        "id: 202405-001",
        "title: 报表页面批量导出",
        "type: functional",
        "status: analysis",
        "description: 客户希望一次导出多个报表。",
        "source: {detail: 客户甲电话, channel: 电话}",
        "tags: [报表, 𠮷野家, 1.5]",  # 𠮷 is outside the BMP: two UTF-16 units, one code point
    ]
    repo = make(tmp_path / "r", {"reqs/202405-001.yaml": "\n".join(lines) + "\n"})
    json_run, sarif_run = run_many(
        repo, [("check", "--format", "json"), ("check", "--format", "sarif")]
    )
    doc = as_json(json_run)
    channel = lines[5].index("电话}") + 1
    item = lines[6].index("1.5") + 1
    assert (channel, item) == (34, 17)
    assert tuples(doc) == {
        ("reqs/202405-001.yaml", 6, channel, "RK103"),
        ("reqs/202405-001.yaml", 7, item, "RK106"),
    }
    sarif = json.loads(sarif_run.stdout)
    columns = {
        r["locations"][0]["physicalLocation"]["region"]["startColumn"]
        for r in sarif["runs"][0]["results"]
    }
    assert columns == {channel, item}


NUMBER_IN_LIST = scenario("number-in-list", {"reqs/202405-001.yaml": VALID + "tags: [报表, 1.5]\n"})


def test_number_in_a_list_shows_the_quoted_fix_without_the_index(ran: dict[str, Any]) -> None:
    (diag,) = as_json(ran[NUMBER_IN_LIST])["diagnostics"]
    assert (diag["line"], diag["column"], diag["code"]) == (6, 12, "RK106")
    assert '"1.5"' in diag["message"]
    assert '1: "1.5"' not in diag["message"]


# ---- hostile and oversized files -------------------------------------------------------


@pytest.fixture(scope="module")
def passwd_lines() -> list[str]:
    try:
        text = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace")
    except OSError:  # pragma: no cover
        pytest.skip("no /etc/passwd here")
    found = [line for line in text.splitlines() if len(line) > 8]
    if not found:  # pragma: no cover
        pytest.skip("/etc/passwd is empty")
    return found


def test_symlink_outside_the_repository_is_reported_never_read(
    tmp_path: Path,
    make: MakeRepo,
    run: Run,
    run_many: RunMany,
    passwd_lines: list[str],
    age_files_fn: Callable[..., None],
) -> None:
    repo = make(
        tmp_path / "r",
        {"reqs/202405-001.yaml": VALID},
        symlinks={"reqs/202405-002.yaml": "/etc/passwd", "reqs/etc": "/etc"},
    )
    age_files_fn(repo)
    first = run(repo, "check", "--format", "json")  # cold; the others answer warm
    assert tuples(json.loads(first.stdout)) == {
        ("reqs/202405-002.yaml", 1, 1, "RK010"),
        ("reqs/etc", 1, 1, "RK010"),
    }
    more = [("check", "--format", fmt) for fmt in ("json", "text", "github", "sarif")]
    for result in [first, *run_many(repo, [*more, ("check", "reqs/202405-002.yaml")])]:
        assert result.returncode == 1
        output = result.stdout + result.stderr
        assert "RK010" in output and "reqs/202405-002.yaml" in output
        assert "root:x:" not in output
        for line in passwd_lines:
            assert line not in output


# the big file is not parsed: its `stauts:` typo is never reported
_BIG = req("202405-002", "stauts: review\nrationale: " + "长" * 400 + "\n")
_SMALL = VALID + "rationale: " + "x" * 700 + "\n"
OVER_1_KIB = scenario(
    "over-1-kib",
    {"reqs/202405-001.yaml": _SMALL, "reqs/202405-002.yaml": _BIG},
    'max_file_size = "1 KiB"\n',
)
_HUGE = VALID + "rationale: >\n" + ("  " + "x" * 98 + "\n") * 11_000
OVER_1_MIB = scenario("over-1-mib", {"reqs/202405-001.yaml": _HUGE})


def test_file_over_max_file_size_is_reported_not_parsed(ran: dict[str, Any]) -> None:
    assert len(_BIG.encode()) > 1024 > len(_SMALL.encode())
    doc = as_json(ran[OVER_1_KIB])
    assert tuples(doc) == {("reqs/202405-002.yaml", 1, 1, "RK009")}
    assert "1,024" in doc["diagnostics"][0]["message"]


def test_default_max_file_size_is_1_mib(ran: dict[str, Any]) -> None:
    assert len(_HUGE) > 1024 * 1024
    assert tuples(as_json(ran[OVER_1_MIB])) == {("reqs/202405-001.yaml", 1, 1, "RK009")}


HOSTILE: dict[str, str | bytes] = {
    "reqs/a/202405-001.yaml": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    ),
    "reqs/a/202405-002.yaml": "rationale: " + "[" * 3000 + "]" * 3000 + "\n",
    "reqs/a/202405-003.yaml": b"\x00\x01\x02binary\xff\xfe",
    "reqs/a/202405-004.yaml": b"id: 202405-004\ntitle: \xc3\x28 broken\n",
    "reqs/a/202405-005.yaml": "? [a, b]\n: c\n",
    "reqs/a/202405-006.yaml": "1: x\nnull: y\n~: z\n",
    "reqs/a/202405-007.yaml": "just a sentence\n",
    "reqs/a/202405-008.yaml": "...\n",
    "reqs/a/202405-009.yaml": "id: [a]\ntitle: {x: 1}\nlinks: 5\nstatus: 1.0\n",
    "reqs/a/202405-010.yaml": "\ufeff\ufeffid: 202405-010\n",
    "reqs/a/202405-011.yaml": "id: 202405-011\ntitle: " + "x" * 200_000 + "\n",
    "reqs/a/202405-012.yaml": "key: value\r\n\ttabbed: 1\r\n",
}


def test_hostile_files_give_diagnostics_never_a_traceback(
    tmp_path: Path, make: MakeRepo, run_many: RunMany
) -> None:
    repo = make(tmp_path / "r", HOSTILE)
    runs = run_many(repo, [("check", "--format", fmt) for fmt in ("text", "json", "sarif")])
    for result in runs:  # the helper asserts: no Traceback
        assert result.returncode == 1, result.stderr
        assert result.stderr == ""
    doc = json.loads(runs[1].stdout)
    assert {d["path"] for d in doc["diagnostics"]} == set(HOSTILE)
    assert doc["summary"]["files"] == len(HOSTILE)


# ---- rule severities from the config ---------------------------------------------------


_ONE_SIDED = {
    "reqs/202405-001.yaml": VALID + "links:\n  conflicts_with: [202405-002]\n",
    "reqs/202405-002.yaml": req("202405-002"),
}
_DANGLING = {"reqs/202405-001.yaml": VALID + "links:\n  parent: [202404-999]\n"}
for _key in ("RK314", "one-sided-conflict"):
    scenario(f"raise-{_key}", _ONE_SIDED, f'[rules]\n{_key} = "error"\n')
RULE_OFF = scenario("rule-off", _DANGLING, '[rules]\nRK311 = "off"\n')
RULE_LOWERED = scenario("rule-lowered", _DANGLING, '[rules]\nRK311 = "warning"\n')
RULE_LOWERED_STRICT = scenario(
    "rule-lowered-strict", _DANGLING, '[rules]\nRK311 = "warning"\n', ("check", "--strict")
)
DANGLING = scenario("dangling", _DANGLING)


@pytest.mark.parametrize("key", ["RK314", "one-sided-conflict"])
def test_rules_can_raise_a_warning_to_an_error(ran: dict[str, Any], key: str) -> None:
    result = ran[f"raise-{key}"]
    assert result.returncode == 1
    (diag,) = as_json(result)["diagnostics"]
    assert (diag["code"], diag["severity"]) == ("RK314", "error")


def test_rules_can_turn_a_rule_off(ran: dict[str, Any]) -> None:
    assert ran[RULE_OFF].returncode == 0
    assert as_json(ran[RULE_OFF])["diagnostics"] == []


def test_rules_can_lower_an_error_to_a_warning(ran: dict[str, Any]) -> None:
    assert ran[RULE_LOWERED].returncode == 0
    assert [d["severity"] for d in as_json(ran[RULE_LOWERED])["diagnostics"]] == ["warning"]
    assert ran[RULE_LOWERED_STRICT].returncode == 1


def test_missing_link_hint_never_suggests_the_requirement_itself(ran: dict[str, Any]) -> None:
    (diag,) = as_json(ran[DANGLING])["diagnostics"]
    assert (diag["path"], diag["line"], diag["column"], diag["code"]) == (
        "reqs/202405-001.yaml",
        7,
        12,
        "RK311",
    )
    assert "'202404-999'" in diag["message"]
    assert "'202405-001'" not in diag["message"]  # a self-link would be RK312


# ---- the cache: a warm run answers the same, an edit is never missed -------------------


def _cache_files(repo: Path) -> list[Path]:
    folder = repo.parent / f".reqkit-cache-{repo.name}"
    return sorted(folder.glob("*")) if folder.is_dir() else []


def test_warm_run_gives_byte_identical_json(
    tmp_path: Path, make: MakeRepo, run: Run, age_files_fn: Callable[..., None]
) -> None:
    repo = make(tmp_path / "r", MIXED)
    age_files_fn(repo)
    first = run(repo, "check", "--format", "json")
    assert _cache_files(repo), "the first run wrote no cache"
    second = run(repo, "check", "--format", "json")
    assert second.stdout == first.stdout
    assert second.returncode == first.returncode == 1
    assert tuples(json.loads(second.stdout)) == MIXED_EXPECTED
    text = run(repo, "check", "--format", "text").stdout
    assert run(repo, "check", "--format", "text").stdout == text


def test_edits_between_runs_are_never_answered_from_a_stale_cache(
    tmp_path: Path, make: MakeRepo, run: Run, age_files_fn: Callable[..., None]
) -> None:
    files = {
        "reqs/202405-001.yaml": VALID + "links:\n  parent: [202405-002]\n",
        "reqs/202405-002.yaml": req("202405-002"),
    }
    repo = make(tmp_path / "r", files)
    one = repo / "reqs" / "202405-001.yaml"
    two = repo / "reqs" / "202405-002.yaml"
    age_files_fn(repo, 7200)

    def found() -> set[tuple[str, int, int, str]]:
        return tuples(as_json(run(repo, "check", "--format", "json")))

    assert found() == set()
    assert _cache_files(repo)
    assert found() == set()  # warm

    # an edit that changes the size; its mtime set an hour back (old enough to trust)
    two.write_text(req("202405-002", "tags: reports\n"))
    age_files_fn(repo, 3600)
    assert found() == {("reqs/202405-002.yaml", 6, 7, "RK102")}

    # an edit of the same size; only the (old) mtime differs
    two.write_text(req("202405-002", "tags: [abcde]\n"))
    assert two.stat().st_size == len(req("202405-002", "tags: reports\n"))
    age_files_fn(repo, 1800)
    assert found() == set()

    # an editor's atomic save: same size, same mtime, only the inode differs
    before = two.stat()
    fresh = two.with_name(".202405-002.yaml.tmp")
    fresh.write_text(req("202405-002", "tags: abcdefg\n"))
    os.utime(fresh, ns=(before.st_atime_ns, before.st_mtime_ns))
    os.replace(fresh, two)
    after = two.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert found() == {("reqs/202405-002.yaml", 6, 7, "RK102")}

    # an edit of the same size moments ago (an mtime too recent to trust), twice
    two.write_text(req("202405-002"))
    text = one.read_text()
    one.write_text(text.replace("status: analysis", "status: analysiz"))
    assert found() == {("reqs/202405-001.yaml", 4, 9, "RK110")}
    assert found() == {("reqs/202405-001.yaml", 4, 9, "RK110")}
    age_files_fn(repo, 900)  # now old: answered from the cache, still the new verdict
    assert found() == {("reqs/202405-001.yaml", 4, 9, "RK110")}
    assert found() == {("reqs/202405-001.yaml", 4, 9, "RK110")}

    # a file removed: the link to it dangles
    one.write_text(text)
    two.unlink()
    age_files_fn(repo, 600)
    assert found() == {("reqs/202405-001.yaml", 7, 12, "RK311")}

    # the file added back
    two.write_text(req("202405-002"))
    age_files_fn(repo, 300)
    assert found() == set()

    # the config changes the verdict too
    (repo / "reqkit.toml").write_text('ids = ["REQ-{seq:03}"]\n')
    assert found() == {
        ("reqs/202405-001.yaml", 1, 5, "RK302"),
        ("reqs/202405-002.yaml", 1, 5, "RK302"),
    }


def test_in_place_edit_with_the_old_mtime_put_back_is_noticed(
    tmp_path: Path, make: MakeRepo, run: Run, age_files_fn: Callable[..., None]
) -> None:
    """`touch -r`, `rsync -t` or os.utime put the mtime back; size and inode stay: ctime tells."""
    repo = make(tmp_path / "r", {"reqs/202405-001.yaml": VALID + "tags: [abcde]\n"})
    age_files_fn(repo)
    target = repo / "reqs" / "202405-001.yaml"
    assert tuples(as_json(run(repo, "check", "--format", "json"))) == set()
    assert _cache_files(repo)
    before = target.stat()
    target.write_text(VALID + "tags: abcdefg\n")
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = target.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    assert tuples(as_json(run(repo, "check", "--format", "json"))) == {
        ("reqs/202405-001.yaml", 6, 7, "RK102")
    }
