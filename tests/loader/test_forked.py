"""A cold check on every core says exactly what one process says.

Above 2,000 files the work is shared by forked processes (reqkit/loader/forked.py); the
diagnostics must not depend on how many there are, on which process checked which file,
or on a child dying half-way.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from reqkit.loader.forked import jobs_for, map_forked

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux only")

BROKEN = {
    "dup": "id: {dup}\ntitle: Copy\ntype: bug\nstatus: analysis\ndescription: x\n",
    "yaml": "id: {id}\ntitle: [unclosed\n",
    "lint": (
        "id: {id}\ntitle: Fast export, TBD\ntype: bug\nstatus: analysis\n"
        "description: The page should load fast etc. and shall be shown.\n"
        "links:\n  parent: [209901-404]\n"
    ),
    "schema": "id: {id}\ntitle: x\ntype: bugg\nstatus: no\ndescription: x\nrelease: 1.10\n",
}


@pytest.fixture(scope="module")
def big_repo(
    tmp_path_factory: pytest.TempPathFactory, generate_repo: Callable[[Path, int], None]
) -> Path:
    """2,100 generated files (clean), every 50th replaced by one with findings."""
    root = tmp_path_factory.mktemp("forked") / "repo"
    generate_repo(root, 2100)
    files = sorted((root / "reqs").rglob("*.yaml"))
    kinds = list(BROKEN)
    for n, path in enumerate(files[::50]):
        text = BROKEN[kinds[n % len(kinds)]]
        path.write_text(text.format(id=path.stem, dup=files[0].stem), encoding="utf-8")
    return root


def _json(run: Callable[..., Any], repo: Path, jobs: str, *, cache: bool = False) -> Any:
    env: dict[str, str | None] = {"REQKIT_JOBS": jobs}
    if not cache:
        env["REQKIT_NO_CACHE"] = "1"
    result = run(repo, "check", "--format", "json", env=env)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


@linux_only
def test_every_number_of_processes_gives_the_same_diagnostics(
    big_repo: Path, run: Callable[..., Any]
) -> None:
    one = _json(run, big_repo, "1")
    codes = {d["code"] for d in one["diagnostics"]}
    assert {"RK001", "RK103", "RK201", "RK204", "RK304", "RK311"} <= codes
    assert one["summary"]["files"] == 2100
    for jobs in ("2", "3"):
        assert _json(run, big_repo, jobs) == one, jobs


@linux_only
def test_forked_cold_run_fills_the_cache_like_a_single_process(
    big_repo: Path, run: Callable[..., Any], age_files_fn: Callable[..., None]
) -> None:
    age_files_fn(big_repo)  # the cache trusts only files older than 2 s
    one = _json(run, big_repo, "1")
    assert _json(run, big_repo, "2", cache=True) == one  # cold, forked, fills the cache
    assert _json(run, big_repo, "2", cache=True) == one  # warm, from the cache


@linux_only
def test_chunks_come_back_in_order_even_when_a_child_dies() -> None:
    parent = os.getpid()

    def work(chunk: int) -> int:
        if os.getpid() != parent and chunk % 3 == 0:
            os._exit(9)  # a child killed half-way: its chunks are redone here
        return chunk * chunk

    chunks = list(range(40))
    assert map_forked(work, chunks, 3) == [c * c for c in chunks]


@linux_only
def test_more_chunks_than_one_queue_holds_are_all_done_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import reqkit.loader.forked as forked

    monkeypatch.setattr(forked, "_QUEUE_MAX", 7)  # 50 chunks: eight rounds of forks
    parent = os.getpid()

    def work(chunk: int) -> tuple[int, int]:
        time.sleep(0.01)  # slow enough that both processes take some
        return chunk, os.getpid()

    done = map_forked(work, list(range(50)), 2)
    assert [c for c, _ in done] == list(range(50))
    assert {pid for _, pid in done} - {parent}  # children did some of the work


def test_one_job_never_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    parent = os.getpid()
    monkeypatch.setenv("REQKIT_JOBS", "1")
    jobs = jobs_for(10_000, at_least=2000)
    assert jobs == 1
    assert map_forked(lambda c: os.getpid(), [1, 2, 3], jobs) == [parent] * 3
    monkeypatch.delenv("REQKIT_JOBS")
    assert jobs_for(10, at_least=2000) == 1


@pytest.mark.parametrize("count", [0, 1, 7, 255, 256, 257, 511, 512, 513, 1000, 2049])
@pytest.mark.parametrize("taper", [False, True])
def test_chunks_cover_every_item_once_in_order(count: int, taper: bool) -> None:
    from reqkit.loader.forked import chunked

    items = list(range(count))
    chunks = chunked(items, 256, taper=taper)
    assert [i for c in chunks for i in c] == items
    assert all(0 < len(c) <= 256 for c in chunks)
    if taper and count >= 512:
        assert all(len(c) == 32 for c in chunks[-16:])  # the last 512 in runs of 32


@linux_only
def test_results_larger_than_any_pipe_arrive_whole() -> None:
    """Children send each chunk's result as it is done; 20 MB must neither block nor tear."""

    def work(chunk: int) -> bytes:
        time.sleep(0.002)
        return bytes([chunk % 256]) * 100_000

    chunks = list(range(200))
    assert map_forked(work, chunks, 3) == [work(c) for c in chunks]


@linux_only
def test_a_result_a_child_cannot_send_is_computed_here() -> None:
    parent = os.getpid()

    def work(chunk: int) -> Any:
        time.sleep(0.005)
        if os.getpid() != parent and chunk % 4 == 1:
            return lambda: chunk  # cannot be pickled: the child stops sending there
        return chunk * 2

    chunks = list(range(30))
    assert map_forked(work, chunks, 2) == [c * 2 for c in chunks]
