"""The per-version summary: the line scanner agrees with the YAML reader, and defers to
it whenever it is unsure; refs and snapshots; the incremental log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from history_repo import GitRepo, requirement

from reqkit.config import load_config
from reqkit.git.history import load_history
from reqkit.git.quick import blocks_of, quick_fields
from reqkit.git.refs import commit_at, commit_date, has_history, snapshot_at
from reqkit.git.snapshot import summarize
from reqkit.loader.files import parse_bytes

ROOT = Path(__file__).resolve().parents[2]
TRICKY = {
    "quoted": "id: \"R-1\"\ntitle: 'It''s quoted'\ntype: bug\nstatus: review\ndescription: x\n",
    "flow links": "id: R-2\ntitle: T\nstatus: analysis\ndescription: d\nlinks:\n  parent: [R-1, 'R-3']\n",
    "block links": "id: R-2\ntitle: T\ndescription: d\nlinks:\n  depends_on:\n    - R-1 # why\n    - R-4\n",
    "comment": "# head\n---\nid: R-5 # the id\ntitle: Plain\ndescription: |\n  a: b\n",
    "source": "id: R-6\ntitle: T\ndescription: d\nsource:\n  channel: phone\n  detail: Customer call\n",
}
UNSURE = {
    "escapes": 'id: R-1\ntitle: "tab\\there"\ndescription: d\n',
    "block title": "id: R-1\ntitle: >-\n  folded\n  title\ndescription: d\n",
    "anchor": "id: R-1\ntitle: &t Plain\ndescription: *t\n",
    "flow map": "{id: R-1, title: T}\n",
    "duplicate": "id: R-1\nid: R-2\ntitle: T\n",
    "mapping value": "id: R-1\ntitle: a: b\ndescription: d\n",
}


def _expected(raw: bytes) -> tuple[Any, ...]:
    data = parse_bytes(raw).data or {}
    links = [
        (k, t)
        for k in ("parent", "depends_on", "conflicts_with", "duplicates")
        for t in (data.get("links") or {}).get(k) or []
    ]
    src = data.get("source") or {}
    text = [
        v if isinstance(v, str) else None for v in (data.get(k) for k in ("id", "status", "title"))
    ]
    return (*text, tuple(links), data.get("type"), src.get("requester") or src.get("detail"))


@pytest.mark.parametrize("name", sorted(TRICKY))
def test_scanner_reads_what_the_parser_reads(name: str) -> None:
    raw = TRICKY[name].encode()
    blocks = blocks_of(raw.decode())
    assert blocks is not None and quick_fields(blocks) is not None, name
    got = summarize(raw)
    assert (*got[:3], *got[4:]) == _expected(raw)


@pytest.mark.parametrize("name", sorted(UNSURE))
def test_scanner_defers_when_unsure(name: str) -> None:
    raw = UNSURE[name].encode()
    blocks = blocks_of(raw.decode())
    assert blocks is None or quick_fields(blocks) is None, name
    got = summarize(raw)
    if parse_bytes(raw).data is not None:
        assert (*got[:3], *got[4:]) == _expected(raw)


def test_scanner_agrees_on_every_file_of_this_repository() -> None:
    files = [*ROOT.glob("reqs/**/*.yaml"), *ROOT.glob("reqkit/edit/templates/reqs/*.yaml")]
    assert len(files) > 30
    for path in files:
        raw = path.read_bytes()
        got = summarize(raw)
        assert (*got[:3], *got[4:]) == _expected(raw), path


def test_meaning_ignores_other_fields_but_not_rewording() -> None:
    base = requirement("R-1")
    assert summarize(base.encode())[3] == summarize((base + "owner: bob\n").encode())[3]
    assert summarize(base.encode())[3] == summarize(base.replace("analysis", "review").encode())[3]
    assert summarize(base.encode())[3] != summarize(base.replace("panel", "screen").encode())[3]


def test_refs_snapshots_and_dates(git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    config = load_config(repo.path)
    assert not has_history(config)
    first = repo.commit("one", {"reqs/R-1.yaml": requirement("R-1")})
    second = repo.commit("two", {"reqs/R-2.yaml": requirement("R-2")})
    assert has_history(config)
    when = commit_date(config, first)
    assert when.tzinfo is not None
    assert commit_at(config, when) == first
    assert commit_at(config, when + dt.timedelta(days=9)) == second
    assert commit_at(config, when - dt.timedelta(days=9)) is None
    assert sorted(e.known_id for e in snapshot_at(config, first).entries) == ["R-1"]
    assert snapshot_at(config, "HEAD").by_id["R-2"].data["status"] == "analysis"  # type: ignore[index]


def test_a_later_tip_extends_the_cached_log(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))
    repo = git_repo()
    repo.commit("one", {"reqs/R-1.yaml": requirement("R-1")})
    config = load_config(repo.path)
    load_history(config)
    repo.commit("two", {"reqs/R-1.yaml": requirement("R-1", status="review")})
    repo.mv("reqs/R-1.yaml", "reqs/a/R-1.yaml")
    repo.commit("three (#4)")
    extended = load_history(config)
    fresh = load_history(config, cache=False)
    assert extended == fresh
    assert [c.kind for c in extended.get("R-1").changes] == ["added", "modified", "renamed"]  # type: ignore[union-attr]


def test_review_keeps_staged_work_staged(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = git_repo()
    repo.commit("one", {"reqs/R-1.yaml": requirement("R-1")})
    repo.write({"reqs/R-2.yaml": requirement("R-2")})
    repo.git("add", "reqs/R-2.yaml")
    out = run(repo.path, "review", "R-1", "-m", "Still fits the new parent.")
    assert out.returncode == 0, out.stderr
    assert repo.git("diff", "--cached", "--name-only") == "reqs/R-2.yaml"
    assert repo.git("show", "--stat", "--format=", "HEAD") == ""  # an empty commit
    body = repo.git("log", "-1", "--format=%B")
    assert body.startswith("Review R-1") and "Still fits the new parent." in body
    assert run(repo.path, "review", "R-9").returncode == 2
