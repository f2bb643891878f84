"""The pytest plugin, as users get it: installed with reqkit, loaded by pytest itself."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

PyRun = Callable[..., subprocess.CompletedProcess[str]]
MakeRepo = Callable[..., Path]

REQ = """\
id: {rid}
title: Export the report
type: functional
status: testing
description: When a user exports, reqkit shall write a file.
"""
TESTS = """\
import pytest

@pytest.mark.req("REQ-001", "REQ-002")
def test_two():
    pass

@pytest.mark.req("REQ-001")
class TestGroup:
    @pytest.mark.req("REQ-002")
    def test_inherits_class_marker(self):
        pass

@pytest.mark.req("REQ-002")
@pytest.mark.parametrize("n", [1, 2])
def test_param(n):
    assert n == 1

def test_unmarked():
    pass
"""


def _repo(make: MakeRepo, base: Path, tests: str = TESTS) -> Path:
    files = {f"reqs/REQ-00{i}.yaml": REQ.format(rid=f"REQ-00{i}") for i in (1, 2)}
    files["tests/test_a.py"] = tests
    return make(base / "repo", files, 'ids = ["REQ-{seq:03}"]\n')


def _properties(junit: Path) -> dict[str, list[str]]:
    out = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        key = f"{case.get('classname')}.{case.get('name')}"
        out[key] = [
            p.get("value", "") for p in case.iter("property") if p.get("name") == "requirement"
        ]
    return out


@pytest.mark.req("REQ-080")
def test_marker_ids_become_requirement_properties_in_the_junit_xml(
    make: MakeRepo, tmp_path: Path, pyrun: PyRun
) -> None:
    repo = _repo(make, tmp_path)
    result = pyrun(repo, "--strict-markers", "--junitxml=junit.xml", "tests")
    assert result.returncode == 1, result.stdout  # test_param[2] fails on purpose
    assert "PytestWarning" not in result.stdout
    props = _properties(repo / "junit.xml")
    assert props["tests.test_a.test_two"] == ["REQ-001", "REQ-002"]
    assert sorted(props["tests.test_a.TestGroup.test_inherits_class_marker"]) == [
        "REQ-001",
        "REQ-002",
    ]
    assert props["tests.test_a.test_param[1]"] == ["REQ-002"]
    assert props["tests.test_a.test_param[2]"] == ["REQ-002"]
    assert props["tests.test_a.test_unmarked"] == []


@pytest.mark.req("REQ-080")
def test_the_marker_is_registered_so_strict_markers_accepts_it(
    make: MakeRepo, tmp_path: Path, pyrun: PyRun
) -> None:
    repo = _repo(make, tmp_path)
    listed = pyrun(repo, "--markers")
    assert "@pytest.mark.req(*ids)" in listed.stdout
    result = pyrun(repo, "--strict-markers", "tests", "-k", "two or Group")
    assert result.returncode == 0, result.stdout


@pytest.mark.req("REQ-081")
def test_strict_fails_only_the_tests_that_name_unknown_ids(
    make: MakeRepo, tmp_path: Path, pyrun: PyRun
) -> None:
    tests = TESTS + '\n@pytest.mark.req("REQ-001", "REQ-404")\ndef test_typo():\n    pass\n'
    repo = _repo(make, tmp_path, tests)
    plain = pyrun(repo, "tests", "-k", "not param")
    assert plain.returncode == 0, plain.stdout  # without --reqkit-strict: recorded, not judged
    strict = pyrun(repo, "--reqkit-strict", "tests", "-k", "not param", "-rE")
    assert strict.returncode == 1, strict.stdout
    assert "ERROR tests/test_a.py::test_typo" in strict.stdout
    assert "unknown requirement 'REQ-404'" in strict.stdout
    assert "3 passed, 2 deselected, 1 error" in strict.stdout


@pytest.mark.req("REQ-081")
def test_strict_finds_the_project_from_the_rootdir_in_a_subfolder(
    make: MakeRepo, tmp_path: Path, pyrun: PyRun
) -> None:
    repo = _repo(make, tmp_path)
    (repo / "pyproject.toml").write_text("[tool.pytest.ini_options]\n", encoding="utf-8")
    result = pyrun(repo / "tests", "--reqkit-strict", "-k", "not param")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.req("REQ-081")
def test_the_plugin_is_harmless_in_a_project_without_reqkit(tmp_path: Path, pyrun: PyRun) -> None:
    (tmp_path / "test_plain.py").write_text(
        'import pytest\n\n@pytest.mark.req("X-1")\ndef test_a():\n    pass\n\n'
        "def test_b():\n    pass\n",
        encoding="utf-8",
    )
    result = pyrun(tmp_path, "--strict-markers", "--junitxml=out.xml")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    strict = pyrun(tmp_path, "--reqkit-strict")
    assert strict.returncode == 4  # pytest's usage error: one line, no traceback
    assert "--reqkit-strict: no reqkit.toml" in strict.stderr
    assert "Traceback" not in strict.stderr
    off = pyrun(tmp_path, "-p", "no:reqkit", "--strict-markers")
    assert off.returncode == 2  # disabled: the marker is unknown again
    assert "'req' not found in `markers`" in off.stdout


@pytest.mark.req("REQ-081")
def test_a_marker_without_ids_fails_its_test_with_the_reason(
    make: MakeRepo, tmp_path: Path, pyrun: PyRun
) -> None:
    tests = (
        "import pytest\n\n@pytest.mark.req()\ndef test_empty():\n    pass\n\n"
        '@pytest.mark.req("REQ-001, REQ-002")\ndef test_joined():\n    pass\n'
    )
    repo = _repo(make, tmp_path, tests)
    result = pyrun(repo, "tests", "-rE")
    assert result.returncode == 1
    assert "@pytest.mark.req takes requirement IDs" in result.stdout
    assert "'REQ-001, REQ-002' is not a requirement ID" in result.stdout
