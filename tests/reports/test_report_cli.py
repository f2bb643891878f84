"""`reqkit report` from the installed command: formats, the pinned JSON shape, charts,
and every way it cannot run (exit 2, one line)."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from report_repo import Repo, requirement

EPOCH = {"SOURCE_DATE_EPOCH": "1706745600"}  # 2024-02-01T00:00:00Z
SHAPE = {
    "schema_version": None,
    "report": {"as_of", "at", "commit", "history", "stale_days"},
    "counts": {
        "total",
        "status",
        "type",
        "priority",
        "urgency",
        "owner",
        "department",
        "release",
        "tag",
    },
    "overdue": {"id", "title", "status", "owner", "due", "days_late"},
    "stale": {"id", "title", "status", "owner", "last_change", "days"},
    "sla": {
        "limits_hours",
        "near_share",
        "compliance",
        "by_urgency",
        "breaches",
        "near_breaches",
        "details",
    },
    "evaluations": {"due", "missed"},
    "flow": {
        "lead_time",
        "cycle_time",
        "time_in_state",
        "throughput",
        "cumulative_flow",
        "shipped",
    },
    "duplicates": {"threshold", "pairs"},
}
DETAIL = {
    "id", "title", "urgency", "owner", "state", "start", "start_from", "answered",
    "limit_hours", "elapsed_hours", "over_hours", "remaining_hours",
}  # fmt: skip
HOSTILE = "Title with <script>alert(1)</script> & more"
DURATIONS = {"count", "mean_days", "median_days", "p85_days", "max_days"}


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    r = Repo(tmp_path_factory.mktemp("small") / "repo")
    late = "urgency: urgent\ndue: 2024-01-10\nowner: alice\n"
    r.commit(
        "2024-01-02T09:00:00Z",
        {"202401-001.yaml": requirement("202401-001", title=HOSTILE, extra=late)},
    )
    r.commit(
        "2024-01-03T09:00:00Z",
        {
            "202401-002.yaml": requirement(
                "202401-002", "review", title="Export the selected reports"
            )
        },
    )
    r.commit(
        "2024-01-04T09:00:00Z",
        {
            "202401-002.yaml": requirement(
                "202401-002", "development", title="Export the selected reports"
            )
        },
    )
    r.commit(
        "2024-01-08T09:00:00Z",
        {
            "202401-002.yaml": requirement(
                "202401-002", "testing", title="Export the selected reports"
            )
        },
    )
    r.commit(
        "2024-01-09T09:00:00Z",
        {
            "202401-002.yaml": requirement(
                "202401-002", "released", title="Export the selected reports"
            )
        },
    )
    return r.path


def test_json_shape_is_pinned(small: Path, run: Callable[..., Any]) -> None:
    result = run(small, "report", "--format", "json", env=EPOCH)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == set(SHAPE)
    assert data["schema_version"] == 1
    for key, fields in SHAPE.items():
        value = data[key]
        rows = value if isinstance(value, list) else [value]
        for row in rows:
            if fields is not None:
                assert set(row) == fields, key
    assert data["report"] == {
        "as_of": "2024-02-01T00:00:00Z",
        "at": None,
        "commit": data["report"]["commit"],
        "history": True,
        "stale_days": 30,
    }
    assert len(data["report"]["commit"]) == 40
    sla = data["sla"]
    assert sla["breaches"] == ["202401-001"]
    assert set(sla["details"]["202401-001"]) == DETAIL
    assert set(sla["by_urgency"]["urgent"]) == {
        "limit_hours",
        "measured",
        "met",
        "breached",
        "open",
        "compliance",
    }
    flow = data["flow"]
    assert set(flow["lead_time"]) == DURATIONS and set(flow["cycle_time"]) == DURATIONS
    assert set(flow["throughput"]) == {"weekly", "monthly"}
    assert set(flow["throughput"]["weekly"][0]) == {
        "period",
        "start",
        "shipped",
        "arrived",
        "departed",
    }
    assert set(flow["cumulative_flow"]) == {"step", "states", "points"}
    assert set(flow["cumulative_flow"]["points"][0]) == {"date", "counts"}
    assert set(flow["shipped"][0]) == {"id", "start", "shipped", "lead_days", "cycle_days"}
    assert flow["shipped"][0]["lead_days"] == 6.0  # added 01-03 09:00, released 01-09 09:00
    assert set(data["evaluations"]["missed"][0]) == {
        "id",
        "title",
        "owner",
        "released",
        "days_since",
    }
    assert data["overdue"][0]["days_late"] == 22  # due 2024-01-10, as of 2024-02-01


def test_markdown_fits_a_status_mail(small: Path, run: Callable[..., Any]) -> None:
    md = run(small, "report", env=EPOCH).stdout
    assert md.startswith("# Requirements status, 2024-02-01\n")
    assert "**2 requirements** · 1 overdue · 1 SLA breaches" in md
    for heading in (
        "## Status",
        "### Overdue (1)",
        "### SLA breaches (1)",
        "## Flow",
        "## Breakdown",
    ):
        assert f"\n{heading}\n" in md
    assert "- **Lead time:** median 6.0 d" in md
    assert "<script>" not in md and "&lt;script&gt;" in md  # safe in a PR comment


def test_html_is_one_self_contained_deterministic_page(
    small: Path, run: Callable[..., Any], tmp_path: Path
) -> None:
    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for out in (first, second):
        result = run(small, "report", "--format", "html", "-o", str(out), env=EPOCH)
        assert result.returncode == 0 and result.stdout == ""
    page = first.read_text(encoding="utf-8")
    assert first.read_bytes() == second.read_bytes()
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "<link" not in page
    svgs = page.count("<svg ")
    assert svgs == 4
    for chunk in page.split("<svg ")[1:]:
        ET.fromstring("<svg " + chunk.split("</svg>")[0] + "</svg>")  # well-formed


def test_report_outside_git_and_before_the_first_commit(
    make: Callable[..., Path], run: Callable[..., Any], tmp_path: Path
) -> None:
    files = {
        "reqs/202401-001.yaml": requirement(
            "202401-001", extra="urgency: urgent\nsource:\n  received: 2024-01-01\n"
        )
    }
    for name, git in (("plain", False), ("fresh", True)):
        folder = make(tmp_path / name, files, git=git)
        result = run(folder, "report", "--format", "json", env=EPOCH)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["report"]["history"] is False and data["report"]["commit"] is None
        assert data["counts"]["total"] == 1
        assert data["sla"]["breaches"] == ["202401-001"]  # the clock runs from `received`
        assert data["stale"] == []


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("no-such-tag", "Git ref 'no-such-tag' does not resolve"),
        ("1999-01-01", "no commit on or before"),
        ("2024-02-30", "not a valid date"),
    ],
)
def test_at_that_names_nothing_exits_2(
    small: Path, run: Callable[..., Any], at: str, message: str
) -> None:
    result = run(small, "report", "--at", at)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_shallow_clone_refuses_history_questions(
    small: Path, run: Callable[..., Any], tmp_path: Path
) -> None:
    clone = tmp_path / "shallow"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{small}", str(clone)], check=True
    )
    result = run(clone, "report")
    assert result.returncode == 2
    assert "git fetch --unshallow" in result.stderr and "fetch-depth: 0" in result.stderr


def test_bad_report_config_exits_2(
    make: Callable[..., Path], run: Callable[..., Any], tmp_path: Path
) -> None:
    folder = make(tmp_path / "bad", {"reqs/.keep": ""}, "[report]\nstale_days = 0\n")
    result = run(folder, "report")
    assert result.returncode == 2 and "report.stale_days" in result.stderr


def test_python_api_returns_the_same_figures(small: Path) -> None:
    import datetime as dt

    import reqkit

    result = reqkit.report(small, now=dt.datetime(2024, 2, 1, tzinfo=dt.UTC), cache=False)
    assert isinstance(result, reqkit.Report)
    assert [c.id for c in result.sla.breaches] == ["202401-001"]
    assert result.flow.lead_time.median_days == 6.0
    assert result.counts.status == {"analysis": 1, "released": 1}
