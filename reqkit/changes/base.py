"""What `check --base REF` compares: the merge-base, the tip of REF, the work tree.

Only files that changed since the merge-base are read in full (from the object store or
the disk); everything else comes from cached per-blob summaries, so a pull request on a
10k-requirement repository reads a handful of files.
"""

from __future__ import annotations

from reqkit.changes.repo import Repo
from reqkit.changes.suspect import suspect_links
from reqkit.checks.history import BaseFacts
from reqkit.git.passes import PendingLog
from reqkit.git.snapshot import requirement_files
from reqkit.git.trees import changed_files
from reqkit.model.reqset import RequirementSet

__all__ = ["base_facts"]


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def base_facts(
    repo: Repo, ref: str, pending: PendingLog | None = None
) -> tuple[RequirementSet, BaseFacts]:
    """(the work-tree entries findings may be located in, the facts the rules judge).

    `pending`: HEAD's log, started before the caller's other work (`start_full_log`)."""
    head = repo.head()
    tip = repo.runner.resolve(ref)
    merge_base = repo.runner.merge_base(head, tip)
    repo.runner.require_full_history()
    # what this branch (and the work tree) changed since it started
    changes = [
        ch for ch in changed_files(repo.runner, merge_base, None, repo.folder) if ch.kind != "D"
    ]
    old_paths = {ch.old_path or ch.path: ch.old_blob for ch in changes if ch.old_blob}
    base = repo.entries_at(merge_base, old_paths)
    base_versions = requirement_files(repo.runner, merge_base, repo.folder)
    exact_ids = {_stem(p) for p, _ in base_versions} | {e.known_id for e in base.entries}
    base_ids = {i.casefold() for i in exact_ids}
    current_paths: dict[str, str | None] = {ch.path: None for ch in changes}

    head_versions = repo.versions(head)
    history = repo.sparse_history(pending)
    versions, edited = repo.work_tree(head, head_versions)
    suspects = suspect_links(repo, history, versions, edited, head_versions)
    by_id = {v.id: v.path for v in versions.values()}
    for s in suspects:
        if s.child in by_id:
            current_paths.setdefault(by_id[s.child], None)
    current = repo.entries_at(None, current_paths)

    added = {e.known_id.casefold() for e in current.entries} - base_ids
    tip_files = {
        p: sha
        for p, sha in requirement_files(repo.runner, tip, repo.folder)
        if _stem(p).casefold() in added
    }
    return current, BaseFacts(
        ref=ref,
        base=base,
        base_ids=frozenset(base_ids),
        base_exact_ids=frozenset(exact_ids),
        tip=repo.entries_at(tip, dict(tip_files)),
        suspects=tuple(suspects),
    )
