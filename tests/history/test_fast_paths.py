"""Fast paths give the answers of the slow ones: each is compared with what the whole
history (or a full parse) says, on a history built to trip them up (files deleted and
added back, renamed and renamed back, moved in a merge, two files with one ID)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from history_repo import GitRepo, requirement

from reqkit.changes.release_notes import compute_release_notes
from reqkit.changes.repo import Repo
from reqkit.config import load_config
from reqkit.git.history import changes_between, load_history
from reqkit.git.passes import map_blobs
from reqkit.git.snapshot import summarize


def _tricky(git_repo: Callable[..., GitRepo]) -> GitRepo:
    repo = git_repo()
    repo.commit("start", {f"reqs/R-{n}.yaml": requirement(f"R-{n}") for n in range(1, 8)})
    repo.commit("drop R-2 (#1)", remove=("reqs/R-2.yaml",))
    repo.git("tag", "v1")
    repo.commit("R-2 back (#2)", {"reqs/R-2.yaml": requirement("R-2", status="released")})
    repo.mv("reqs/R-3.yaml", "reqs/sub/R-3.yaml")
    repo.commit("move R-3 (#3)")
    repo.commit("drop R-4", remove=("reqs/R-4.yaml",))
    repo.commit("R-4 back (#5)", {"reqs/R-4.yaml": requirement("R-4", status="released")})
    repo.mv("reqs/R-5.yaml", "reqs/R-5b.yaml")
    repo.commit("R-5 away (#6)")
    repo.git("tag", "mid")
    repo.mv("reqs/R-5b.yaml", "reqs/R-5.yaml")
    repo.commit("R-5 home (#7)", {"reqs/R-5.yaml": requirement("R-5", status="released")})
    repo.git("checkout", "-q", "-b", "side")
    repo.mv("reqs/R-6.yaml", "reqs/a/R-6.yaml")
    repo.commit("side move", {"reqs/a/R-6.yaml": requirement("R-6", status="released")})
    side = repo.git("rev-parse", "HEAD")
    repo.git("checkout", "-q", "main")
    repo.commit("R-7 on (#8)", {"reqs/R-7.yaml": requirement("R-7", status="testing")})
    repo.git("merge", "-q", "--no-ff", "-m", "Merge pull request #9 from x/side", "side")
    # a second file with R-1's ID: the history files R-1 under the first path
    repo.commit("twin (#10)", {"reqs/0/R-1.yaml": requirement("R-1", status="released")})
    repo.commit("R-1 ships (#11)", {"reqs/R-1.yaml": requirement("R-1", status="released")})
    repo.git("tag", "v2")
    repo.git("tag", "side-tip", side)
    return repo


def _slow(root: Path, start: str, end: str) -> dict[str, tuple[str, ...]]:
    config = load_config(root)
    history = load_history(config, ref=end, cache=False)
    runner = Repo.open(config).runner
    in_range = set(runner.text("rev-list", "--first-parent", f"{start}..{end}").split())
    return {
        str(tl.path): tuple(ch.commit.sha for ch in tl.changes if ch.commit.sha in in_range)
        for tl in history
    }


REFS = ("v1", "mid", "v2", "side-tip")


@pytest.mark.parametrize("start", REFS)
@pytest.mark.parametrize("end", ("mid", "v2"))
def test_changes_between_matches_the_whole_history(
    git_repo: Callable[..., GitRepo], start: str, end: str
) -> None:
    repo = _tricky(git_repo)
    config = load_config(repo.path)
    r = Repo.open(config, cache=False)
    a, b = r.runner.resolve(start), r.runner.resolve(end)
    fast = changes_between(r.runner, a, b, r.folder, r.store)
    if fast is None:  # only when the range is not the newest part of END's chain
        assert start == "side-tip"
        return
    slow = _slow(repo.path, a, b)
    for path, commits in slow.items():  # every timeline the history files under an ID
        assert tuple(c.sha for c in fast[path]) == commits, path


def test_changes_between_reads_the_cached_log_alike(git_repo: Callable[..., GitRepo]) -> None:
    repo = _tricky(git_repo)
    r = Repo.open(load_config(repo.path))
    a, b = r.runner.resolve("v1"), r.runner.resolve("mid")
    cold = changes_between(r.runner, a, b, r.folder, r.store)
    load_history(r.config)  # caches the log of HEAD, which has `mid` on its chain
    assert r.store.load_log() is not None
    assert changes_between(r.runner, a, b, r.folder, r.store) == cold


def _notes(root: Path, start: str, end: str) -> Any:
    notes = compute_release_notes(Repo.open(load_config(root), cache=False), start, end)
    return [(g, [(i.id, i.path, i.prs, i.commits) for i in items]) for g, _, items in notes.groups]


def test_release_notes_fast_and_whole_history_agree(
    git_repo: Callable[..., GitRepo], run: Callable[..., Any]
) -> None:
    repo = _tricky(git_repo)
    fast = _notes(repo.path, "v1", "v2")
    assert [i[0] for _, items in fast for i in items] == ["R-1", "R-1", "R-2", "R-4", "R-5", "R-6"]
    # a file without an ID makes the range log unable to tell; the whole history answers
    repo.commit("notes", {"reqs/README.md": "Requirements live here.\n"})
    repo.git("tag", "v3")
    assert _notes(repo.path, "v1", "v3") == fast
    # and so does the installed command, both ways
    a = json.loads(run(repo.path, "release-notes", "v1", "v2", "--format", "json").stdout)
    b = json.loads(run(repo.path, "release-notes", "v1", "v3", "--format", "json").stdout)
    assert a["groups"] == b["groups"]


def test_blob_summaries_alike_forked_or_not(git_repo: Callable[..., GitRepo]) -> None:
    repo = _tricky(git_repo)
    runner = Repo.open(load_config(repo.path)).runner
    shas = [sha for _, sha in runner.ls_tree("HEAD", "reqs")]
    one = {sha: summarize(raw) for sha, raw in runner.blobs(shas).items()}
    import reqkit.git.passes as passes

    old = passes._FORK_FROM
    passes._FORK_FROM = 2  # fork even for a handful
    try:
        assert map_blobs(runner, shas, summarize) == one
    finally:
        passes._FORK_FROM = old


def test_tree_listing_keeps_odd_names(git_repo: Callable[..., GitRepo]) -> None:
    repo = git_repo()
    names = ["reqs/R-1.yaml", "reqs/tab\there.yaml", "reqs/über R-2.yaml", "reqs/new\nline.yaml"]
    repo.commit("odd", {n: requirement("R-1") + f"# {i}\n" for i, n in enumerate(names)})
    head = repo.git("rev-parse", "HEAD")  # a gitlink (submodule entry): not a blob
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{head},reqs/sub")
    repo.git("commit", "-q", "-m", "sub")
    runner = Repo.open(load_config(repo.path)).runner
    listed = runner.ls_tree("HEAD", "reqs")
    assert sorted(p for p, _ in listed) == sorted(names)
    for path, sha in listed:
        assert sha == repo.git("rev-parse", f"HEAD:{path}")
    assert "reqs/sub" in runner.paths("HEAD", "reqs")
