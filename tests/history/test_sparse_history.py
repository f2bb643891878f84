"""`check --base`'s cold roads give the answers of the plain ones.

- `SparseHistory` (the log, versions summarised only when asked) answers what the
  engine's `History` answers to suspect links, on random histories built to trip it:
  renames and pure moves, files deleted and added back, meanings changed and changed
  back, files that declare no ID or another file's ID, review commits, merges.
- The log started before the check (`PendingLog`) is the log read after it.
- The facts a cold check extracts from each file (`base_file_facts`) give the findings
  that reading every blob from Git gives.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from history_repo import GitRepo, requirement

from reqkit.api.changes import base_diagnostics, base_file_facts
from reqkit.api.checking import check
from reqkit.changes.repo import Repo
from reqkit.changes.suspect import suspect_links
from reqkit.config import load_config
from reqkit.errors import GitError
from reqkit.git.history import build_history
from reqkit.git.passes import PendingLog, full_log, start_full_log, summarize_many
from reqkit.git.sparse import SparseHistory
from reqkit.git.store import HistoryStore

IDS = [f"R-{n}" for n in range(1, 9)]


def _text(rid: str, rng: random.Random, parents: list[str], *, declare: str | None) -> str:
    """A requirement whose title (its meaning) is one of two, so it often changes back."""
    links = f"links:\n  parent: [{', '.join(parents)}]\n" if parents else ""
    status = rng.choice(["analysis", "review"])
    text = requirement(rid, status=status, title=f"{rid} panel {rng.choice('ab')}", extra=links)
    if declare is None:  # no ID at all: the file's stem names it
        return "\n".join(line for line in text.splitlines() if not line.startswith("id:")) + "\n"
    return text.replace(f"id: {rid}\n", f"id: {declare}\n", 1)


def _random_history(repo: GitRepo, seed: int, steps: int = 28) -> None:
    rng = random.Random(seed)
    where: dict[str, str] = {}  # ID → its path now
    gone: dict[str, str] = {}  # ID → the path it had when removed

    def write(rid: str, path: str) -> dict[str, str]:
        parents = rng.sample([i for i in IDS if i != rid], k=rng.choice([0, 1, 1, 2]))
        roll = rng.random()
        declare = None if roll < 0.08 else (rng.choice(IDS) if roll < 0.25 else rid)
        return {path: _text(rid, rng, parents, declare=declare)}

    first = {}
    for rid in IDS[:6]:
        where[rid] = f"reqs/{rid}.yaml"
        first.update(write(rid, where[rid]))
    repo.commit("start", first)
    for step in range(steps):
        action = rng.choice(["edit", "edit", "edit", "move", "pure-move", "drop", "back", "review"])
        rid = rng.choice(sorted(where)) if where else None
        if action == "back" or rid is None:
            pool = sorted(gone) + [i for i in IDS if i not in where and i not in gone]
            if not pool:
                continue
            rid = rng.choice(pool)
            where[rid] = gone.pop(rid, f"reqs/{rid}.yaml")  # back where it was, or new
            repo.commit(f"add {rid} (#{step})", write(rid, where[rid]))
        elif action == "edit":
            repo.commit(f"edit {rid}", write(rid, where[rid]))
        elif action in ("move", "pure-move"):
            new = f"reqs/{rng.choice(['a', 'b', 'c'])}/{rid}.yaml"
            if new == where[rid] or new in where.values():
                continue
            repo.mv(where[rid], new)
            where[rid] = new
            repo.commit(f"move {rid}", write(rid, new) if action == "move" else None)
        elif action == "drop":
            gone[rid] = where.pop(rid)
            repo.commit(f"drop {rid}", remove=(gone[rid],))
        else:
            repo.commit(f"looked at it\n\nReqkit-Reviewed: {rid}")
        if step % 9 == 8:  # a change merged from a branch
            repo.git("checkout", "-q", "-b", f"side{step}")
            side = rng.choice(sorted(where))
            repo.commit(f"side edit {side}", write(side, where[side]))
            repo.git("checkout", "-q", "main")
            repo.git("merge", "-q", "--no-ff", "-m", f"Merge pull request #{step}", f"side{step}")
    if where:  # the work tree differs from HEAD too
        rid = rng.choice(sorted(where))
        repo.write(write(rid, where[rid]))


def _both(root: Path) -> tuple[Repo, Any, SparseHistory]:
    config = load_config(root)
    repo = Repo.open(config, cache=False)
    head = repo.head()
    full = build_history(repo.runner, head, repo.folder, store=repo.store)
    sparse = repo.sparse_history()
    return repo, full, sparse


@pytest.mark.parametrize("seed", range(8))
def test_sparse_history_answers_as_the_engine(git_repo: Callable[..., GitRepo], seed: int) -> None:
    repo = git_repo()
    _random_history(repo, seed)
    r, full, sparse = _both(repo.path)
    assert sparse.commits == full.commits
    assert sparse.reviews == full.reviews
    ids = {*full.timelines, *full.removed, *IDS, "missing"}
    for rid in sorted(ids):
        assert sparse.last_touch(rid) == full.last_touch(rid), rid
        assert sparse.meaning_change(rid) == full.meaning_change(rid), rid
        assert sparse.paths(rid) == full.paths(rid), rid
    blobs = {row[4] for tl in full.timelines.values() for row in tl.rows if row[4]}
    assert sparse.meanings(blobs) == full.meanings(blobs)
    head = r.head()
    at_head = r.versions(head)
    versions, edited = r.work_tree(head, at_head)
    assert suspect_links(r, sparse, versions, edited, at_head) == suspect_links(
        r, full, versions, edited, at_head
    )


def test_sparse_history_finds_suspects_at_all(git_repo: Callable[..., GitRepo]) -> None:
    """The random histories above do hold suspect links (else equality proves little)."""
    found = 0
    for seed in range(8):
        repo = git_repo(f"r{seed}")
        _random_history(repo, seed)
        r, _, sparse = _both(repo.path)
        head = r.head()
        at_head = r.versions(head)
        versions, edited = r.work_tree(head, at_head)
        found += len(suspect_links(r, sparse, versions, edited, at_head))
    assert found >= 4


def test_sparse_history_summarises_only_what_it_is_asked(
    git_repo: Callable[..., GitRepo],
) -> None:
    repo = git_repo()
    _random_history(repo, 3)
    config = load_config(repo.path)
    r = Repo.open(config, cache=False)
    asked: list[set[str]] = []

    def summaries(missing: set[str]) -> dict[str, Any]:
        asked.append(set(missing))
        return r.store.summaries(missing, lambda m: summarize_many(r.runner, m))

    log = full_log(r.runner, r.head(), r.folder, r.store)
    every = {ch.blob for _, changes in log for ch in changes if ch.blob}
    sparse = SparseHistory(log, [], summaries)
    first = set().union(*asked)
    assert first < every  # the newest version of each file, not every version
    sparse.prepare(["R-1"])
    assert set().union(*asked) < every


def test_pending_log_is_the_log_read_later(git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    _random_history(repo, 5, steps=12)
    r = Repo.open(load_config(repo.path), cache=False)
    head = r.head()
    plain = full_log(r.runner, head, r.folder, r.store)
    pending = start_full_log(r.runner, head, r.folder, r.store)
    assert pending is not None  # nothing cached: started
    assert full_log(r.runner, head, r.folder, r.store, pending) == plain
    # started for another tip: stopped, and the plain road answers
    older = r.runner.text("rev-parse", "HEAD~2")
    other = PendingLog(r.runner, older, r.folder, None)
    assert full_log(r.runner, head, r.folder, r.store, other) == plain


def test_pending_log_is_not_started_when_a_log_is_kept(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("REQKIT_NO_CACHE", raising=False)
    repo = git_repo()
    _random_history(repo, 6, steps=6)
    r = Repo.open(load_config(repo.path))
    head = r.head()
    store = HistoryStore.open(top=r.runner.top, requirements=r.folder)
    assert start_full_log(r.runner, head, r.folder, store) is not None
    full_log(r.runner, head, r.folder, store)
    assert start_full_log(r.runner, head, r.folder, store) is None


def test_started_git_fails_as_a_git_error(git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1")})
    r = Repo.open(load_config(repo.path), cache=False)
    started = r.runner.start("log", "no-such-ref")
    with pytest.raises(GitError, match="git log"):
        started.output()
    started.cancel()  # after the answer: nothing to stop, no error


def _twin(rid: str, title: str, extra: str = "") -> str:
    """A requirement whose words are its title's only (so two of a title are near twins)."""
    text = requirement(rid, title=title, extra=extra)
    lines = [ln for ln in text.splitlines() if not ln.startswith("description:")]
    return "\n".join([*lines, f"description: {title}, every month, for every branch."]) + "\n"


def _odd_files(repo: GitRepo) -> None:
    """Files whose facts are easy to get wrong: dates, no ID, unreadable, duplicates
    listed, and one whose bytes on disk are not Git's (line endings converted)."""
    repo.git("config", "core.autocrlf", "true")
    repo.commit(
        "start",
        {
            "reqs/R-1.yaml": _twin("R-1", "Export the monthly invoice ledger"),
            "reqs/R-2.yaml": requirement(
                "R-2", extra="links:\n  parent: [R-1]\n  duplicates: [R-1, 2024-01-02]\n"
            ),
            "reqs/R-3.yaml": "id: 2024-05-06\ntitle: 2024-05-06\ndescription: [1\n",
            "reqs/R-4.yaml": requirement("R-4").replace("id: R-4\n", ""),
            "reqs/R-5.yaml": _twin("R-5", "Print the census roster").replace("\n", "\r\n"),
        },
    )
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit(
        "near twin",
        {
            "reqs/R-6.yaml": _twin("R-6", "Export the monthly invoice ledgers"),
            "reqs/R-1.yaml": _twin("R-1", "Export the monthly invoice ledger now"),
        },
    )
    repo.write({"reqs/R-7.yaml": _twin("R-7", "Print the census rosters")})


def test_facts_from_the_check_give_the_findings_of_the_blobs(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reqkit.api.checking as checking

    repo = git_repo()
    _odd_files(repo)
    config = load_config(repo.path)
    plain = sorted(base_diagnostics(config, "main"))
    assert {d.path for d in plain if d.code == "RK320"} == {"reqs/R-6.yaml", "reqs/R-7.yaml"}
    assert [d.path for d in plain if d.code == "RK603"] == ["reqs/R-2.yaml"]

    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "other-cache"))  # all cold again
    extracted: dict[str, Any] = {}
    read_from_git: list[str] = []
    real_extract, real_data_at = checking._extract_for, Repo.data_at

    def extract_for(base: str | None) -> Any:
        fn, into = real_extract(base)
        return fn, (extracted if into is not None else None)

    def data_at(self: Repo, commit: str, paths: Any) -> Any:
        read_from_git.extend(paths)
        return real_data_at(self, commit, paths)

    monkeypatch.setattr(checking, "_extract_for", extract_for)
    monkeypatch.setattr(Repo, "data_at", data_at)
    result = check(config=config, base="main")
    assert len(extracted) == 7  # every file on disk parsed, its facts taken
    assert read_from_git == ["reqs/R-5.yaml"]  # only the file whose bytes are not Git's
    history_codes = ("RK6", "RK320")
    assert sorted(d for d in result.diagnostics if d.code.startswith(history_codes)) == [
        d for d in plain if d.code.startswith(history_codes)
    ]


def test_file_facts_are_the_blobs(git_repo: Callable[..., GitRepo]) -> None:
    from reqkit.git.snapshot import parsed_data, summarize
    from reqkit.loader.files import parse_bytes
    from reqkit.reports.duplicates import data_grams, listed_duplicates

    repo = git_repo()
    raw = b"id: R-1\ntitle: 2024-01-02\ndescription: Export it\nlinks:\n  duplicates: [R-9]\n"
    (repo.path / "one.yaml").write_bytes(raw)
    sha, summary, rid, listed, joined = base_file_facts(raw, parse_bytes(raw).data)
    assert sha == repo.git("hash-object", "one.yaml")
    assert summary == summarize(raw)
    data = parsed_data(raw)  # as the blob road reads it: the date as text
    assert (rid, listed) == ("R-1", listed_duplicates(data)) == ("R-1", ("R-9",))
    assert frozenset(joined.split("\0")) == data_grams(data)
    assert "024" in data_grams(data)  # the date title counts, as text


def test_a_cold_run_with_nothing_new_keeps_the_facts_for_the_next_change(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CI on the default branch (nothing new) leaves RK320's facts in the cache it saves;
    a pull request restoring that cache reads no file version of Git for them."""
    repo = git_repo()
    repo.commit(
        "start",
        {
            "reqs/R-1.yaml": _twin("R-1", "Export the monthly invoice ledger"),
            "reqs/R-2.yaml": _twin("R-2", "Print the census roster"),
        },
    )
    for path in (repo.path / "reqs").iterdir():  # old enough for the check cache to trust
        os.utime(path, (1_700_000_000, 1_700_000_000))
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "ci-cache"))
    config = load_config(repo.path)
    assert check(config=config, base="main").diagnostics == ()  # on main: nothing new
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit("twin", {"reqs/R-3.yaml": _twin("R-3", "Export the monthly invoice ledgers")})
    read_from_git: list[str] = []
    real_data_at = Repo.data_at

    def data_at(self: Repo, commit: str, paths: Any) -> Any:
        read_from_git.extend(paths)
        return real_data_at(self, commit, paths)

    monkeypatch.setattr(Repo, "data_at", data_at)
    found = [d for d in check(config=config, base="main").diagnostics if d.code == "RK320"]
    assert read_from_git == []
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "fresh-cache"))
    assert found == [d for d in base_diagnostics(config, "main") if d.code == "RK320"]
    assert [d.path for d in found] == ["reqs/R-3.yaml"]


def test_review_commits_are_kept_per_tip(
    git_repo: Callable[..., GitRepo], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reqkit.git.passes as passes

    monkeypatch.setenv("REQKIT_CACHE_DIR", str(tmp_path / "cache"))
    repo = git_repo()
    _random_history(repo, 2, steps=20)
    config = load_config(repo.path)
    first = Repo.open(config).sparse_history().reviews
    assert first  # the random history holds review commits
    calls: list[str] = []
    real = passes.read_reviews
    monkeypatch.setattr(passes, "read_reviews", lambda r, tip: calls.append(tip) or real(r, tip))
    assert Repo.open(config).sparse_history().reviews == first
    assert calls == []  # the same tip: read from the cache
    repo.commit("looked again\n\nReqkit-Reviewed: R-1")
    later = Repo.open(config).sparse_history().reviews
    assert len(calls) == 1 and later["R-1"][-1].subject == "looked again"
