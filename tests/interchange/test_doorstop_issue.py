"""Doorstop trees and GitHub issue forms in, from the installed command."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpora" / "doorstop"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpora/doorstop")

DOORSTOP = {
    "spec/.doorstop.yml": "settings:\n  digits: 3\n  prefix: SRD\n  sep: '-'\n",
    "spec/SRD-001.yml": (
        "active: true\nderived: false\nheader: ''\nlevel: 1.10\nlinks: []\nnormative: true\n"
        "ref: ''\nreviewed: abc\ntext: |\n  **Export**\n\n  The system **shall** export reports.\n"
        "priority-class: A\n"
    ),
    "spec/SRD-002.yml": (
        "active: false\nderived: false\nheader: Import\nlevel: 2\nlinks: []\nnormative: false\n"
        "ref: src/import.py\nreviewed: null\ntext: ''\n"
    ),
    "spec/tests/.doorstop.yml": "settings:\n  digits: 3\n  parent: SRD\n  prefix: TST\n  sep: ''\n",
    "spec/tests/TST001.yml": (
        "active: true\nderived: false\nheader: ''\nlevel: 1.0\nlinks:\n- SRD-001: fingerprint\n"
        "normative: true\nref: ''\nreferences:\n- path: tests/test_export.py\n  type: file\n"
        "reviewed: x\ntext: |\n  Export a report and compare it with the golden file.\n"
    ),
    "spec/img/diagram.png": "not really a png",
}


def test_a_doorstop_tree_becomes_a_working_repository(make, run, tmp_path):
    tree = make(tmp_path / "doorstop", DOORSTOP, None, git=False)
    repo = tmp_path / "r"
    assert run(tmp_path, "init", str(repo)).returncode == 0
    for example in (repo / "reqs").glob("*.yaml"):
        example.unlink()
    result = run(repo, "import", str(tree / "spec"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "config reqkit.toml: ids += SRD-{seq:03}" in result.stdout
    first = yaml.safe_load((repo / "reqs/SRD/SRD-001.yaml").read_text(encoding="utf-8"))
    assert first["title"] == "Export"
    assert first["description"] == "**Export**\n\nThe system **shall** export reports."
    assert first["level"] == "1.10"  # not the float 1.1
    assert first["priority_class"] == "A" and first["active"] is True and "reviewed" not in first
    second = yaml.safe_load((repo / "reqs/SRD/SRD-002.yaml").read_text(encoding="utf-8"))
    assert (
        second["title"] == "Import" and second["active"] is False and second["normative"] is False
    )
    assert second["code_refs"] == ["src/import.py"]
    child = yaml.safe_load((repo / "reqs/TST/TST001.yaml").read_text(encoding="utf-8"))
    assert child["links"] == {"parent": ["SRD-001"]}
    assert child["code_refs"] == ["tests/test_export.py"]
    assert (repo / "reqs/SRD/img/diagram.png").read_text() == "not really a png"
    check = run(repo, "check")
    assert check.returncode == 0, check.stdout
    assert run(repo, "schema", "--check").returncode == 0  # the new custom fields joined it


@pytest.mark.skipif(
    not CORPUS.is_dir(), reason="the shared Doorstop corpus is not next to this clone"
)
def test_the_doorstop_projects_own_tree_imports_and_passes_check(make, run, tmp_path):
    tree = tmp_path / "doorstop"
    shutil.copytree(CORPUS, tree)
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, "")
    result = run(repo, "import", str(tree), "--format", "doorstop")
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(list((repo / "reqs").rglob("*.yaml"))) == 43
    assert {p.name for p in (repo / "reqs").iterdir()} >= {"REQ", "TUT", "EXT"}
    tut = yaml.safe_load((repo / "reqs/TUT/TUT001.yaml").read_text(encoding="utf-8"))
    assert tut["links"]["parent"] and all(p.startswith("REQ") for p in tut["links"]["parent"])
    assert (repo / "reqs/REQ/assets/logo-black-white.png").is_file()
    check = run(repo, "check", "--format", "json")
    assert json.loads(check.stdout)["summary"]["errors"] == 0
    again = run(repo, "import", str(tree), "--format", "doorstop")
    assert again.returncode == 1 and "--update" in again.stderr  # never overwritten


ISSUE_BODY = """### Requirement type / 需求类型

bug / 问题反馈

### Description / 需求描述

导出的文件名丢失了中文字符。
When a report title has Chinese characters, the exported file shall keep them.

### Source channel / 来源渠道

support

### Source / 需求来源

_No response_

### Requester / 提出方信息

Customer B, finance

### Priority / 优先级

must / 必须有

### Urgency / 紧急程度

urgent / 紧急

### Acceptance criteria / 验收标准

- Given a report titled 月度报告, when it is exported, then the file is 月度报告.xlsx.
- Given a title with emoji, when it is exported, then the export succeeds.
"""


def test_an_issue_from_the_issue_form_becomes_a_requirement(make, run, tmp_path):
    issue = {
        "title": "[Requirement] Keep Chinese characters in export file names",
        "body": ISSUE_BODY,
        "author": {"login": "support-bot"},
        "labels": [{"name": "requirement"}, {"name": "export"}],
        "url": "https://github.com/acme/product/issues/42",
    }
    path = tmp_path / "issue.json"
    path.write_text(json.dumps(issue, ensure_ascii=False), encoding="utf-8")
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, 'ids = ["REQ-{seq:03}"]\n')
    result = run(repo, "import", str(path), "--format", "github-issue")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "create reqs/REQ-001.yaml (issue #42)" in result.stdout
    data = yaml.safe_load((repo / "reqs/REQ-001.yaml").read_text(encoding="utf-8"))
    assert data["title"] == "Keep Chinese characters in export file names"
    assert data["type"] == "bug" and data["priority"] == "must" and data["urgency"] == "urgent"
    assert data["source"] == {
        "channel": "support",
        "requester": "Customer B, finance",
        "detail": "https://github.com/acme/product/issues/42",
    }
    assert data["description"].startswith("导出的文件名丢失了中文字符。")
    assert len(data["acceptance"]) == 2 and data["tags"] == ["export"]
    assert run(repo, "check").returncode == 0


def _check_jsonschema() -> str:
    exe = Path(sys.executable).parent / "check-jsonschema"
    return str(exe) if exe.exists() else (shutil.which("check-jsonschema") or "")


@pytest.mark.parametrize("where", ["repository", "scaffold"])
def test_the_issue_form_is_a_valid_github_issue_form(where, run, tmp_path):
    if where == "repository":
        form = ROOT / ".github/ISSUE_TEMPLATE/requirement.yml"
    else:
        assert run(tmp_path, "init", str(tmp_path / "new")).returncode == 0
        form = tmp_path / "new/.github/ISSUE_TEMPLATE/requirement.yml"
    exe = _check_jsonschema()
    assert exe, "check-jsonschema is a test dependency"
    done = subprocess.run(
        [exe, "--builtin-schema", "vendor.github-issue-forms", str(form)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    labels = [
        b["attributes"]["label"]
        for b in yaml.safe_load(form.read_text(encoding="utf-8"))["body"]
        if b["type"] != "markdown"
    ]
    for seed in ("需求类型", "需求描述", "需求来源", "提出方信息", "优先级", "紧急程度"):
        assert any(seed in label for label in labels), seed
