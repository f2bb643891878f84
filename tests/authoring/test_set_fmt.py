"""`reqkit set` and `reqkit fmt`: edits that keep what a person wrote."""

from __future__ import annotations

from pathlib import Path

import yaml

CONFIG = 'ids = ["REQ-{seq:03}"]\n'
ORIGINAL = """\
# yaml-language-server: $schema=../schema/requirement.schema.json
# Asked for by the finance team.
id: REQ-001
title: 'Batch export'     # short on purpose
type: functional
status: review
release: "2.4"
source:
    channel: phone        # the call on Monday
    detail: Customer A
description: >-
  When the user selects 3 reports and presses Export, the system shall download
  one .zip file within 5 s.
acceptance:
    - Given 3 reports, when Export is pressed, then one .zip downloads.
tags: [reports, export]
# the end
"""


def _repo(make, tmp_path: Path, text: str = ORIGINAL) -> Path:
    return make(
        tmp_path / "r",
        {"reqs/REQ-001.yaml": text, "reqs/REQ-002.yaml": ORIGINAL.replace("REQ-001", "REQ-002")},
        CONFIG,
    )


def test_set_changes_only_the_named_values_keeping_comments_quotes_order_and_indentation(
    make, run, tmp_path
):
    repo = _repo(make, tmp_path)
    result = run(
        repo,
        "set",
        "REQ-001",
        "status=development",
        "source.channel=email",
        "tags+=pdf",
        "tags-=export",
        "release=1.10",
    )
    assert result.returncode == 0, result.stderr
    text = (repo / "reqs/REQ-001.yaml").read_text(encoding="utf-8")
    expected = (
        ORIGINAL.replace("status: review", "status: development")
        .replace("channel: phone        #", "channel: email        #")
        .replace("tags: [reports, export]", "tags: [reports, pdf]")
        .replace('release: "2.4"', 'release: "1.10"')
    )
    assert text == expected


def test_set_adds_a_missing_field_in_canonical_place_and_removes_one_with_an_empty_value(
    make, run, tmp_path
):
    repo = _repo(make, tmp_path)
    assert (
        run(repo, "set", "REQ-001", "priority=must", "links.parent+=REQ-002", "release=").returncode
        == 0
    )
    data = yaml.safe_load((repo / "reqs/REQ-001.yaml").read_text(encoding="utf-8"))
    keys = list(data)
    assert keys.index("priority") == keys.index("status") + 1
    assert data["links"] == {"parent": ["REQ-002"]} and "release" not in data


def test_set_status_follows_the_lifecycle(make, run, tmp_path):
    repo = _repo(make, tmp_path)
    result = run(repo, "set", "REQ-001", "status=released")
    assert result.returncode == 2
    assert "may move to development, analysis, rejected, deferred" in result.stderr
    unknown = run(repo, "set", "REQ-001", "status=done")
    assert unknown.returncode == 2 and "unknown status" in unknown.stderr
    assert (repo / "reqs/REQ-001.yaml").read_text(encoding="utf-8") == ORIGINAL


def test_set_writes_nothing_when_the_result_fails_check(make, run, tmp_path):
    repo = _repo(make, tmp_path)
    result = run(repo, "set", "REQ-001", "priority=urgentish", "links.depends_on+=REQ-404")
    assert result.returncode == 1
    assert "not written" in result.stderr and "RK311" in result.stderr
    assert (repo / "reqs/REQ-001.yaml").read_text(encoding="utf-8") == ORIGINAL
    rejected = run(repo, "set", "REQ-001", "status=rejected")  # rejected needs decision.reason
    assert rejected.returncode == 1 and "decision.reason" in rejected.stderr
    both = run(repo, "set", "REQ-001", "status=rejected", "decision.reason=Covered by the API.")
    assert both.returncode == 0, both.stderr


def test_set_reports_an_unknown_id_and_a_bad_assignment(make, run, tmp_path):
    repo = _repo(make, tmp_path)
    missing = run(repo, "set", "REQ-01", "owner=bob")
    assert (
        missing.returncode == 2 and "REQ-01" in missing.stderr and "did you mean" in missing.stderr
    )
    bad = run(repo, "set", "REQ-001", "owner")
    assert bad.returncode == 2 and "KEY=VALUE" in bad.stderr
    rename = run(repo, "set", "REQ-001", "id=REQ-009")
    assert rename.returncode == 2 and "rename the file" in rename.stderr


def test_fmt_check_names_the_files_and_fmt_puts_keys_in_order_keeping_comments(make, run, tmp_path):
    messy = """\
# Asked for by the finance team.
tags: [reports]   # keep
description: When the user presses Export, the system shall download the report.
status: analysis
title: Export
id: REQ-003
type: functional
source:
  detail: Customer A
  channel: phone
"""
    repo = make(
        tmp_path / "r", {"reqs/area/REQ-003.yaml": messy, "reqs/REQ-001.yaml": ORIGINAL}, CONFIG
    )
    check = run(repo, "fmt", "--check")
    assert check.returncode == 1
    assert "would reformat reqs/area/REQ-003.yaml" in check.stdout
    assert (repo / "reqs/area/REQ-003.yaml").read_text(encoding="utf-8") == messy
    assert run(repo, "fmt").returncode == 0
    text = (repo / "reqs/area/REQ-003.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/requirement.schema.json\n")
    assert "# Asked for by the finance team." in text and "tags: [reports]   # keep" in text
    data = yaml.safe_load(text)
    assert list(data) == ["id", "title", "type", "status", "source", "description", "tags"]
    assert list(data["source"]) == ["channel", "detail"]
    assert run(repo, "fmt", "--check").returncode == 0
    assert run(repo, "check").returncode == 0


def test_fmt_leaves_a_file_it_cannot_parse_alone_and_says_so(make, run, tmp_path):
    repo = make(tmp_path / "r", {"reqs/REQ-001.yaml": "id: [unclosed\n"}, CONFIG)
    result = run(repo, "fmt")
    assert result.returncode == 1 and "skipped" in result.stderr
    assert (repo / "reqs/REQ-001.yaml").read_text(encoding="utf-8") == "id: [unclosed\n"
