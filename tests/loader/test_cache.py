"""The warm-run cache, through the public API: fast when nothing changed, never stale."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import reqkit

VALID = """\
id: {id}
title: Batch export on the report page
type: functional
status: analysis
description: Customers want to export the selected reports as one zip file.
"""
LONG_AGO_NS = 60 * 1_000_000_000  # older than the cache's racy window (2 s)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("REQKIT_CACHE_DIR", str(folder))
    monkeypatch.delenv("REQKIT_NO_CACHE", raising=False)
    return folder


@pytest.fixture
def repo(tmp_path: Path, cache_dir: Path) -> Path:
    root = tmp_path / "repo"
    (root / "reqs").mkdir(parents=True)
    (root / "reqkit.toml").write_text("", encoding="utf-8")
    write(root, "202405-001", VALID.format(id="202405-001"))
    write(root, "202405-002", VALID.format(id="202405-002").replace("analysis", "nonsense"))
    return root


def write(root: Path, rid: str, text: str) -> Path:
    path = root / "reqs" / f"{rid}.yaml"
    path.write_text(text, encoding="utf-8")
    age(path)
    return path


def age(path: Path) -> None:
    """Put the mtime in the past so that the cache may trust the file."""
    old = time.time_ns() - LONG_AGO_NS
    os.utime(path, ns=(old, old))


def run(root: Path) -> list[dict[str, Any]]:
    return [d.as_dict() for d in reqkit.check(root=root).diagnostics]


def codes(diags: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The errors (text-lint warnings come and go with the rules; the verdict is errors)."""
    return [(d["path"], d["code"]) for d in diags if d["severity"] == "error"]


def edit_keeping_size_and_times(path: Path, old: str, new: str) -> None:
    """Change the content in place; same size, inode and (restored) mtime."""
    assert len(old) == len(new)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    with open(path, "r+", encoding="utf-8") as fh:  # in place: same inode
        fh.write(text.replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )


def test_second_run_gives_identical_diagnostics(repo: Path, cache_dir: Path) -> None:
    first = run(repo)
    assert codes(first) == [("reqs/202405-002.yaml", "RK110")]
    assert cache_dir.is_dir() and any(cache_dir.iterdir()), "the cache was not written"
    assert run(repo) == first
    assert run(repo) == first


def test_a_normal_edit_gives_the_new_verdict(repo: Path) -> None:
    assert codes(run(repo)) == [("reqs/202405-002.yaml", "RK110")]
    write(repo, "202405-002", VALID.format(id="202405-002"))
    write(repo, "202405-001", VALID.format(id="202405-001").replace("analysis", "no"))
    assert codes(run(repo)) == [("reqs/202405-001.yaml", "RK105")]


def test_edit_keeping_size_and_mtime_gives_the_new_verdict(repo: Path) -> None:
    assert codes(run(repo)) == [("reqs/202405-002.yaml", "RK110")]
    assert codes(run(repo)) == [("reqs/202405-002.yaml", "RK110")]  # warm
    edit_keeping_size_and_times(repo / "reqs" / "202405-002.yaml", "nonsense", "analysis")
    assert codes(run(repo)) == []


def test_edit_keeping_size_and_mtime_next_to_another_change_gives_the_new_verdict(
    repo: Path,
) -> None:
    """The per-file entry must not be trusted on size, mtime and inode alone."""
    assert codes(run(repo)) == [("reqs/202405-002.yaml", "RK110")]
    edit_keeping_size_and_times(repo / "reqs" / "202405-002.yaml", "nonsense", "analysis")
    edit_keeping_size_and_times(repo / "reqs" / "202405-001.yaml", "analysis", "nonsense")
    write(repo, "202405-003", VALID.format(id="202405-003"))  # the tree changed too
    assert codes(run(repo)) == [("reqs/202405-001.yaml", "RK110")]
    assert codes(run(repo)) == [("reqs/202405-001.yaml", "RK110")]


def test_touching_without_change_keeps_the_verdict(repo: Path) -> None:
    first = run(repo)
    for path in (repo / "reqs").iterdir():
        os.utime(path, ns=(time.time_ns() - 2 * LONG_AGO_NS,) * 2)  # content hash path
    assert run(repo) == first
    assert run(repo) == first


def test_adding_and_removing_files_changes_the_verdict(repo: Path) -> None:
    assert codes(run(repo)) == [("reqs/202405-002.yaml", "RK110")]
    twin = write(repo, "202405-003", VALID.format(id="202405-001"))  # a second 202405-001
    # The unchanged, cached 202405-001 gets a new cross-file diagnostic too.
    assert codes(run(repo)) == [
        ("reqs/202405-001.yaml", "RK304"),
        ("reqs/202405-002.yaml", "RK110"),
        ("reqs/202405-003.yaml", "RK301"),
        ("reqs/202405-003.yaml", "RK304"),
    ]
    twin.unlink()
    assert codes(run(repo)) == [("reqs/202405-002.yaml", "RK110")]
    (repo / "reqs" / "202405-002.yaml").unlink()
    assert codes(run(repo)) == []


def test_changing_the_config_invalidates(repo: Path) -> None:
    before = run(repo)
    assert codes(before) == [("reqs/202405-002.yaml", "RK110")]
    (repo / "reqkit.toml").write_text("max_file_size = 20\n", encoding="utf-8")
    assert {code for _, code in codes(run(repo))} == {"RK009"}
    (repo / "reqkit.toml").write_text("", encoding="utf-8")
    assert run(repo) == before


def test_deleting_the_cache_dir_is_harmless(repo: Path, cache_dir: Path) -> None:
    first = run(repo)
    assert cache_dir.is_dir()
    shutil.rmtree(cache_dir)
    assert run(repo) == first
    assert run(repo) == first


def test_a_corrupt_cache_is_ignored(repo: Path, cache_dir: Path) -> None:
    first = run(repo)
    files = [p for p in cache_dir.rglob("*") if p.is_file()]
    assert files
    for path in files:
        path.write_bytes(b"\x00garbage" * 10)
    assert run(repo) == first
    for path in files:
        path.write_bytes(b"")
    assert run(repo) == first


def test_disabled_cache_gives_the_same_verdict(repo: Path, cache_dir: Path) -> None:
    first = run(repo)
    assert [d.as_dict() for d in reqkit.check(root=repo, cache=False).diagnostics] == first


@pytest.mark.parametrize("xdg", [None, "", "  ", "/tmp/xdg-cache"])
def test_cache_folder_is_platformdirs_user_cache_dir(
    monkeypatch: pytest.MonkeyPatch, xdg: str | None
) -> None:
    """The Linux shortcut names the folder platformdirs names, XDG_CACHE_HOME or not."""
    from platformdirs import user_cache_dir

    from reqkit.loader.cachedir import cache_folder

    monkeypatch.delenv("REQKIT_CACHE_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert cache_folder() == Path(user_cache_dir("reqkit"))
    monkeypatch.setenv("REQKIT_CACHE_DIR", "/somewhere/else")
    assert cache_folder() == Path("/somewhere/else")


def test_an_unquoted_date_id_gets_the_same_verdict_warm_as_cold(repo: Path) -> None:
    """`id: 2024-05-06` parses as a date: a cached copy must not turn it into the text
    another file declares, making a duplicate that a cold run does not see."""
    (repo / "reqs" / "a").mkdir()
    (repo / "reqs" / "b").mkdir()
    dated = repo / "reqs" / "a" / "2024-05-06.yaml"
    dated.write_text(VALID.format(id="2024-05-06"), encoding="utf-8")
    age(dated)
    quoted = repo / "reqs" / "b" / "2024-05-06.yaml"
    quoted.write_text(VALID.format(id='"2024-05-06"'), encoding="utf-8")
    age(quoted)
    first = run(repo)  # fills the cache
    quoted.write_text(VALID.format(id='"2024-05-06"').replace("Batch", "Bulk"), encoding="utf-8")
    age(quoted)
    warm = run(repo)  # the dated file answered from the cache, the other read again
    cold = [d.as_dict() for d in reqkit.check(root=repo, cache=False).diagnostics]
    assert warm == cold
    assert [c for _, c in codes(first)] == [c for _, c in codes(cold)]
    assert "RK304" not in {c for _, c in codes(cold)}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux only")
def test_entries_written_by_a_forked_writer_serve_the_next_run(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past _WRITE_ALONE_FROM entries a forked process writes them while the whole-tree
    rules run: the next run must find both the entries and the whole-tree answer."""
    import marshal

    from reqkit.loader import cache

    monkeypatch.setattr(cache, "_WRITE_ALONE_FROM", 1)
    first = run(repo)
    written = sorted(cache_dir.rglob("check-*"))
    assert [p.suffix for p in written] == [".bin", ".tree"], written
    entries = marshal.loads(written[0].read_bytes())
    assert sorted(entries) == ["reqs/202405-001.yaml", "reqs/202405-002.yaml"]
    assert marshal.loads(written[1].read_bytes()) is not None  # the whole-tree answer
    assert run(repo) == first
    write(repo, "202405-003", VALID.format(id="202405-003").replace("analysis", "nonsense"))
    assert codes(run(repo)) == [
        ("reqs/202405-002.yaml", "RK110"),
        ("reqs/202405-003.yaml", "RK110"),
    ]


@pytest.mark.parametrize("forked_writer", [False, True])
def test_files_just_written_are_parsed_once_and_never_trusted_by_stat(
    repo: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, forked_writer: bool
) -> None:
    """A fresh checkout writes every file just before the check: their entries are kept
    for their content (the next run compares bytes, parses nothing), never for their stat
    (a same-size edit within the same clock tick must still be seen), and no whole-tree
    answer is kept while any file is that recent."""
    import marshal

    from reqkit.api import checking
    from reqkit.loader import cache

    if forked_writer:
        monkeypatch.setattr(cache, "_WRITE_ALONE_FROM", 1)
    for path in (repo / "reqs").iterdir():
        os.utime(path)  # just written
    parsed: list[str] = []
    real = checking.parse_bytes

    def counting(raw: bytes) -> Any:
        parsed.append(raw[:14].decode())
        return real(raw)

    monkeypatch.setattr(checking, "parse_bytes", counting)
    first = run(repo)
    assert len(parsed) == 2
    entries, tree = sorted(cache_dir.rglob("check-*"))
    assert [v[1] for v in marshal.loads(entries.read_bytes()).values()] == [-1, -1]
    assert marshal.loads(tree.read_bytes()) is None
    assert run(repo) == first
    assert len(parsed) == 2  # answered by content: nothing parsed again
    edit_keeping_size_and_times(repo / "reqs" / "202405-002.yaml", "nonsense", "analysis")
    assert codes(run(repo)) == []
    assert len(parsed) == 3


def test_code_fingerprint_is_the_code_and_remembered_by_its_stat(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key of every cache: the content of reqkit's modules (a reinstall, with new
    mtimes, keeps it: tests/history/test_action_cache.py), hashed once per stat of them."""
    from reqkit.loader import cache

    fingerprint = cache.code_fingerprint.__wrapped__
    first = fingerprint()
    (memo,) = cache_dir.glob("code-*")
    assert memo.read_text() == first and len(first) == 16
    hashed: list[int] = []
    real = cache.blake2b

    def counting(data: bytes = b"", **kw: Any) -> Any:
        hashed.append(len(data))
        return real(data, **kw)

    monkeypatch.setattr(cache, "blake2b", counting)
    assert fingerprint() == first
    assert len(hashed) == 1  # the stat's digest only: the content's came from the memo
    memo.write_text("not a digest")
    assert fingerprint() == first
    assert len(hashed) > 2  # hashed again
    assert memo.read_text() == first
    assert fingerprint("git", "loader") != first  # a narrower key for the history cache
