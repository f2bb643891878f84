"""Suspect links: a parent changed its meaning after its child was last reviewed.

"Reviewed" is a first-parent commit that changed the child's file, or any commit
reachable from HEAD whose message names the child in a `Reqkit-Reviewed:` line, judged
by the parent's meaning in *that* commit's tree: a review counts when it saw the parent
as it reads now. That makes review commits order-free, so they merge without conflicts
from any branch (and a parent changed and changed back is not suspect).
"""

from __future__ import annotations

from reqkit.changes.repo import Repo
from reqkit.checks.history import SuspectLink
from reqkit.git.history import History, Timeline
from reqkit.git.snapshot import summarize
from reqkit.git.trees import FileVersion

__all__ = ["suspect_links"]

WORKING = "the working tree"


def _meaning_change(tl: Timeline) -> int | None:
    """Index into `tl.changes` of the change that gave the current meaning (not the add)."""
    last: str | None = None
    found: int | None = None
    for i, ch in enumerate(tl.changes):
        if ch.meaning is None:
            continue
        if last is not None and ch.meaning != last:
            found = i
        last = ch.meaning
    return found


def _last_touch(tl: Timeline) -> int | None:
    """Index of the last change that changed the file's content (a pure move is not a review)."""
    previous: str | None = None
    found: int | None = None
    for i, ch in enumerate(tl.changes):
        if ch.kind != "removed" and ch.blob != previous:
            found = i
        previous = ch.blob
    return found


def suspect_links(
    repo: Repo,
    history: History,
    current: dict[str, FileVersion],
    edited: set[str],
    head_versions: dict[str, FileVersion],
) -> list[SuspectLink]:
    """Every `parent` link of `current` (path → version) whose target changed after review."""
    position = {c.sha: i for i, c in enumerate(history.commits)}
    by_id = {v.id: v for v in sorted(current.values(), key=lambda v: v.path)}
    edited_ids = {current[p].id for p in edited if p in current}
    candidates: list[tuple[SuspectLink, str]] = []  # (suspect, current meaning of the parent)
    for child in sorted(by_id.values(), key=lambda v: v.id):
        if child.id in edited_ids or not any(k == "parent" for k, _ in child.summary[4]):
            continue  # edited in this change (the author is looking at it now), or no parent
        tl_child = history.timelines.get(child.id)
        touch = _last_touch(tl_child) if tl_child else None
        reviewed_at = tl_child.changes[touch].commit if tl_child and touch is not None else None
        reviewed = reviewed_at.sha[:12] if reviewed_at else None
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
            tl_parent = history.timelines.get(target)
            k = _meaning_change(tl_parent) if tl_parent else None
            if tl_parent is None or k is None:
                continue
            changed_at = tl_parent.changes[k].commit
            if reviewed_at is not None and position.get(reviewed_at.sha, -1) >= position.get(
                changed_at.sha, -1
            ):
                continue
            candidates.append(
                (SuspectLink(child.id, target, kind, changed_at.sha[:12], reviewed), meaning)
            )
    return _drop_reviewed(repo, history, candidates)


def _drop_reviewed(
    repo: Repo, history: History, candidates: list[tuple[SuspectLink, str]]
) -> list[SuspectLink]:
    """Keep the candidates no `Reqkit-Reviewed:` commit covers (one batch of lookups)."""
    queries: list[tuple[int, str]] = []  # (candidate index, "sha:path")
    for i, (s, _) in enumerate(candidates):
        tl_parent = history.get(s.parent)
        paths = sorted({ch.path for ch in tl_parent.changes}) if tl_parent else []
        for review in history.reviews.get(s.child, ()):
            queries.extend((i, f"{review.sha}:{path}") for path in paths)
    if not queries:
        return [s for s, _ in candidates]
    blobs = repo.runner.blob_ids([q for _, q in queries])
    known = {
        ch.blob: ch.meaning for tl in history.timelines.values() for ch in tl.changes if ch.blob
    }
    unknown = {b for b in blobs if b and b not in known}
    if unknown:
        known.update({sha: summarize(raw)[3] for sha, raw in repo.runner.blobs(unknown).items()})
    covered = {
        i
        for (i, _), blob in zip(queries, blobs, strict=True)
        if blob and known.get(blob) == candidates[i][1]
    }
    return [s for i, (s, _) in enumerate(candidates) if i not in covered]
