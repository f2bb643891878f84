"""The Python API the command is built on: data out, positions kept, nothing printed."""

from __future__ import annotations

import types
from pathlib import Path

import pytest

import reqkit

GOOD = """\
id: 202405-001
title: Batch export on the report page
type: functional
status: analysis
description: Customers want to export the selected reports in one step.
links:
  parent: [202405-002]
"""
PARENT = """\
id: 202405-002
title: Reports
type: functional
status: analysis
description: Everything about reports.
"""


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "reqkit.toml").write_text("")
    (tmp_path / "reqs" / "area").mkdir(parents=True)
    (tmp_path / "reqs" / "202405-001.yaml").write_text(GOOD)
    (tmp_path / "reqs" / "area" / "202405-002.yaml").write_text(PARENT)
    return tmp_path


def test_load_returns_requirements_with_positions(repo: Path) -> None:
    reqs = reqkit.load(repo)
    assert [e.path for e in reqs.entries] == ["reqs/202405-001.yaml", "reqs/area/202405-002.yaml"]
    entry = reqs.by_id["202405-001"]
    assert entry.requirement is not None
    assert entry.requirement.links.parent == ["202405-002"]
    assert entry.position("links", "parent", 0) == (7, 12)  # the item, after "["
    assert entry.position("title") == (2, 8)


def test_load_keeps_invalid_files_without_a_model(repo: Path) -> None:
    (repo / "reqs" / "202405-003.yaml").write_text("id: 202405-003\ntitle: [\n")
    reqs = reqkit.load(repo)
    broken = reqs.by_id["202405-003"]
    assert broken.requirement is None
    assert broken.file.problems[0].code == "RK001"


def test_check_returns_diagnostics_and_prints_nothing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "reqs" / "202405-001.yaml").write_text(GOOD.replace("functional", "functionl"))
    result = reqkit.check(root=repo)
    assert capsys.readouterr() == ("", "")
    assert [(d.path, d.line, d.column, d.code) for d in result.diagnostics] == [
        ("reqs/202405-001.yaml", 3, 7, "RK103")
    ]
    assert result.exit_code() == 1
    assert result.summary.as_dict() == {"files": 2, "requirements": 2, "errors": 1, "warnings": 0}


def test_all_is_exactly_the_public_names() -> None:
    public = {n for n in dir(reqkit) if not n.startswith("_")}
    modules = {n for n in public if isinstance(getattr(reqkit, n), types.ModuleType)}
    assert sorted(reqkit.__all__) == sorted((public - modules) | {"__version__"})
    assert all(getattr(reqkit, n) is not None for n in reqkit.__all__)
