"""This repository's workflows, Action, hook manifest and CI recipes, judged by real tools.

check-jsonschema validates against the schemas it ships (`vendor.github-workflows`,
`vendor.github-actions`, `vendor.gitlab-ci`); zizmor audits offline. Both come with the
`test` extra; the tests skip, saying why, where they are not installed. The YAML blocks
of docs/ci-recipes.md and docs/getting-started.md are cut out and judged the same way,
so what the docs tell users to paste is valid.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
DOCS = [ROOT / "docs" / "ci-recipes.md", ROOT / "docs" / "getting-started.md"]
ZIZMOR_CONFIG = ROOT / ".github" / "zizmor.yml"


def tool(name: str) -> str:
    here = Path(sys.executable).parent / name
    found = str(here) if here.exists() else shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (pip install -e '.[test]')")
    return found


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300)


def yaml_blocks(path: Path) -> list[str]:
    return re.findall(r"^```yaml\n(.*?)^```$", path.read_text(encoding="utf-8"), re.S | re.M)


def kind(block: str) -> str:
    data = yaml.safe_load(block)
    if isinstance(data, dict) and "jobs" in data:
        return "github"
    if isinstance(data, dict) and "repos" in data:
        return "pre-commit"
    if isinstance(data, dict) and any(isinstance(v, dict) and "script" in v for v in data.values()):
        return "gitlab"
    return "other"


def doc_blocks(want: str) -> list[tuple[str, str]]:
    found = [
        (f"{path.name}#{i}", block)
        for path in DOCS
        for i, block in enumerate(yaml_blocks(path))
        if kind(block) == want
    ]
    assert found, f"no {want} example in the docs"
    return found


def zizmor_findings(*inputs: str | Path) -> list[tuple[str, str]]:
    proc = run(
        tool("zizmor"),
        "--offline",
        "--no-progress",
        "--format",
        "json",
        "--config",
        str(ZIZMOR_CONFIG),
        *map(str, inputs),
    )
    assert proc.returncode in (0, 10, 11, 12, 13, 14), proc.stderr  # ran; findings or not
    findings: list[dict[str, Any]] = json.loads(proc.stdout)
    return [
        (f["ident"], loc["concrete"]["feature"])
        for f in findings
        for loc in f["locations"]
        if loc["symbolic"]["kind"] == "Primary"
    ]


# ---- this repository's files ----------------------------------------------------------------


def test_workflows_match_githubs_workflow_schema() -> None:
    assert {p.name for p in WORKFLOWS} >= {"tests.yml", "requirements.yml", "pages.yml"}
    proc = run(
        tool("check-jsonschema"),
        "--builtin-schema",
        "vendor.github-workflows",
        *map(str, WORKFLOWS),
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_action_matches_githubs_action_schema() -> None:
    proc = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions", "action.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_zizmor_finds_nothing_in_workflows_and_action() -> None:
    """The same command as scripts/test.sh: the config is found in .github/ by itself."""
    proc = run(tool("zizmor"), "--offline", "--no-progress", ".github/workflows", "action.yml")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "No findings to report" in proc.stdout


def test_zizmor_audits_are_live(tmp_path: Path) -> None:
    """Not vacuous: injection, third-party tags and credentials on disk are still caught."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: bad\n"
        "on: pull_request\n"
        "permissions: {}\n"
        "jobs:\n"
        "  bad:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - uses: someone/something@v1\n"
        '      - run: echo "${{ github.event.pull_request.title }}"\n',
        encoding="utf-8",
    )
    idents = {ident for ident, _ in zizmor_findings(bad)}
    assert {"template-injection", "unpinned-uses", "artipacked"} <= idents


def test_workflow_permissions_are_minimal() -> None:
    for path in WORKFLOWS:
        wf = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert wf.get("permissions") in ({}, {"contents": "read"}), path.name
        for name, job in wf["jobs"].items():
            granted = job.get("permissions", {})
            if "id-token" in granted or "pages" in granted:
                assert (path.name, name) == ("pages.yml", "deploy")
                assert granted == {"pages": "write", "id-token": "write"}
            for step in job["steps"]:
                if step.get("uses", "").startswith("actions/checkout@"):
                    assert step["with"]["persist-credentials"] is False


def test_pages_workflow_builds_with_mkdocs_material_and_deploys() -> None:
    wf = yaml.safe_load((ROOT / ".github/workflows/pages.yml").read_text(encoding="utf-8"))
    build = wf["jobs"]["build"]["steps"]
    runs = " ".join(s.get("run", "") for s in build)
    assert "pip install ." in runs  # reqkit brings MkDocs and Material (issue 7)
    assert "reqkit site build --strict" in runs
    assert any(s.get("uses") == "actions/upload-pages-artifact@v3" for s in build)
    deploy = wf["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"] == "actions/deploy-pages@v4"
    assert wf[True]["push"]["branches"] == ["main"]  # YAML 1.1 reads `on` as true


def test_requirements_workflow_runs_this_action_with_annotations() -> None:
    wf = yaml.safe_load((ROOT / ".github/workflows/requirements.yml").read_text(encoding="utf-8"))
    assert "pull_request" in wf[True]
    steps = wf["jobs"]["check"]["steps"]
    assert any(s.get("uses") == "./" for s in steps)
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["inputs"]["format"]["default"] == "github"


def test_tests_workflow_runs_the_suite_on_push_and_pull_request() -> None:
    wf = yaml.safe_load((ROOT / ".github/workflows/tests.yml").read_text(encoding="utf-8"))
    assert set(wf[True]) == {"push", "pull_request"}
    assert "bash scripts/test.sh" in [s.get("run") for s in wf["jobs"]["tests"]["steps"]]


def test_hook_manifest_is_valid_for_pre_commit() -> None:
    proc = run(tool("pre-commit"), "validate-manifest", ".pre-commit-hooks.yaml")
    assert proc.returncode == 0, proc.stdout + proc.stderr


# ---- what the docs tell users to paste ------------------------------------------------------


def test_documented_github_workflows_are_valid(tmp_path: Path) -> None:
    files = []
    for name, block in doc_blocks("github"):
        path = tmp_path / f"{name.replace('#', '-')}.yml"
        path.write_text(block, encoding="utf-8")
        files.append(str(path))
    proc = run(tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *files)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_documented_github_workflows_pass_zizmor_but_for_the_tag_of_the_action(
    tmp_path: Path,
) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for name, block in doc_blocks("github"):
        (folder / f"{name.replace('#', '-').replace('.', '-')}.yml").write_text(block)
    leftover = {f for f in zizmor_findings(folder)}
    assert leftover <= {("unpinned-uses", "reqkit/reqkit@v1")}, leftover


def test_documented_gitlab_ci_is_valid(tmp_path: Path) -> None:
    for name, block in doc_blocks("gitlab"):
        path = tmp_path / ".gitlab-ci.yml"
        path.write_text(block, encoding="utf-8")
        proc = run(tool("check-jsonschema"), "--builtin-schema", "vendor.gitlab-ci", str(path))
        assert proc.returncode == 0, (name, proc.stdout + proc.stderr)
        assert "--format gitlab" in block and "codequality:" in block


def test_documented_pre_commit_configs_are_valid(tmp_path: Path) -> None:
    exe = tool("pre-commit")
    for name, block in doc_blocks("pre-commit"):
        path = tmp_path / ".pre-commit-config.yaml"
        path.write_text(block, encoding="utf-8")
        proc = run(exe, "validate-config", str(path))
        assert proc.returncode == 0, (name, proc.stdout + proc.stderr)


def test_the_recipes_page_is_in_the_site_nav() -> None:
    nav = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["nav"]
    assert {"CI recipes": "ci-recipes.md"} in nav


def test_nothing_tells_anyone_to_pip_install_reqkit() -> None:
    wrong = re.compile(r"pip install\s+(?:-\S+\s+)*['\"]?reqkit(?![\w-])")
    texts = [
        ROOT / "README.md",
        ROOT / "action.yml",
        ROOT / ".pre-commit-hooks.yaml",
        *sorted((ROOT / "docs").rglob("*.md")),
        *sorted((ROOT / "reqkit" / "edit" / "templates").rglob("*.*")),
        *WORKFLOWS,
    ]
    for path in texts:
        assert not wrong.search(path.read_text(encoding="utf-8")), path
    recipes = (ROOT / "docs" / "ci-recipes.md").read_text(encoding="utf-8")
    assert (
        recipes.count("pip install git-reqkit") + recipes.count("install --quiet git-reqkit") >= 4
    )
