"""The pre-commit hook: `reqkit check --linked` through the command, then real pre-commit.

`--linked` reports on the given files, plus what a change to them breaks elsewhere: the
whole-tree findings (links, cycles, duplicate IDs) of files that link into the given
ones or to a requirement that does not exist. pre-commit never passes a deleted file,
so a rename shows up only through the links left pointing at the old ID.

The last tests run pre-commit itself against a snapshot of this checkout, committed to a
temporary Git repository and used as the hook repository at that commit, exactly as a
user's `.pre-commit-config.yaml` would name reqkit's repository at a tag. pre-commit
installs git-reqkit from it into an environment of its own (from PyPI for the
dependencies), so they are skipped where pre-commit is not installed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from checkout import snapshot

Run = Callable[..., subprocess.CompletedProcess[str]]
MakeRepo = Callable[..., Path]

ROOT = Path(__file__).resolve().parents[2]
CONFIG = 'ids = ["REQ-{seq:03}"]\n'
GIT_ID = ["-c", "user.name=reqkit tests", "-c", "user.email=tests@example.invalid"]


def req(n: int, extra: str = "", status: str = "analysis", rid: str | None = None) -> str:
    return (
        f"id: {rid or f'REQ-{n:03}'}\n"
        "title: Batch export\n"
        "type: functional\n"
        f"status: {status}\n"
        "description: When the user presses Export, the system shall download one file"
        " within 5 s.\n"
    ) + extra


def found(result: subprocess.CompletedProcess[str]) -> set[tuple[str, str]]:
    assert result.returncode in (0, 1), result.stderr
    doc = json.loads(result.stdout)
    return {(d["path"], d["code"]) for d in doc["diagnostics"]}


def check(run: Run, repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(repo, "check", "--format", "json", *args)


# ---- --linked through the command ---------------------------------------------------------


@pytest.fixture
def linked_repo(tmp_path: Path, make: MakeRepo) -> Path:
    """REQ-002 and REQ-003 link to REQ-001; REQ-004 has old problems of its own."""
    return make(
        tmp_path / "repo",
        {
            "reqs/REQ-001.yaml": req(1),
            "reqs/REQ-002.yaml": req(2, "links:\n  parent: [REQ-001]\n"),
            "reqs/area/REQ-003.yaml": req(3, "priority: high\nlinks:\n  depends_on: [REQ-001]\n"),
            "reqs/REQ-004.yaml": req(4, "links:\n  parent: [REQ-099]\n", status="closed"),
            "README.yml": "not: a requirement\n",
        },
        CONFIG,
    )


def rename(repo: Path, old: str, new: str) -> Path:
    """Move a requirement to a new ID: file name and `id:` alike."""
    source = next((repo / "reqs").rglob(f"{old}.yaml"))
    target = source.with_name(f"{new}.yaml")
    target.write_text(source.read_text().replace(f"id: {old}", f"id: {new}"))
    source.unlink()
    return target


def test_without_linked_only_the_given_files_are_reported(linked_repo: Path, run: Run) -> None:
    rename(linked_repo, "REQ-001", "REQ-010")
    assert found(check(run, linked_repo, "reqs/REQ-010.yaml")) == set()


def test_a_renamed_requirement_shows_the_links_left_behind(linked_repo: Path, run: Run) -> None:
    rename(linked_repo, "REQ-001", "REQ-010")
    result = check(run, linked_repo, "--linked", "reqs/REQ-010.yaml")
    assert result.returncode == 1
    assert found(result) == {
        ("reqs/REQ-002.yaml", "RK311"),
        ("reqs/area/REQ-003.yaml", "RK311"),
        ("reqs/REQ-004.yaml", "RK311"),  # a link to a missing requirement, wherever it is
    }
    # only the link problems of the other files: REQ-003's `priority: high` (RK103) and
    # REQ-004's missing acceptance (RK401) were there before and are left to CI
    doc = json.loads(result.stdout)
    assert doc["summary"]["files"] == 4  # the given file and the three that link


def test_an_id_changed_in_place_shows_the_links_to_the_old_id(linked_repo: Path, run: Run) -> None:
    path = linked_repo / "reqs" / "REQ-001.yaml"
    path.write_text(req(1, rid="REQ-011"))
    assert found(check(run, linked_repo, "--linked", "reqs/REQ-001.yaml")) >= {
        ("reqs/REQ-001.yaml", "RK301"),  # the file's own problem: ID and name differ
        ("reqs/REQ-002.yaml", "RK311"),
        ("reqs/area/REQ-003.yaml", "RK311"),
    }


def test_links_into_the_given_file_are_judged_again(
    tmp_path: Path, make: MakeRepo, run: Run
) -> None:
    repo = make(
        tmp_path / "repo",
        {
            "reqs/REQ-001.yaml": req(1, "links:\n  parent: [REQ-002]\n"),
            "reqs/REQ-002.yaml": req(2, "links:\n  parent: [REQ-001]\n"),  # a cycle
            "reqs/REQ-003.yaml": req(3, "links:\n  conflicts_with: [REQ-001]\n"),  # one-sided
            "reqs/REQ-004.yaml": req(4, "links:\n  conflicts_with: [REQ-005]\n"),  # unrelated
            "reqs/REQ-005.yaml": req(5),
        },
        CONFIG,
    )
    plain = found(check(run, repo, "reqs/REQ-001.yaml"))
    assert plain == {("reqs/REQ-001.yaml", "RK313")}
    linked = found(check(run, repo, "--linked", "reqs/REQ-001.yaml"))
    assert linked == {
        ("reqs/REQ-001.yaml", "RK313"),
        ("reqs/REQ-002.yaml", "RK313"),
        ("reqs/REQ-003.yaml", "RK314"),
    }


def test_a_deleted_file_given_by_name_still_names_its_id(linked_repo: Path, run: Run) -> None:
    (linked_repo / "reqs" / "REQ-001.yaml").unlink()
    result = check(run, linked_repo, "--linked", "reqs/REQ-001.yaml")
    assert ("reqs/REQ-002.yaml", "RK311") in found(result)


def test_the_config_among_the_paths_reports_the_whole_tree(linked_repo: Path, run: Run) -> None:
    whole = found(check(run, linked_repo))
    assert found(check(run, linked_repo, "--linked", "reqkit.toml")) == whole
    assert found(check(run, linked_repo, "reqkit.toml")) == set()  # without --linked: ignored


def test_other_staged_files_are_ignored(tmp_path: Path, make: MakeRepo, run: Run) -> None:
    repo = make(tmp_path / "repo", {"reqs/REQ-001.yaml": req(1), "a.yml": "x: 1\n"}, CONFIG)
    result = run(repo, "check", "--linked", "a.yml", "README.md", "docs/missing.md")
    assert result.returncode == 0, result.stdout
    assert result.stdout == "0 files, 1 requirement: 0 errors, 0 warnings\n"


def test_linked_without_paths_is_the_whole_tree(linked_repo: Path, run: Run) -> None:
    assert found(check(run, linked_repo, "--linked")) == found(check(run, linked_repo))


def test_the_warm_cache_gives_the_same_answer(
    linked_repo: Path, run: Run, age_files_fn: Callable[..., None]
) -> None:
    rename(linked_repo, "REQ-001", "REQ-010")
    age_files_fn(linked_repo)
    cold = check(run, linked_repo, "--linked", "reqs/REQ-010.yaml")
    warm = check(run, linked_repo, "--linked", "reqs/REQ-010.yaml")  # whole-tree cache hit
    assert cold.stdout == warm.stdout
    assert found(warm) == {
        ("reqs/REQ-002.yaml", "RK311"),
        ("reqs/area/REQ-003.yaml", "RK311"),
        ("reqs/REQ-004.yaml", "RK311"),
    }
    nocache = check(run, linked_repo, "--linked", "--no-cache", "reqs/REQ-010.yaml")
    assert nocache.stdout == cold.stdout


# ---- the hook's manifest ------------------------------------------------------------------


def hook() -> dict[str, Any]:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["reqkit-check"]
    return dict(hooks[0])


def test_hook_manifest() -> None:
    h = hook()
    assert h["language"] == "python"
    assert h["entry"] == "reqkit check --linked"
    assert h["pass_filenames"] is True
    assert h["require_serial"] is True


@pytest.mark.parametrize(
    ("path", "matches"),
    [
        ("reqs/202405-001.yaml", True),
        ("reqs/area/202405-002.yml", True),
        ("reqkit.toml", True),
        ("sub/project/pyproject.toml", True),
        ("pyproject.toml", True),
        (".github/workflows/ci.yml", True),  # passed, then ignored by reqkit
        ("README.md", False),
        ("myreqkit.toml", False),
        ("docs/index.md", False),
    ],
)
def test_hook_files_pattern(path: str, matches: bool) -> None:
    assert bool(re.search(hook()["files"], path)) is matches


# ---- real pre-commit ----------------------------------------------------------------------


def tool(name: str) -> str | None:
    here = Path(sys.executable).parent / name
    return str(here) if here.exists() else shutil.which(name)


PRE_COMMIT = tool("pre-commit")
needs_pre_commit = pytest.mark.skipif(
    PRE_COMMIT is None, reason="pre-commit is not installed (pip install -e '.[test]')"
)


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(
        ["git", *GIT_ID, *args], cwd=repo, capture_output=True, text=True, check=True
    )
    return proc.stdout.strip()


def snapshot_commit(dest: Path) -> str:
    """This checkout's files (tracked and untracked, not ignored) committed in `dest`."""
    snapshot(dest)
    git(dest, "init", "-q")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    return git(dest, "rev-parse", "HEAD")


OFFLINE = re.compile(
    r"NewConnectionError|Temporary failure in name resolution|Network is unreachable|"
    r"Name or service not known|Failed to establish a new connection|ConnectTimeout"
)


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path]:
    """(hook repository, its commit, PRE_COMMIT_HOME shared by this module's runs).

    The hook's environment is installed once here; where PyPI cannot be reached for the
    dependencies, the real pre-commit tests skip, saying so (any other failure fails).
    """
    assert PRE_COMMIT is not None
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "reqkit"
    sha = snapshot_commit(repo)
    home = base / "home"
    probe = base / "probe"
    probe.mkdir()
    git(probe, "init", "-q")
    (probe / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {sha}\n    hooks:\n      - id: reqkit-check\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRE_COMMIT")}
    proc = subprocess.run(
        [PRE_COMMIT, "install-hooks", "--color", "never"],
        cwd=probe,
        capture_output=True,
        text=True,
        env={**env, "PRE_COMMIT_HOME": str(home)},
        timeout=900,
    )
    if proc.returncode != 0:
        log = home / "pre-commit.log"
        details = proc.stdout + proc.stderr + (log.read_text() if log.exists() else "")
        if OFFLINE.search(details):
            pytest.skip("pre-commit could not install git-reqkit's dependencies: no PyPI here")
        pytest.fail(f"pre-commit could not install the hook:\n{details}")
    return repo, sha, home


def pre_commit(
    repo: Path, home: Path, *args: str, cache: Path | None = None
) -> subprocess.CompletedProcess[str]:
    assert PRE_COMMIT is not None
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REQKIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(home),
        REQKIT_CACHE_DIR=str(cache or repo.parent / "reqkit-cache"),
        NO_COLOR="1",
    )
    return subprocess.run(
        [PRE_COMMIT, "run", "--color", "never", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )


@pytest.fixture
def user_repo(tmp_path: Path, hook_repo: tuple[Path, str, Path], run: Run) -> Path:
    """A repository made by `reqkit init`, its pre-commit config naming the hook repo."""
    source, sha, _ = hook_repo
    repo = tmp_path / "product-reqs"
    made = run(tmp_path, "init", str(repo), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    config = repo / ".pre-commit-config.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("https://github.com/reqkit/reqkit", str(source))
    text = re.sub(r"rev: .*", f"rev: {sha}", text)
    config.write_text(text, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Requirements repository")
    return repo


@needs_pre_commit
def test_pre_commit_installs_the_hook_and_passes_a_new_repository(
    user_repo: Path, hook_repo: tuple[Path, str, Path]
) -> None:
    result = pre_commit(user_repo, hook_repo[2], "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^reqkit check\.+Passed$", result.stdout, re.MULTILINE), result.stdout


@needs_pre_commit
def test_pre_commit_fails_a_rename_that_leaves_links_behind(
    user_repo: Path, hook_repo: tuple[Path, str, Path]
) -> None:
    home = hook_repo[2]
    git(user_repo, "mv", "reqs/202405-001.yaml", "reqs/202405-010.yaml")
    renamed = user_repo / "reqs" / "202405-010.yaml"
    renamed.write_text(renamed.read_text().replace("id: 202405-001", "id: 202405-010"))
    git(user_repo, "add", "-A")
    failed = pre_commit(user_repo, home)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert re.search(r"^reqkit check\.+Failed$", failed.stdout, re.MULTILINE)
    assert (
        "reqs/202405-003.yaml:26:12: error RK311 parent link to unknown requirement "
        "'202405-001'; did you mean '202405-010'?"
    ) in failed.stdout
    assert "2 files, 7 requirements: 1 error, 0 warnings" in failed.stdout
    child = user_repo / "reqs" / "202405-003.yaml"
    child.write_text(child.read_text().replace("[202405-001]", "[202405-010]"))
    git(user_repo, "add", "-A")
    fixed = pre_commit(user_repo, home)
    assert fixed.returncode == 0, fixed.stdout


@needs_pre_commit
def test_pre_commit_checks_only_the_given_files(
    user_repo: Path, hook_repo: tuple[Path, str, Path]
) -> None:
    home = hook_repo[2]
    broken = user_repo / "reqs" / "202405-004.yaml"
    broken.write_text(broken.read_text().replace("status: released", "status: relased"))
    other = pre_commit(user_repo, home, "--files", "reqs/202405-002.yaml", "mkdocs.yml")
    assert other.returncode == 0, other.stdout
    own = pre_commit(user_repo, home, "--files", "reqs/202405-004.yaml")
    assert own.returncode == 1
    assert "reqs/202405-004.yaml:6:9: error RK110 unknown status 'relased'" in own.stdout
    skipped = pre_commit(user_repo, home, "--files", "README.md")
    assert re.search(r"^reqkit check\.+\(no files to check\)Skipped$", skipped.stdout, re.M)
