"""Near-duplicates: listed by `report` with a score, and warned about by `check --base`
when a requirement new in the change closely matches an existing one (RK320)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from report_repo import Repo, requirement

EXPORT = (
    "Batch export on the report page",
    "Customers want to export the selected reports in one step.",
)
EXPORT_AGAIN = (
    "Batch export on the reports page",
    "Customers want to export the selected reports in one step, as a zip.",
)
ZH = ("报表页面支持批量导出", "客户希望一次导出选中的多个报表，节省时间。")
ZH_AGAIN = ("报表页支持批量导出", "客户希望一次性导出所选的多个报表，以节省时间。")
UNRELATED = [
    ("Login with single sign-on", "Employees sign in with the company directory account."),
    ("Dark mode for the dashboard", "A darker colour scheme for evening work at the desk."),
    ("Invoice totals rounded wrongly", "Totals on invoices differ by one cent from the sum."),
    ("登录页面支持单点登录", "员工希望使用公司目录账号登录系统。"),
    ("审计日志保留四百天", "审计人员要求日志条目保存四百天。"),
]


def files(texts: dict[str, tuple[str, str]], extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        f"{rid}.yaml": requirement(rid, title=t, description=d, extra=(extra or {}).get(rid, ""))
        for rid, (t, d) in texts.items()
    }


def corpus() -> dict[str, tuple[str, str]]:
    texts = {f"202402-0{10 + k}": t for k, t in enumerate(UNRELATED)}
    texts["202402-001"] = EXPORT
    texts["202402-002"] = ZH
    return texts


def test_report_lists_near_duplicates_in_english_and_chinese_with_a_score(
    repo: Callable[..., Repo], run: Callable[..., Any]
) -> None:
    r = repo()
    texts = corpus() | {"202402-003": EXPORT_AGAIN, "202402-004": ZH_AGAIN}
    shipped = ("Printable packing slips", "Warehouse staff print one packing slip per parcel.")
    done = {  # two finished requirements alike: history, nothing to act on, not listed
        f"202402-03{k}.yaml": requirement(
            f"202402-03{k}", "released", title=shipped[0], description=shipped[1]
        )
        for k in (1, 2)
    }
    r.commit("2024-02-01T10:00:00Z", files(texts) | done)
    data = json.loads(run(r.path, "report", "--format", "json").stdout)["duplicates"]
    assert data["threshold"] == 0.6
    found = {(p["a"], p["b"]): p["score"] for p in data["pairs"]}
    assert set(found) == {("202402-001", "202402-003"), ("202402-002", "202402-004")}
    assert all(0.6 <= s <= 1 for s in found.values())
    assert found[("202402-001", "202402-003")] > found[("202402-002", "202402-004")]
    md = run(r.path, "report").stdout
    assert "## Near-duplicates (2)" in md
    assert (
        "| 202402-001 Batch export on the report page | 202402-003 Batch export on the reports page |"
        in md
    )


def test_acknowledged_duplicates_and_threshold_from_config(
    repo: Callable[..., Repo], run: Callable[..., Any]
) -> None:
    r = repo(config="[report]\nnear_duplicate = 0.99\n")
    texts = corpus() | {"202402-003": EXPORT_AGAIN, "202402-005": EXPORT, "202402-006": EXPORT}
    r.commit(
        "2024-02-01T10:00:00Z",
        files(texts, {"202402-005": "links:\n  duplicates: [202402-001]\n"}),
    )
    data = json.loads(run(r.path, "report", "--format", "json").stdout)["duplicates"]
    assert data["threshold"] == 0.99
    # 003 is similar but below 0.99; 001 = 005 is acknowledged; 006 equals both.
    pairs = [(p["a"], p["b"], p["score"]) for p in data["pairs"]]
    assert pairs == [("202402-001", "202402-006", 1.0), ("202402-005", "202402-006", 1.0)]


def test_check_base_warns_when_a_new_requirement_matches_an_existing_one(
    repo: Callable[..., Repo], run: Callable[..., Any]
) -> None:
    r = repo()
    r.commit("2024-02-01T10:00:00Z", files(corpus()))
    r.git("checkout", "-q", "-b", "feature")
    r.write(
        files(
            {
                "202402-003": EXPORT_AGAIN,
                "202402-004": ZH_AGAIN,
                "202402-020": (
                    "Offline maps for the field team",
                    "Technicians need the site maps without a network.",
                ),
            }
        )
    )
    result = run(r.path, "check", "--base", "main", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr  # warnings only
    found = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "RK320"]
    assert [(d["requirement"], d["severity"], d["line"]) for d in found] == [
        ("202402-003", "warning", 2),
        ("202402-004", "warning", 2),
    ]
    assert "202402-001" in found[0]["message"] and "202402-002" in found[1]["message"]
    # Plain check never reads history, so never says it.
    assert "RK320" not in run(r.path, "check").stdout


def test_check_base_is_quiet_when_acknowledged_or_turned_off(
    repo: Callable[..., Repo], run: Callable[..., Any]
) -> None:
    r = repo()
    r.commit("2024-02-01T10:00:00Z", files(corpus()))
    r.git("checkout", "-q", "-b", "feature")
    r.write(
        files({"202402-003": EXPORT_AGAIN}, {"202402-003": "links:\n  duplicates: [202402-001]\n"})
    )
    result = run(r.path, "check", "--base", "main")
    assert "RK320" not in result.stdout, result.stdout
    r.write(files({"202402-003": EXPORT_AGAIN}))
    assert "RK320" in run(r.path, "check", "--base", "main").stdout
    (r.path / "reqkit.toml").write_text('[rules]\nnear-duplicate = "off"\n')
    assert "RK320" not in run(r.path, "check", "--base", "main").stdout
