"""Questions about refs other layers ask: is there history, which commit was current then,
what did the requirements look like at a commit."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from reqkit.config import Config
from reqkit.git.runner import open_runner

if TYPE_CHECKING:
    from reqkit.model.reqset import RequirementSet

__all__ = ["commit_at", "commit_date", "has_history", "head_commit", "resolve", "snapshot_at"]


def has_history(config: Config) -> bool:
    """True inside a Git work tree with at least one commit; never raises for its absence."""
    return head_commit(config) is not None


def head_commit(config: Config) -> str | None:
    """HEAD's commit, or None outside Git or before the first commit (never raises for
    their absence): `has_history` and `resolve("HEAD")` in one git call."""
    runner = open_runner(config.root)
    return runner.head() if runner is not None else None


def resolve(config: Config, ref: str) -> str:
    """The commit `ref` names; GitError outside Git, or when it does not resolve."""
    from reqkit.errors import GitError

    runner = open_runner(config.root)
    if runner is None:
        raise GitError(f"Git ref '{ref}' asked for, but {config.root} is not in a Git repository")
    return runner.resolve(ref)


def commit_at(config: Config, when: dt.datetime, *, ref: str = "HEAD") -> str | None:
    """The last first-parent commit of `ref` committed at or before `when` (None: none yet).

    A shallow clone is a GitError: "none yet" could be an answer from partial history.
    """
    runner = open_runner(config.root)
    if runner is None or runner.head() is None:
        return None
    tip = runner.resolve(ref)
    runner.require_full_history()
    stamp = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    out = runner.text("rev-list", "--first-parent", "-1", f"--before={int(stamp.timestamp())}", tip)
    return out or None


def commit_date(config: Config, ref: str) -> dt.datetime:
    """The committer date (timezone-aware) of the commit `ref` names."""
    sha = resolve(config, ref)
    runner = open_runner(config.root)
    assert runner is not None  # resolve() raised outside Git
    return dt.datetime.fromisoformat(runner.text("log", "-1", "--format=%cI", sha))


def snapshot_at(config: Config, ref: str) -> RequirementSet:
    """The requirement files as they were at `ref`, parsed as `check` parses them.

    Entry paths are relative to the top of the work tree (as in `reqkit.load`); an
    entry's `abspath` is `<sha12>:<path>`, which is not a file on disk.
    """
    from reqkit.errors import GitError
    from reqkit.git.history import requirements_folder
    from reqkit.git.snapshot import read_snapshot

    runner = open_runner(config.root)
    if runner is None:
        raise GitError(f"Git ref '{ref}' asked for, but {config.root} is not in a Git repository")
    commit = runner.resolve(ref)
    return read_snapshot(
        runner, commit, requirements_folder(config, runner), max_size=config.max_file_size
    )
