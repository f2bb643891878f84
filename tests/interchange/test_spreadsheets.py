"""CSV and Excel in and out, from the installed command, on real files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
import yaml

CONFIG = 'ids = ["{yyyy}{mm}-{seq:03}"]\n'


def _csv(path: Path, rows: list[list[str]]) -> Path:
    out = io.StringIO(newline="")
    csv.writer(out).writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _data(repo: Path, rel: str) -> dict:
    return yaml.safe_load((repo / rel).read_text(encoding="utf-8"))


def test_import_of_the_seed_template_with_chinese_headers_and_values(make, run, tmp_path):
    sheet = _csv(
        tmp_path / "需求.csv",
        [
            [
                "需求编号",
                "需求来源",
                "提出方信息",
                "需求类型",
                "需求描述",
                "优先级",
                "紧急程度",
                "状态",
                "负责人",
                "责任部门",
                "计划完成时间",
            ],
            [
                "202405-001",
                "客户A电话反馈",
                "客户A采购部",
                "功能需求",
                "报表页面支持批量导出。用户选择多个报表后一次下载。",
                "必须有",
                "重要",
                "待分析",
                "alice",
                "产品部",
                "2024-06-30",
            ],
            [
                "202405-002",
                "销售方案",
                "销售部",
                "体验需求",
                "记住上次的筛选条件。",
                "应该有",
                "常规",
                "评审中",
                "bob",
                "设计部",
                "",
            ],
        ],
    )
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, CONFIG)
    result = run(repo, "import", str(sheet))
    assert result.returncode == 0, result.stdout + result.stderr
    data = _data(repo, "reqs/202405-001.yaml")
    assert (
        data["type"] == "functional"
        and data["priority"] == "must"
        and data["urgency"] == "important"
    )
    assert data["status"] == "analysis" and data["department"] == "产品部"
    assert data["source"] == {"detail": "客户A电话反馈", "requester": "客户A采购部"}
    assert data["title"] == "报表页面支持批量导出。"[:-1]  # the first sentence of the description
    assert data["due"] == dt.date(2024, 6, 30)
    assert _data(repo, "reqs/202405-002.yaml")["status"] == "review"
    assert "default title: the first sentence of the description (2×)" in result.stdout
    assert run(repo, "check").returncode == 0


def test_bad_rows_are_reported_by_row_number_and_rows_linking_to_them_too(make, run, tmp_path):
    sheet = _csv(
        tmp_path / "in.csv",
        [
            ["id", "title", "type", "status", "description", "links.parent"],
            ["202405-001", "Good", "functional", "analysis", "When X, the system shall Y.", ""],
            ["202405-002", "Bad type", "feature", "analysis", "When X, the system shall Y.", ""],
            [
                "202405-003",
                "Child of bad",
                "functional",
                "analysis",
                "When X, the system shall Y.",
                "202405-002",
            ],
            [
                "202405-004",
                "Grandchild",
                "functional",
                "analysis",
                "When X, the system shall Y.",
                "202405-003",
            ],
            [
                "202405-005",
                "Child of good",
                "bug",
                "analysis",
                "When X, the system shall Y.",
                "202405-001",
            ],
            ["202405-006", "No description", "bug", "analysis", "", ""],
        ],
    )
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, CONFIG)
    dry = run(repo, "import", str(sheet), "--dry-run")
    assert dry.returncode == 1
    assert sorted(p.name for p in (repo / "reqs").iterdir()) == [
        ".keep"
    ]  # a dry run writes nothing
    assert "create reqs/202405-001.yaml (row 2)" in dry.stdout
    result = run(repo, "import", str(sheet))
    assert result.returncode == 1
    err = result.stderr
    assert "in.csv: row 3: " in err and "feature" in err
    assert "in.csv: row 4: links to row 3, which is not imported" in err
    assert "in.csv: row 5: links to row 4, which is not imported" in err
    assert "in.csv: row 7: " in err and "description" in err
    written = sorted(p.name for p in (repo / "reqs").glob("*.yaml"))
    assert written == ["202405-001.yaml", "202405-005.yaml"]
    assert run(repo, "check").returncode == 0


def test_import_never_overwrites_without_update_and_update_keeps_comments(make, run, tmp_path):
    existing = "# keep me\nid: 202405-001\ntitle: Old\ntype: functional  # and me\nstatus: analysis\ndescription: When X, the system shall Y.\n"
    repo = make(tmp_path / "r", {"reqs/202405-001.yaml": existing}, CONFIG)
    sheet = _csv(tmp_path / "in.csv", [["id", "title"], ["202405-001", "New title"]])
    refused = run(repo, "import", str(sheet))
    assert (
        refused.returncode == 1
        and "row 2: 202405-001 exists (reqs/202405-001.yaml); --update" in refused.stderr
    )
    assert (repo / "reqs/202405-001.yaml").read_text(encoding="utf-8") == existing
    updated = run(repo, "import", str(sheet), "--update")
    assert updated.returncode == 0, updated.stderr
    text = (repo / "reqs/202405-001.yaml").read_text(encoding="utf-8")
    assert text == existing.replace("title: Old", "title: New title")


def test_map_renames_columns_and_values_and_unknown_columns_become_custom_fields(
    make, run, tmp_path
):
    sheet = _csv(
        tmp_path / "jira.csv",
        [
            ["Issue key", "Summary", "Description", "Priority", "Story Points", "Reporter"],
            [
                "PROJ-7",
                "Login with SSO",
                "When a user signs in, the system shall offer SSO.",
                "High",
                "5",
                "ann",
            ],
        ],
    )
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, CONFIG)
    result = run(
        repo,
        "import",
        str(sheet),
        "--map",
        "Issue key=id",
        "--map",
        "Summary=title",
        "--map",
        "priority:High=must",
        "--map",
        "Reporter=-",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "config reqkit.toml: ids += PROJ-{seq:01}" in result.stdout
    assert "column 'Story Points' becomes the custom field story_points" in result.stdout
    data = _data(repo, "reqs/PROJ-7.yaml")
    assert data["title"] == "Login with SSO" and data["priority"] == "must"
    assert data["story_points"] == "5" and "reporter" not in data
    toml = (repo / "reqkit.toml").read_text(encoding="utf-8")
    assert (
        'ids = ["{yyyy}{mm}-{seq:03}", "PROJ-{seq:01}"]' in toml
        and 'story_points = { type = "string" }' in toml
    )
    assert run(repo, "check").returncode == 0


def test_excel_typed_cells_are_read_as_the_text_the_user_saw(make, run, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["id", "title", "type", "description", "release", "due", "created"])
    sheet.append(
        [
            "202405-001",
            "Typed",
            "bug",
            "When X, the system shall Y.",
            1.1,
            dt.datetime(2024, 6, 30),
            dt.date(2024, 5, 6),
        ]
    )
    sheet["E2"].number_format = "0.00"
    sheet.append(["202405-002", "General", "bug", "When X, the system shall Y.", 2, None, None])
    path = tmp_path / "typed.xlsx"
    book.save(path)
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, CONFIG)
    result = run(repo, "import", str(path))
    assert result.returncode == 0, result.stdout + result.stderr
    first = _data(repo, "reqs/202405-001.yaml")
    assert first["release"] == "1.10" and first["due"] == dt.date(2024, 6, 30)
    assert first["created"] == dt.date(2024, 5, 6)
    assert _data(repo, "reqs/202405-002.yaml")["release"] == "2"
    assert run(repo, "check").returncode == 0


FORMULAS = """\
id: 202405-001
title: =HYPERLINK("http://evil.example","click")
type: functional
status: analysis
description: "+1 shall not be computed"
rationale: "@SUM(A1)"
acceptance:
  - "-2 stays text"
tags: ["'quoted"]
owner: "'=already"
"""


def test_export_neutralises_formulas_and_import_gives_the_text_back(make, run, tmp_path):
    repo = make(tmp_path / "r", {"reqs/202405-001.yaml": FORMULAS}, CONFIG)
    assert run(repo, "check").returncode == 0
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"out.{fmt}"
        assert run(repo, "export", "--format", fmt, "-o", str(out)).returncode == 0
        if fmt == "csv":
            cells = [
                c
                for row in csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig")))
                for c in row
            ]
        else:
            cells = [c.value for row in openpyxl.load_workbook(out).active.iter_rows() for c in row]
            assert all(
                c.data_type == "s"
                for row in openpyxl.load_workbook(out).active.iter_rows()
                for c in row
            )
        assert not any(isinstance(c, str) and c[:1] in "=+-@" for c in cells), cells
        other = make(tmp_path / f"back-{fmt}", {"reqs/.keep": ""}, CONFIG)
        assert run(other, "import", str(out)).returncode == 0
        assert _data(other, "reqs/202405-001.yaml") == yaml.safe_load(FORMULAS)


def test_excel_export_has_frozen_filtered_headers_sensible_widths_and_chinese_headers(
    make, run, tmp_path
):
    text = FORMULAS.replace(
        'title: =HYPERLINK("http://evil.example","click")', "title: 批量导出报表并保留中文文件名"
    )
    repo = make(tmp_path / "r", {"reqs/202405-001.yaml": text}, CONFIG)
    out = tmp_path / "zh.xlsx"
    assert (
        run(repo, "export", "--format", "xlsx", "--headers", "zh", "-o", str(out)).returncode == 0
    )
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:2] == ["需求编号", "需求标题"] and "需求描述" in header and "状态" in header
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref.startswith("A1:")
    assert all(c.font.bold for c in sheet[1])
    assert 20 < sheet.column_dimensions["B"].width <= 60  # 14 Han characters count double
    again = tmp_path / "zh2.xlsx"
    run(repo, "export", "--format", "xlsx", "--headers", "zh", "-o", str(again))
    assert again.read_bytes() == out.read_bytes()  # deterministic
    back = make(tmp_path / "back", {"reqs/.keep": ""}, CONFIG)
    assert run(back, "import", str(out)).returncode == 0
    assert _data(back, "reqs/202405-001.yaml") == yaml.safe_load(text)


def test_export_json_is_a_list_sorted_by_id_with_fields_as_in_the_files(make, run, tmp_path):
    files = {
        "reqs/b/202405-002.yaml": FORMULAS.replace("202405-001", "202405-002"),
        "reqs/a/202405-001.yaml": FORMULAS + "due: 2024-06-30\n",
    }
    repo = make(tmp_path / "r", files, CONFIG)
    result = run(repo, "export", "--format", "json")
    assert result.returncode == 0
    doc = json.loads(result.stdout)
    assert [d["id"] for d in doc] == ["202405-001", "202405-002"]
    assert doc[0]["due"] == "2024-06-30" and doc[0]["tags"] == ["'quoted"]


def test_into_writes_new_files_to_a_folder_inside_the_requirements_folder(make, run, tmp_path):
    sheet = _csv(
        tmp_path / "in.csv", [["title", "description"], ["Area one", "When X, the system shall Y."]]
    )
    repo = make(tmp_path / "r", {"reqs/.keep": ""}, 'ids = ["A-{seq:02}"]\n')
    outside = run(repo, "import", str(sheet), "--into", "elsewhere")
    assert outside.returncode == 2 and "inside the requirements folder" in outside.stderr
    result = run(repo, "import", str(sheet), "--into", "reqs/area")
    assert result.returncode == 0, result.stderr
    data = _data(repo, "reqs/area/A-01.yaml")
    assert data["title"] == "Area one" and data["type"] == "other"
    assert (
        (repo / "reqs/area/A-01.yaml")
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=../../schema/requirement.schema.json")
    )
