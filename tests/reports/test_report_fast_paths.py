"""The report's fast paths give the very report a plain run gives: its cache (file facts,
versions, pairs, n-grams), the files read by a forked process while this one reads the
history, and the near-duplicate comparisons shared out among processes."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from report_repo import Repo, requirement

import reqkit
from reqkit.api import reporting
from reqkit.outputs.report.data import report_data
from reqkit.reports import duplicates

NOW = dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC)
AREAS = ["invoices", "reports", "orders", "accounts"]
WORDS = [
    "zip",
    "file",
    "fast",
    "daily",
    "weekly",
    "monthly",
    "manager",
    "export",
    "invoice",
    "report",
    "order",
    "customer",
    "account",
    "team",
    "email",
    "download",
]


def _texts() -> dict[str, str]:
    """Thirty requirements alike to many degrees (scores from 0.6 to 1), some released, some
    urgent, a few in Chinese."""
    out = {}
    for n in range(30):
        rid = f"202401-{n + 1:03d}"
        area = AREAS[n % len(AREAS)]
        title = f"Batch export of {area} records"
        description = " ".join(WORDS[(n * 7 + k * (n % 5 + 1)) % len(WORDS)] for k in range(6))
        if n % 7 == 0:
            title, description = (
                f"报表页面支持批量导出{'一二三四五'[n % 5]}",
                "客户希望一次导出选中的多个报表。",
            )
        status = "released" if n % 5 == 0 else "analysis"
        extra = "urgency: urgent\nsource:\n  received: 2024-01-01\n" if n % 4 == 0 else ""
        out[f"{area}/{rid}.yaml"] = requirement(
            rid, status, title=title, description=description, extra=extra
        )
    return out


def _age(root: Path) -> None:
    """Files written a while ago: the cache trusts a file only by an unchanged stat that is
    not too recent (a file changed in the last two seconds may change again unseen)."""
    past = time.time() - 60
    for path in (root / "reqs").rglob("*.yaml"):
        os.utime(path, (past, past))


@pytest.fixture
def fast(monkeypatch: pytest.MonkeyPatch) -> None:
    """The forked paths from the first file on (they normally start at 2,000)."""
    monkeypatch.setattr(reporting, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(duplicates, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(duplicates, "_CHUNK", 4)


def test_cached_and_forked_reports_equal_the_plain_one(
    repo: Callable[..., Repo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: None
) -> None:
    r = repo()
    texts = _texts()
    r.commit("2024-01-02T10:00:00Z", texts)
    moved = {rel: text.replace("status: analysis", "status: review") for rel, text in texts.items()}
    r.commit("2024-01-09T10:00:00Z", dict(list(moved.items())[:9]))
    _age(r.path)
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))

    def plain() -> dict[str, Any]:
        monkeypatch.setenv("REQKIT_JOBS", "1")
        return report_data(reqkit.report(r.path, now=NOW, cache=False))

    def fast_run() -> dict[str, Any]:
        monkeypatch.setenv("REQKIT_JOBS", "2")
        return report_data(reqkit.report(r.path, now=NOW))

    expected = plain()
    scores = {p["score"] for p in expected["duplicates"]["pairs"]}
    assert len(scores) > 5 and min(scores) < 0.7, "the corpus must have near duplicates"
    assert fast_run() == expected  # cold: files read by a forked process
    parts = {p.suffix for p in (tmp_path / "cache").glob("report-*")}
    assert parts == {".files", ".versions", ".pairs", ".grams", ".flow"}
    assert fast_run() == expected  # warm: everything from the cache

    # An uncommitted edit makes a new near duplicate: one file read, pairs computed again
    # (shared out among processes) from the cached n-grams of every other text.
    edited = r.path / "reqs" / "invoices" / "202401-005.yaml"
    edited.write_text(
        requirement(
            "202401-005",
            title="Batch export of invoices records",
            description="zip file fast daily weekly email",
        ),
        encoding="utf-8",
    )
    _age(r.path)
    expected = plain()
    assert fast_run() == expected

    # A removed file and then a new commit (versions read again, files from the cache).
    (r.path / "reqs" / "orders" / "202401-003.yaml").unlink()
    _age(r.path)
    assert fast_run() == plain()
    r.commit("2024-01-20T10:00:00Z")
    assert fast_run() == plain()


def test_report_at_a_ref_is_the_same_forked_and_cached(
    repo: Callable[..., Repo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast: None
) -> None:
    r = repo()
    r.commit("2024-01-02T10:00:00Z", _texts())
    r.git("tag", "v1")
    r.commit("2024-01-09T10:00:00Z", {"reports/202401-002.yaml": requirement("202401-002")})
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REQKIT_JOBS", "1")
    expected = report_data(reqkit.report(r.path, at="v1", cache=False))
    monkeypatch.setenv("REQKIT_JOBS", "2")
    for _ in range(2):  # cold, then warm
        assert report_data(reqkit.report(r.path, at="v1")) == expected


def test_comparisons_shared_among_processes_find_the_same_pairs(fast: None) -> None:
    texts = [
        (f"R-{n:03d}", f"Export {word} records in batches {n % 4}", f"As a zip, {word}.", ())
        for n, word in enumerate(["invoice", "order", "account", "report"] * 12)
    ]
    among = {rid for rid, *_ in texts[::2]}
    one = duplicates.near_duplicates(texts, threshold=0.5, among=among, jobs=1)
    assert one, "the texts must have near duplicates"
    assert duplicates.near_duplicates(texts, threshold=0.5, among=among, jobs=2) == one


def test_summaries_equal_those_of_the_statistics_module() -> None:
    """`summarize` writes out `statistics.fmean` and `statistics.median` (to spare their
    import): the same floats for odd and even counts, ties, and long tails."""
    import random
    import statistics

    from reqkit.reports.flow import summarize

    pick = random.Random(7)
    for n in [*range(1, 40), 1000, 1001]:
        for _ in range(20):
            days = [round(pick.uniform(0, 400), pick.choice([0, 2, 6])) for _ in range(n)]
            got = summarize(days)
            assert got.count == n and got.max_days == round(max(days), 2)
            assert got.mean_days == round(statistics.fmean(days), 2)
            assert got.median_days == round(statistics.median(days), 2)


def test_a_kept_flow_is_the_flow_computed_again(
    repo: Callable[..., Repo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The flow section is kept between runs (it depends on the commits, the day and the
    lead-time starts only): each change to those gives the flow a plain run gives."""
    r = repo()
    texts = _texts()
    r.commit("2024-01-02T10:00:00Z", texts)
    shipped = {rel: t.replace("status: analysis", "status: released") for rel, t in texts.items()}
    r.commit("2024-01-09T10:00:00Z", dict(list(shipped.items())[:12]))
    r.commit("2024-02-20T10:00:00Z", dict(list(shipped.items())[12:15]))
    _age(r.path)
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("REQKIT_JOBS", "1")

    def same(now: dt.datetime) -> None:
        expected = report_data(reqkit.report(r.path, now=now, cache=False))
        assert expected["flow"]["shipped"], "the history must ship requirements"
        assert report_data(reqkit.report(r.path, now=now)) == expected  # keeps it (or not)
        assert report_data(reqkit.report(r.path, now=now)) == expected  # uses it

    same(NOW)
    kept = list((tmp_path / "cache").glob("report-*.flow"))
    assert len(kept) == 1
    same(NOW + dt.timedelta(hours=5))  # later the same day: the kept flow
    # an uncommitted status edit counts as happening now: never kept
    edited = r.path / "reqs" / "invoices" / "202401-001.yaml"
    committed = shipped["invoices/202401-001.yaml"]
    edited.write_text(committed.replace("status: released", "status: review"), encoding="utf-8")
    _age(r.path)
    same(NOW)
    edited.write_text(committed, encoding="utf-8")
    _age(r.path)
    same(NOW)
    # a lead time that starts at `source.received` now (the status as committed)
    released = r.path / "reqs" / "reports" / "202401-002.yaml"
    released.write_text(
        shipped["reports/202401-002.yaml"] + "source:\n  received: 2023-12-01\n", encoding="utf-8"
    )
    _age(r.path)
    same(NOW)
    same(NOW + dt.timedelta(days=1))  # another day: the periods and flow run on
    same(dt.datetime(2024, 2, 20, 11, tzinfo=dt.UTC))  # the day of the last commit, after it
    same(dt.datetime(2024, 2, 20, 9, tzinfo=dt.UTC))  # and before it (not kept)
    same(dt.datetime(2024, 2, 20, 12, tzinfo=dt.UTC))  # after it again
