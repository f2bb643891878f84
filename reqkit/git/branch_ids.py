"""IDs taken on other branches: `new` must not hand out one a colleague already pushed."""

from __future__ import annotations

import os
from pathlib import Path

from reqkit.git.runner import open_runner

__all__ = ["ids_on_branches"]


def ids_on_branches(folder: Path) -> set[str]:
    """File-name IDs under `folder` in every local and remote-tracking branch.

    Outside Git, or in a repository with no commits yet, there are none.
    """
    runner = open_runner(folder)
    if runner is None:
        return set()
    rel = os.path.relpath(folder.resolve(), runner.top.resolve()).replace(os.sep, "/")
    pathspec = [] if rel == "." else ["--", rel.rstrip("/") + "/"]
    refs = runner.text(
        "for-each-ref", "--format=%(objectname)", "refs/heads", "refs/remotes", check=False
    )
    ids: set[str] = set()
    for commit in sorted(set(refs.split())):
        out = runner.run(
            "ls-tree", "-r", "-z", "--name-only", "--full-tree", commit, *pathspec, check=False
        )
        for raw in out.split(b"\0"):
            name = raw.decode("utf-8", "surrogateescape").rsplit("/", 1)[-1]
            if name.endswith((".yaml", ".yml")) and not name.startswith("."):
                ids.add(name.rsplit(".", 1)[0])
    return ids
