"""Finding requirement files: sorted, hidden entries skipped, never outside the repo."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from reqkit.loader.discover import Found, discover


def touch(path: Path, text: str = "id: x\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "reqs").mkdir(parents=True)
    return root


def found(repo: Path) -> list[tuple[str, bool]]:
    """(path relative to reqs/, escapes) for what discover returns, in its order."""
    reqs = repo / "reqs"
    return [
        (os.path.relpath(f.path, reqs).replace(os.sep, "/"), f.escapes)
        for f in discover(reqs, repo)
    ]


def test_sorted_and_both_suffixes(repo: Path) -> None:
    for name in ["b.yaml", "a.yml", "c.yaml", "checkout/z.yaml", "checkout/a.yml", "area/m.yaml"]:
        touch(repo / "reqs" / name)
    assert found(repo) == [
        ("a.yml", False),
        ("area/m.yaml", False),
        ("b.yaml", False),
        ("c.yaml", False),
        ("checkout/a.yml", False),
        ("checkout/z.yaml", False),
    ]


def test_paths_are_absolute_and_files(repo: Path) -> None:
    touch(repo / "reqs" / "a.yaml")
    [item] = discover(repo / "reqs", repo)
    assert isinstance(item, Found)
    assert Path(item.path).is_absolute()
    assert Path(item.path).is_file()


def test_hidden_files_and_folders_are_skipped(repo: Path) -> None:
    touch(repo / "reqs" / ".hidden.yaml")
    touch(repo / "reqs" / ".git" / "x.yaml")
    touch(repo / "reqs" / ".cache" / "nested" / "y.yml")
    touch(repo / "reqs" / "visible.yaml")
    assert found(repo) == [("visible.yaml", False)]


def test_non_yaml_files_are_ignored(repo: Path) -> None:
    for name in ["notes.md", "a.yaml.bak", "b.YAML~", "c.json", "d.txt", "yaml", "e.yaml"]:
        touch(repo / "reqs" / name)
    (repo / "reqs" / "folder.yaml").mkdir()  # a folder with a YAML-like name is no file
    touch(repo / "reqs" / "folder.yaml" / "inside.yaml")
    assert found(repo) == [("e.yaml", False), ("folder.yaml/inside.yaml", False)]


def test_missing_folder_gives_nothing(repo: Path) -> None:
    assert discover(repo / "nope", repo) == []


def test_symlink_to_a_file_outside_escapes(repo: Path, tmp_path: Path) -> None:
    outside = touch(tmp_path / "outside" / "secret.yaml")
    (repo / "reqs" / "link.yaml").symlink_to(outside)
    assert found(repo) == [("link.yaml", True)]


def test_symlinked_directory_outside_escapes_and_is_not_followed(
    repo: Path, tmp_path: Path
) -> None:
    touch(tmp_path / "outside" / "secret.yaml")
    (repo / "reqs" / "area").symlink_to(tmp_path / "outside", target_is_directory=True)
    assert found(repo) == [("area", True)]


def test_relative_symlink_climbing_out_escapes(repo: Path, tmp_path: Path) -> None:
    touch(tmp_path / "outside.yaml")
    (repo / "reqs" / "up.yaml").symlink_to(Path("..") / ".." / "outside.yaml")
    assert found(repo) == [("up.yaml", True)]


def test_symlink_inside_the_boundary_is_followed(repo: Path) -> None:
    touch(repo / "shared" / "common.yaml")
    touch(repo / "reqs" / "real.yaml")
    (repo / "reqs" / "alias.yaml").symlink_to(repo / "reqs" / "real.yaml")
    (repo / "reqs" / "shared").symlink_to(repo / "shared", target_is_directory=True)
    assert found(repo) == [
        ("alias.yaml", False),
        ("real.yaml", False),
        ("shared/common.yaml", False),
    ]


def test_broken_symlink_inside_is_not_a_file(repo: Path) -> None:
    (repo / "reqs" / "dangling.yaml").symlink_to(repo / "reqs" / "gone.yaml")
    touch(repo / "reqs" / "ok.yaml")
    assert ("ok.yaml", False) in found(repo)
    assert all(not escapes for _, escapes in found(repo))


def test_symlink_loop_terminates(repo: Path) -> None:
    touch(repo / "reqs" / "a" / "x.yaml")
    (repo / "reqs" / "a" / "loop").symlink_to(repo / "reqs", target_is_directory=True)
    (repo / "reqs" / "self").symlink_to(repo / "reqs" / "self")  # a link to itself
    result: list[list[Found]] = []
    worker = threading.Thread(target=lambda: result.append(discover(repo / "reqs", repo)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "discover did not return on a symlink loop"
    paths = [f.path for f in result[0]]
    assert len(paths) == len(set(paths))
    assert os.path.join(repo / "reqs", "a", "x.yaml") in paths
