"""`reqkit review`: an explicit review recorded as an empty commit with a trailer line.

An empty commit (HEAD's own tree) changes no file, so it can never conflict with another
branch, and it is made with `commit-tree` + `update-ref`: whatever is staged stays staged.
"""

from __future__ import annotations

from collections.abc import Sequence

from reqkit.errors import GitError
from reqkit.git.log import REVIEW_TRAILER
from reqkit.git.runner import Runner

__all__ = ["record_review"]


def record_review(runner: Runner, ids: Sequence[str], *, note: str | None = None) -> str:
    """Commit `Review ID, …` with a `Reqkit-Reviewed:` line on HEAD; the new commit's sha."""
    head = runner.head()
    if head is None:
        raise GitError("the repository has no commits yet; commit the requirements first")
    subject = f"Review {', '.join(ids)}"
    message = [subject]
    if note:
        message.append(note.strip())
    message.append(f"{REVIEW_TRAILER}: {', '.join(ids)}")
    args = ["commit-tree", f"{head}^{{tree}}", "-p", head]
    for paragraph in message:
        args += ["-m", paragraph]
    commit = runner.text(*args)
    runner.run("update-ref", "-m", f"reqkit review: {subject}", "HEAD", commit, head)
    return commit
