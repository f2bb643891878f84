"""`reqkit schema [--check]` through the installed command, and what the schema accepts."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

Run = Callable[..., subprocess.CompletedProcess[str]]
MakeRepo = Callable[..., Path]

SCHEMA = "schema/requirement.schema.json"
DRAFT7 = "http://json-schema.org/draft-07/schema#"

CONFIG = """\
[fields]
customer_tier = {type = "string", enum = ["gold", "silver"]}
contract_value = {type = "integer", minimum = 0}

[states.analysis]
label_zh = "待分析"
next = ["review", "rejected"]

[states.review]
label_zh = "评审中"
next = ["analysis", "rejected", "done"]

[states.done]
next = []
requires = ["acceptance"]

[states.rejected]
next = ["analysis"]
requires = ["decision.reason"]
"""

# the full example of spec/format.md, with the project's custom fields
FULL = """\
# yaml-language-server: $schema=../schema/requirement.schema.json
id: 202405-001
title: Batch export on the report page
type: functional
status: review
priority: must
urgency: important
importance: key
source:
  channel: phone
  detail: Customer A phone call
  requester: Customer A, procurement team
  received: 2024-05-06
owner: alice
department: product
created: 2024-05-06
due: "2024-06-30"
release: "2.4"
description: |
  Markdown. What problem the customer wants solved and why, in concrete terms.
rationale: Markdown, optional.
acceptance:
  - Given 3 reports are selected, when I press Export, then one .zip with 3 files downloads.
feasibility:
  effort: M
  risk: low
  notes: ...
links:
  parent: [202404-010]
  depends_on: []
  conflicts_with: []
  duplicates: []
verified_by:
  - tests/test_export.py::test_batch_export
tags: [reports, export]
evaluation:
  date: 2024-07-20T10:00:00+08:00
  result: met
  notes: 35 % of active users exported in the first week.
decision:
  reason: ...
customer_tier: gold
contract_value: 12000
"""

PARENT = """\
id: 202404-010
title: Reports
type: functional
status: analysis
description: The report page.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory, make_repo_fn: MakeRepo) -> Path:
    files = {"reqs/202405-001.yaml": FULL, "reqs/202404-010.yaml": PARENT}
    return make_repo_fn(tmp_path_factory.mktemp("schema") / "repo", files, CONFIG)


@pytest.fixture(scope="module")
def written(project: Path, run_reqkit_fn: Run) -> dict[str, Any]:
    """`reqkit schema --check` before the file exists, then `reqkit schema`."""
    missing = run_reqkit_fn(project, "schema", "--check")
    assert missing.returncode == 1, missing.stderr
    assert not (project / SCHEMA).exists()
    result = run_reqkit_fn(project, "schema")
    assert result.returncode == 0, result.stderr
    return json.loads((project / SCHEMA).read_text(encoding="utf-8"))


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _as_json_data(node: Any) -> Any:
    """What an editor's schema validator sees: YAML dates become ISO strings."""
    if isinstance(node, dt.date):  # datetime is a date too
        return node.isoformat()
    if isinstance(node, dict):
        return {k: _as_json_data(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_json_data(v) for v in node]
    return node


def _validator(schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())


def test_schema_is_draft_07_with_definitions_not_defs(written: dict[str, Any]) -> None:
    assert written["$schema"] == DRAFT7
    keys = [key for key, _ in _walk(written)]
    assert "$defs" not in keys
    assert "definitions" in written
    refs = [value for key, value in _walk(written) if key == "$ref"]
    assert refs, "the model's nested objects are referenced"
    for ref in refs:
        assert ref.startswith("#/definitions/"), ref
        assert ref.removeprefix("#/definitions/") in written["definitions"]
    jsonschema.Draft7Validator.check_schema(written)


def test_schema_check_exits_0_when_fresh(project: Path, written: dict[str, Any], run: Run) -> None:
    result = run(project, "schema", "--check")
    assert result.returncode == 0, result.stderr
    rewrite = run(project, "schema")
    assert rewrite.returncode == 0
    assert json.loads((project / SCHEMA).read_text(encoding="utf-8")) == written


def test_schema_check_exits_1_when_stale_or_missing(
    tmp_path: Path, make_repo_fn: MakeRepo, run: Run
) -> None:
    repo = make_repo_fn(tmp_path / "r", {"reqs/202404-010.yaml": PARENT})
    target = repo / SCHEMA
    assert run(repo, "schema", "--check").returncode == 1  # missing
    assert not target.exists()
    assert run(repo, "schema").returncode == 0
    assert run(repo, "schema", "--check").returncode == 0
    # hand-edited: stale, and --check writes nothing
    target.write_text(target.read_text(encoding="utf-8").replace("Batch", "Bulk") + " ")
    edited = target.read_text(encoding="utf-8")
    stale = run(repo, "schema", "--check")
    assert stale.returncode == 1
    assert "reqkit schema" in stale.stderr
    assert target.read_text(encoding="utf-8") == edited
    # the config changed: the committed schema no longer matches it
    assert run(repo, "schema").returncode == 0
    (repo / "reqkit.toml").write_text('[fields]\nregion = {type = "string"}\n')
    assert run(repo, "schema", "--check").returncode == 1


def test_custom_fields_join_the_properties(written: dict[str, Any]) -> None:
    assert written["properties"]["customer_tier"] == {"type": "string", "enum": ["gold", "silver"]}
    assert written["properties"]["contract_value"] == {"type": "integer", "minimum": 0}


def test_configured_states_are_the_status_enum(written: dict[str, Any]) -> None:
    status = written["properties"]["status"]
    assert status["type"] == "string"
    assert status["enum"] == ["analysis", "review", "done", "rejected"]
    assert set(written["required"]) >= {"id", "title", "type", "status", "description"}


def test_schema_accepts_a_valid_requirement_file(project: Path, written: dict[str, Any]) -> None:
    validator = _validator(written)
    for name in ("202405-001.yaml", "202404-010.yaml"):
        data = yaml.safe_load((project / "reqs" / name).read_text(encoding="utf-8"))
        errors = [e.message for e in validator.iter_errors(_as_json_data(data))]
        assert errors == [], name


def test_the_full_example_also_passes_check(
    project: Path, written: dict[str, Any], run: Run
) -> None:
    result = run(project, "check", "--format", "json")
    assert json.loads(result.stdout)["diagnostics"] == []
    assert result.returncode == 0


@pytest.mark.parametrize(
    ("change", "why"),
    [
        pytest.param({"stauts": "review"}, "unknown field", id="unknown-field"),
        pytest.param({"status": "in-review"}, "not a state", id="status-not-a-state"),
        pytest.param({"status": "released"}, "a default state not configured", id="unconfigured"),
        pytest.param({"customer_tier": "bronze"}, "outside its enum", id="custom-field-enum"),
        pytest.param({"release": 1.1}, "a number where text is expected", id="number-for-text"),
        pytest.param({"type": "functionl"}, "an invalid choice", id="invalid-choice"),
        pytest.param({"links": {"parent": ["../etc/passwd"]}}, "a path", id="id-with-a-path"),
        pytest.param({"description": None}, "a required field left empty", id="empty-required"),
    ],
)
def test_schema_rejects_an_invalid_requirement(
    project: Path, written: dict[str, Any], change: dict[str, Any], why: str
) -> None:
    data = _as_json_data(yaml.safe_load((project / "reqs" / "202405-001.yaml").read_text("utf-8")))
    data.update(change)
    assert list(_validator(written).iter_errors(data)), why


def test_schema_rejects_a_file_missing_a_required_field(written: dict[str, Any]) -> None:
    data = yaml.safe_load(PARENT)
    del data["description"]
    assert list(_validator(written).iter_errors(data))
