"""Report figures on a repository with scripted history, against hand-computed values.

The story (all times UTC), reported `--at 2024-01-16` (as of 2024-01-16T23:59:59Z):

| commit            | what happens                                                        |
|-------------------|---------------------------------------------------------------------|
| 2024-01-01 09:00  | A (urgent, received 2024-01-01) and B (important, due 01-12) added   |
| 2024-01-01 20:00  | A → review: answered 20 h after 00:00, inside 24 h                  |
| 2024-01-03 12:00  | A → development                                                     |
| 2024-01-10 09:00  | A → testing; B → review: answered 9 days after it was added (late)  |
| 2024-01-11 08:00  | E added (important, received 2024-01-11): 144 h open by the end     |
| 2024-01-15 12:00  | A → released: lead time 14.5 d, cycle time 12.0 d                   |
| 2024-01-15 10:00+ | D added (urgent, received 2024-01-15): 48 h open by the end         |
| 2024-01-16 12:00  | C added (routine, no SLA)                                           |
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from report_repo import Repo, requirement

A, B, C, D, E = (f"202401-00{n}" for n in range(1, 6))
A_META = (
    'priority: must\nurgency: urgent\nowner: alice\ndepartment: product\nrelease: "1.0"\n'
    "tags: [export, reports]\nsource:\n  channel: phone\n  received: 2024-01-01\n"
)
TEXT = {
    A: ("Batch export on the report page", "Export the selected reports as one archive."),
    B: ("Login with single sign-on", "Employees sign in with the company directory account."),
    C: ("Dark mode for the dashboard", "A darker colour scheme for evening work."),
    D: ("Invoice totals rounded wrongly", "Totals on invoices differ by one cent from the sum."),
    E: ("Audit log retention of 400 days", "Keep audit entries for 400 days for the auditors."),
}


def req(rid: str, status: str, extra: str = "") -> str:
    title, description = TEXT[rid]
    return requirement(rid, status, title=title, description=description, extra=extra)


def build(repo: Repo) -> Repo:
    b_meta = "urgency: important\nowner: bob\ndue: 2024-01-12\n"
    repo.commit(
        "2024-01-01T09:00:00Z",
        {f"{A}.yaml": req(A, "analysis", A_META), f"{B}.yaml": req(B, "analysis", b_meta)},
    )
    repo.commit("2024-01-01T20:00:00Z", {f"{A}.yaml": req(A, "review", A_META)})
    repo.commit("2024-01-03T12:00:00Z", {f"{A}.yaml": req(A, "development", A_META)})
    repo.commit(
        "2024-01-10T09:00:00Z",
        {f"{A}.yaml": req(A, "testing", A_META), f"{B}.yaml": req(B, "review", b_meta)},
    )
    e_meta = "urgency: important\nsource:\n  received: 2024-01-11\n"
    repo.commit("2024-01-11T08:00:00Z", {f"{E}.yaml": req(E, "analysis", e_meta)})
    repo.commit("2024-01-15T12:00:00Z", {f"{A}.yaml": req(A, "released", A_META)})
    d_meta = "urgency: urgent\nsource:\n  received: 2024-01-15\n"
    repo.commit("2024-01-15T13:00:00Z", {f"{D}.yaml": req(D, "analysis", d_meta)})
    repo.commit("2024-01-16T12:00:00Z", {f"{C}.yaml": req(C, "analysis", "urgency: routine\n")})
    repo.git("tag", "v1")
    return repo


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(Repo(tmp_path_factory.mktemp("story") / "repo")).path


def report(run: Callable[..., Any], path: Path, *args: str) -> dict[str, Any]:
    result = run(path, "report", "--format", "json", *args)
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def days(hours: float) -> float:
    return round(hours / 24, 2)


def test_sla_breaches_near_breaches_and_compliance(story: Path, run: Callable[..., Any]) -> None:
    sla = report(run, story, "--at", "2024-01-16")["sla"]
    assert sla["limits_hours"] == {"urgent": 24.0, "important": 168.0}
    # B answered after 216 h (48 h over), D open for 48 h (24 h over): most over first.
    assert sla["breaches"] == [B, D]
    assert sla["near_breaches"] == [E]
    b, d, e = (sla["details"][k] for k in (B, D, E))
    assert (b["state"], b["start_from"], b["start"]) == ("late", "added", "2024-01-01T09:00:00Z")
    assert (b["answered"], b["elapsed_hours"], b["over_hours"]) == (
        "2024-01-10T09:00:00Z",
        216.0,
        48.0,
    )
    assert (d["state"], d["start"], d["answered"]) == ("overdue", "2024-01-15T00:00:00Z", None)
    assert d["elapsed_hours"] == 48.0
    assert (e["state"], e["elapsed_hours"], e["remaining_hours"]) == ("open", 144.0, 24.0)
    assert sla["by_urgency"]["urgent"] == {
        "limit_hours": 24.0, "measured": 2, "met": 1, "breached": 1, "open": 0, "compliance": 0.5,
    }  # fmt: skip
    assert sla["by_urgency"]["important"] == {
        "limit_hours": 168.0, "measured": 2, "met": 0, "breached": 1, "open": 1, "compliance": 0.0,
    }  # fmt: skip
    assert sla["compliance"] == round(1 / 3, 4)


def test_sla_before_an_answer_counts_the_open_clock(story: Path, run: Callable[..., Any]) -> None:
    """At the end of 2024-01-05, B (added 01-01 09:00) has been open 110.99 h of its 168."""
    sla = report(run, story, "--at", "2024-01-05")["sla"]
    assert sla["breaches"] == []
    assert sla["by_urgency"]["important"]["open"] == 1
    assert sla["near_breaches"] == []  # 111 h < 80 % of 168 h (134.4 h)
    assert report(run, story, "--at", "2024-01-06")["sla"]["near_breaches"] == [B]


def test_lead_time_cycle_time_and_time_in_state(story: Path, run: Callable[..., Any]) -> None:
    flow = report(run, story, "--at", "2024-01-16")["flow"]
    assert flow["shipped"] == [
        {
            "id": A,
            "start": "2024-01-01T00:00:00Z",  # source.received
            "shipped": "2024-01-15T12:00:00Z",
            "lead_days": 14.5,
            "cycle_days": 12.0,  # development from 2024-01-03 12:00
        }
    ]
    assert flow["lead_time"]["median_days"] == 14.5 and flow["lead_time"]["count"] == 1
    assert flow["cycle_time"]["median_days"] == 12.0
    stays = flow["time_in_state"]
    # analysis: A 11 h, B 216 h; review: A 40 h (B still there); development 165 h; testing 123 h
    assert stays["analysis"]["count"] == 2
    assert stays["analysis"]["median_days"] == days((11 + 216) / 2)
    assert stays["analysis"]["max_days"] == 9.0
    assert stays["review"]["count"] == 1 and stays["review"]["median_days"] == days(40)
    assert stays["development"]["median_days"] == days(165)
    assert stays["testing"]["median_days"] == days(123)
    assert list(stays) == ["analysis", "review", "development", "testing"]


def test_throughput_arrivals_and_departures(story: Path, run: Callable[..., Any]) -> None:
    throughput = report(run, story, "--at", "2024-01-16")["flow"]["throughput"]
    weekly = [
        (p["period"], p["shipped"], p["arrived"], p["departed"]) for p in throughput["weekly"]
    ]
    assert weekly == [("2024-W01", 0, 2, 0), ("2024-W02", 0, 1, 0), ("2024-W03", 1, 2, 1)]
    assert throughput["weekly"][0]["start"] == "2024-01-01"
    monthly = throughput["monthly"]
    assert [(p["period"], p["shipped"], p["arrived"], p["departed"]) for p in monthly] == [
        ("2024-01", 1, 5, 1)
    ]


def test_cumulative_flow_counts_each_state_at_the_end_of_each_day(
    story: Path, run: Callable[..., Any]
) -> None:
    cfd = report(run, story, "--at", "2024-01-16")["flow"]["cumulative_flow"]
    assert cfd["step"] == "day"
    assert cfd["states"] == ["analysis", "review", "development", "testing", "released"]
    points = {p["date"]: p["counts"] for p in cfd["points"]}
    assert len(points) == 16
    assert points["2024-01-01"] == {
        "analysis": 1,
        "review": 1,
        "development": 0,
        "testing": 0,
        "released": 0,
    }
    assert points["2024-01-10"] == {
        "analysis": 0,
        "review": 1,
        "development": 0,
        "testing": 1,
        "released": 0,
    }
    assert points["2024-01-16"] == {
        "analysis": 3,
        "review": 1,
        "development": 0,
        "testing": 0,
        "released": 1,
    }


def test_overdue_stale_and_counts(story: Path, run: Callable[..., Any]) -> None:
    data = report(run, story, "--at", "2024-01-16", "--stale-days", "5")
    assert data["overdue"] == [
        {
            "id": B,
            "title": TEXT[B][0],
            "status": "review",
            "owner": "bob",
            "due": "2024-01-12",
            "days_late": 4,
        }
    ]
    # B last changed 01-10 09:00 (6.6 days), E 01-11 08:00 (5.7 days); A is released.
    assert [(r["id"], r["days"]) for r in data["stale"]] == [(B, 6), (E, 5)]
    counts = data["counts"]
    assert counts["total"] == 5
    assert counts["status"] == {"analysis": 3, "review": 1, "released": 1}
    assert counts["urgency"] == {"urgent": 2, "important": 2, "routine": 1}
    assert counts["owner"] == {"alice": 1, "bob": 1, "(none)": 3}
    assert counts["tag"] == {"export": 1, "reports": 1, "(none)": 4}
    assert counts["release"] == {"1.0": 1, "(none)": 4}
    assert counts["priority"] == {"must": 1, "(none)": 4}


def test_evaluation_due_one_to_two_weeks_after_release(
    story: Path, run: Callable[..., Any]
) -> None:
    early = report(run, story, "--at", "2024-01-20")["evaluations"]
    assert early == {"due": [], "missed": []}  # 5 days after release
    due = report(run, story, "--at", "2024-01-25")["evaluations"]
    assert [(r["id"], r["days_since"], r["released"]) for r in due["due"]] == [
        (A, 10, "2024-01-15T12:00:00Z")
    ]
    late = report(run, story, "--at", "2024-02-05")["evaluations"]
    assert late["due"] == [] and [r["id"] for r in late["missed"]] == [A]


def test_at_a_tag_and_at_a_date_before_changes(story: Path, run: Callable[..., Any]) -> None:
    tagged = report(run, story, "--at", "v1")
    assert tagged["report"]["at"] == "v1"
    assert tagged["report"]["as_of"] == "2024-01-16T12:00:00Z"  # the tag's commit date
    assert tagged["counts"]["total"] == 5
    early = report(run, story, "--at", "2024-01-02")
    assert early["counts"]["status"] == {"analysis": 1, "review": 1}
    assert early["report"]["as_of"] == "2024-01-02T23:59:59Z"
    assert early["report"]["commit"] != tagged["report"]["commit"]


def test_working_tree_changes_count_as_now(
    story: Path, run: Callable[..., Any], tmp_path: Path
) -> None:
    """Uncommitted: D answered now, the clock stops now (SOURCE_DATE_EPOCH fixes now)."""
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(story, copy)
    target = copy / "reqs" / f"{D}.yaml"
    target.write_text(target.read_text().replace("status: analysis", "status: review"))
    env = {"SOURCE_DATE_EPOCH": "1705406400"}  # 2024-01-16T12:00:00Z
    result = run(copy, "report", "--format", "json", env=env)
    data = json.loads(result.stdout)
    assert data["report"]["at"] is None and data["report"]["as_of"] == "2024-01-16T12:00:00Z"
    assert data["sla"]["details"][D]["answered"] == "2024-01-16T12:00:00Z"
    assert data["sla"]["details"][D]["elapsed_hours"] == 36.0
    assert data["counts"]["status"]["review"] == 2
