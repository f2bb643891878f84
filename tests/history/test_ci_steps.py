"""The diff step of the Action and the release workflow's notes step, run with bash the
way a runner runs them, with the `GITHUB_*` variables it sets."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from history_repo import GitRepo, requirement

ROOT = Path(__file__).resolve().parents[2]
REQKIT = shutil.which("reqkit") or str(Path(sys.executable).parent / "reqkit")


def _step(path: Path, name: str) -> dict[str, Any]:
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = spec["runs"]["steps"] if "runs" in spec else spec["jobs"]["notes"]["steps"]
    return next(s for s in steps if s.get("id") == name or s.get("name") == name)


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "REQKIT"))}
    path = f"{Path(REQKIT).parent}{os.pathsep}{base.get('PATH', '')}"
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
        cwd=cwd,
        env={
            **base,
            "PATH": path,
            "NO_COLOR": "1",
            "REQKIT_CACHE_DIR": str(cwd.parent / "cache"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def _pr_repo(git_repo: Callable[..., GitRepo]) -> GitRepo:
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1")})
    repo.git("checkout", "-q", "-b", "pr")
    repo.commit("review R-1 (#2)", {"reqs/R-1.yaml": requirement("R-1", status="review")})
    return repo


def test_action_diff_step_writes_the_job_summary(
    git_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = _pr_repo(git_repo)
    step = _step(ROOT / "action.yml", "diff")
    # inputs only through env; the cache folder too (tests/history/test_action_cache.py)
    assert set(step["env"]) == {"REQKIT", "REQKIT_DIFF_BASE", "REQKIT_CACHE_DIR"}
    assert "!cancelled()" in step["if"]  # also after a check that found problems
    summary = tmp_path / "summary.md"
    summary.write_text("")
    env = {"REQKIT": REQKIT, "REQKIT_DIFF_BASE": "main", "GITHUB_STEP_SUMMARY": str(summary)}
    done = _bash(step["run"], repo.path, env)
    assert done.returncode == 0, done.stderr
    text = summary.read_text()
    assert "## Requirements changed: 1 modified" in text and "analysis → review" in text
    # empty input: no diff, nothing written
    summary.write_text("")
    assert _bash(step["run"], repo.path, {**env, "REQKIT_DIFF_BASE": ""}).returncode == 0
    assert summary.read_text() == ""
    # an input that looks like an option is a ref, never an option
    bad = _bash(step["run"], repo.path, {**env, "REQKIT_DIFF_BASE": "--format=json"})
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_release_workflow_writes_notes_since_the_previous_tag(
    git_repo: Callable[..., GitRepo], tmp_path: Path
) -> None:
    repo = git_repo()
    repo.commit("start", {"reqs/R-1.yaml": requirement("R-1", status="testing")})
    repo.git("tag", "v0.1")
    repo.commit("ship (#3)", {"reqs/R-1.yaml": requirement("R-1", status="released")})
    repo.git("tag", "v0.2")
    step = _step(ROOT / ".github/workflows/release.yml", "Write the release notes")
    summary = tmp_path / "summary.md"
    summary.write_text("")
    done = _bash(
        step["run"], repo.path, {"GITHUB_REF_NAME": "v0.2", "GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert done.returncode == 0, done.stderr
    notes = (repo.path / "release-notes.md").read_text()
    assert (
        notes.startswith("## Release notes: v0.1 → v0.2") and "**R-1**" in notes and "#3" in notes
    )
    assert summary.read_text() == notes
    # the first tag: compared with the root commit
    first = _bash(
        step["run"], repo.path, {"GITHUB_REF_NAME": "v0.1", "GITHUB_STEP_SUMMARY": str(summary)}
    )
    assert first.returncode == 0, first.stderr
