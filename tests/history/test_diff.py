"""`reqkit diff BASE [HEAD]`: added, removed, renamed, fields, transitions and impact;
the JSON shape is pinned here (documented in docs/change-management.md)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from history_repo import GitRepo, requirement

LONG = "description: |\n  First line of a long description.\n  Second line stays.\n  Third line goes.\n"


def _long(rid: str, description: str) -> str:
    return re.sub(r"^description: .*\n", description, requirement(rid), flags=re.MULTILINE)


def _repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    repo = git_repo()
    repo.commit(
        "start",
        {
            "reqs/R-1.yaml": requirement(
                "R-1", status="review", extra="verified_by:\n  - tests/test_x.py::test_one\n"
            ),
            "reqs/R-2.yaml": requirement("R-2", extra="links:\n  parent: [R-1]\n"),
            "reqs/R-3.yaml": requirement("R-3", extra="links:\n  depends_on: [R-1]\n"),
            "reqs/R-4.yaml": requirement("R-4"),
            "reqs/R-5.yaml": _long("R-5", LONG),
        },
    )
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit(
        "change things (#8)",
        {
            "reqs/R-1.yaml": requirement(
                "R-1",
                status="development",
                title="Export all reports in one go",
                extra="verified_by:\n  - tests/test_x.py::test_one\n",
            ),
            "reqs/R-6.yaml": requirement("R-6"),
            "reqs/R-5.yaml": _long("R-5", LONG.replace("Third line goes.", "Third line is new.")),
        },
        remove=("reqs/R-4.yaml",),
    )
    repo.mv("reqs/R-2.yaml", "reqs/sub/R-2.yaml")
    repo.commit("move R-2")
    return repo


def test_diff_json_shape_and_content(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = _repo(git_repo)
    out = run(repo.path, "diff", "main", "HEAD", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"base", "head", "merge_base", "head_commit", "summary", "changes"}
    assert data["summary"] == {
        "added": 1,
        "removed": 1,
        "renamed": 1,
        "modified": 2,
        "transitions": 1,
        "suspect": 1,
    }
    by_id = {c["id"]: c for c in data["changes"]}
    assert [c["id"] for c in data["changes"]] == ["R-1", "R-2", "R-4", "R-5", "R-6"]
    r1 = by_id["R-1"]
    assert set(r1) == {"id", "kind", "path", "old_path", "title", "transition", "fields", "impact"}
    assert r1["transition"] == {"from": "review", "to": "development"}
    assert {
        "field": "title",
        "old": requirement("R-1").split("\n")[1][len("title: ") :],
        "new": "Export all reports in one go",
        "diff": None,
    } in r1["fields"]
    assert r1["impact"] == {
        "children": ["R-2"],
        "dependants": ["R-3"],
        "tests": ["tests/test_x.py::test_one"],
        "suspect": True,
    }
    assert by_id["R-2"]["kind"] == "renamed" and by_id["R-2"]["old_path"] == "reqs/R-2.yaml"
    assert by_id["R-2"]["path"] == "reqs/sub/R-2.yaml" and by_id["R-2"]["fields"] == []
    assert by_id["R-4"]["kind"] == "removed" and by_id["R-4"]["path"] is None
    assert by_id["R-6"]["kind"] == "added" and by_id["R-6"]["transition"] == {
        "from": None,
        "to": "analysis",
    }
    text = next(f for f in by_id["R-5"]["fields"] if f["field"] == "description")
    assert "-Third line goes." in text["diff"] and "+Third line is new." in text["diff"]
    assert " Second line stays." in text["diff"]


def test_diff_markdown_for_the_job_summary_and_the_work_tree(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = _repo(git_repo)
    repo.write({"reqs/R-6.yaml": requirement("R-6", title="Title | with a pipe <b>bold</b>")})
    summary = repo.path.parent / "summary.md"
    out = run(repo.path, "diff", "main", "--summary", str(summary))
    assert out.returncode == 0, out.stderr
    md = out.stdout
    assert md.startswith("## Requirements changed: 1 added, 1 removed, 1 renamed, 2 modified")
    assert "with working tree" in md
    assert "| modified | R-1 |" in md and "review → development" in md
    assert "Title \\| with a pipe &lt;b&gt;bold&lt;/b&gt;" in md  # untrusted text stays text
    assert "```diff" in md and "children: R-2; dependants: R-3" in md
    assert summary.read_text(encoding="utf-8").strip() == md.strip()


def test_diff_of_nothing_and_of_formatting_only(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1")})
    repo.write({"reqs/R-1.yaml": "# a comment only\n" + requirement("R-1")})
    out = run(repo.path, "diff", "HEAD", "--format", "json")
    assert json.loads(out.stdout)["changes"] == []
    assert "No requirement changed." in run(repo.path, "diff", "HEAD").stdout
