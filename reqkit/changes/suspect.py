"""Suspect links: a parent changed its meaning after its child was last reviewed.

"Reviewed" is a first-parent commit that changed the child's file, or any commit
reachable from HEAD whose message names the child in a `Reqkit-Reviewed:` line, judged
by the parent's meaning in *that* commit's tree: a review counts when it saw the parent
as it reads now. That makes review commits order-free, so they merge without conflicts
from any branch (and a parent changed and changed back is not suspect).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

from reqkit.changes.repo import Repo
from reqkit.checks.history import SuspectLink
from reqkit.git.history import Commit
from reqkit.git.snapshot import summarize
from reqkit.git.trees import FileVersion

__all__ = ["Timelines", "suspect_links"]

WORKING = "the working tree"


class Timelines(Protocol):
    """What suspect links ask of a history: `History` (every version summarised) and
    `SparseHistory` (only the versions asked) answer alike."""

    @property
    def commits(self) -> Sequence[Commit]: ...

    @property
    def reviews(self) -> Mapping[str, tuple[Commit, ...]]: ...

    def last_touch(self, rid: str) -> int | None: ...

    def meaning_change(self, rid: str) -> int | None: ...

    def paths(self, rid: str) -> list[str]: ...

    def meanings(self, blobs: set[str]) -> dict[str, str | None]: ...

    def prepare(self, rids: Iterable[str]) -> None: ...


def suspect_links(
    repo: Repo,
    history: Timelines,
    current: dict[str, FileVersion],
    edited: set[str],
    head_versions: dict[str, FileVersion],
) -> list[SuspectLink]:
    """Every `parent` link of `current` (path → version) whose target changed after review."""
    commits = history.commits
    by_id = {v.id: v for v in sorted(current.values(), key=lambda v: v.path)}
    edited_ids = {current[p].id for p in edited if p in current}
    children = [
        child
        for child in sorted(by_id.values(), key=lambda v: v.id)
        # edited in this change (the author is looking at it now), or no parent
        if child.id not in edited_ids and any(k == "parent" for k, _ in child.summary[4])
    ]
    # the meanings of every parent's versions, in one pass
    history.prepare({t for child in children for k, t in child.summary[4] if k == "parent"})
    candidates: list[tuple[SuspectLink, str]] = []  # (suspect, current meaning of the parent)
    for child in children:
        touch = history.last_touch(child.id)
        reviewed = commits[touch].sha[:12] if touch is not None else None
        for kind, target in child.summary[4]:
            parent = by_id.get(target)
            if kind != "parent" or parent is None or parent.summary[3] is None:
                continue
            meaning = parent.summary[3]
            if parent.id in edited_ids:
                before = head_versions.get(parent.path)
                if before is None or before.summary[3] != meaning:
                    candidates.append(
                        (SuspectLink(child.id, target, kind, WORKING, reviewed), meaning)
                    )
                    continue
            changed = history.meaning_change(target)
            if changed is None or (touch is not None and touch >= changed):
                continue
            candidates.append(
                (SuspectLink(child.id, target, kind, commits[changed].sha[:12], reviewed), meaning)
            )
    return _drop_reviewed(repo, history, candidates)


def _drop_reviewed(
    repo: Repo, history: Timelines, candidates: list[tuple[SuspectLink, str]]
) -> list[SuspectLink]:
    """Keep the candidates no `Reqkit-Reviewed:` commit covers (one batch of lookups)."""
    queries: list[tuple[int, str]] = []  # (candidate index, "sha:path")
    for i, (s, _) in enumerate(candidates):
        paths = history.paths(s.parent)
        for review in history.reviews.get(s.child, ()):
            queries.extend((i, f"{review.sha}:{path}") for path in paths)
    if not queries:
        return [s for s, _ in candidates]
    blobs = repo.runner.blob_ids([q for _, q in queries])
    known = history.meanings({b for b in blobs if b})
    unknown = {b for b in blobs if b and b not in known}
    if unknown:
        known.update({sha: summarize(raw)[3] for sha, raw in repo.runner.blobs(unknown).items()})
    covered = {
        i
        for (i, _), blob in zip(queries, blobs, strict=True)
        if blob and known.get(blob) == candidates[i][1]
    }
    return [s for i, (s, _) in enumerate(candidates) if i not in covered]
