"""Git history: check against a base ref, diff, show, release notes, review, codeowners."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reqkit.config import Config, load_config
from reqkit.diagnostics import Diagnostic
from reqkit.loader.bulk import paused_gc

if TYPE_CHECKING:
    from reqkit.changes.diff import Diff
    from reqkit.changes.release_notes import ReleaseNotes
    from reqkit.changes.repo import Repo
    from reqkit.changes.show import Shown
    from reqkit.edit.codeowners import CodeownersResult
    from reqkit.git.history import History
    from reqkit.git.passes import PendingLog
    from reqkit.git.snapshot import BlobSummary
    from reqkit.reports.cache import BlobGrams

__all__ = [
    "FileFacts",
    "base_diagnostics",
    "base_file_facts",
    "codeowners",
    "diff",
    "history",
    "release_notes",
    "review",
    "show",
    "start_base",
]


def _config(root: str | Path | None, config: Config | None) -> Config:
    return config or load_config(Path(root) if root else None)


def history(
    root: str | Path | None = None,
    *,
    ref: str = "HEAD",
    config: Config | None = None,
    cache: bool = True,
) -> History:
    """Every requirement's timeline on the first-parent chain of `ref`.

    Empty (`head is None`) outside Git or before the first commit; a ref that does not
    resolve or a shallow clone raise `GitError` (exit 2 in the CLI), never partial answers.
    """
    from reqkit.git.history import load_history

    return load_history(_config(root, config), ref=ref, cache=cache)


def start_base(config: Config) -> PendingLog | None:
    """The part of `check --base` that takes longest, HEAD's whole log, set going now so
    git reads it while the check runs (None: outside Git, no commits, or a log cached)."""
    from reqkit.changes.repo import Repo
    from reqkit.errors import GitError
    from reqkit.git.passes import start_full_log

    try:
        repo = Repo.open(config)
        head = repo.runner.head()
        return start_full_log(repo.runner, head, repo.folder, repo.store) if head else None
    except GitError:
        return None  # said again, properly, by base_diagnostics


def base_diagnostics(
    config: Config,
    base: str,
    checked: Sequence[FileFacts] | None = None,
    pending: PendingLog | None = None,
) -> list[Diagnostic]:
    """Findings that need history: transitions, ID collisions, suspect links.

    `checked`: `base_file_facts` of every file a cold `check` just parsed: the blobs of
    HEAD it holds are then not read from Git again. `pending`: from `start_base`."""
    from reqkit.changes.base import base_facts
    from reqkit.changes.repo import Repo
    from reqkit.checks.context import CheckContext
    from reqkit.checks.history import check_base

    repo = Repo.open(config)
    if checked:
        repo.store.learn({f.blob: f.summary for f in checked})
    try:
        with paused_gc():  # thousands of summaries and entries that live on
            current, facts = base_facts(repo, base, pending)
    finally:
        if pending is not None:
            pending.cancel()  # (nothing left to stop once it was read)
    with paused_gc():
        found = check_base(current, facts, CheckContext(config))
        if any(e.known_id not in facts.base_exact_ids for e in current.entries):
            # something is new: near-duplicates need every title and description
            found += _near_duplicates(repo, config, facts.base_exact_ids, checked)
        elif checked:
            _keep_grams(repo, config, checked)
    return found


def _keep_grams(repo: Repo, config: Config, checked: Sequence[FileFacts]) -> None:
    """Keep the RK320 facts of HEAD's files that a cold check just took, although nothing
    new needs them now: the next change that adds a requirement (a pull request whose CI
    restores this run's cache) then reads no file version for them."""
    from reqkit.checks.context import CheckContext
    from reqkit.reports.cache import BlobGrams
    from reqkit.reports.duplicates import CODE

    if not CheckContext(config).enabled(CODE):
        return
    at_head = {v.blob for v in repo.versions(repo.head()).values()}
    table = BlobGrams.open(root=repo.runner.top, enabled=repo.cache)
    for f in checked:
        if f.blob in at_head and table.get(f.blob) is None:
            f.put_into(table)
    table.save()


def _near_duplicates(
    repo: Repo,
    config: Config,
    base_ids: Collection[str],
    checked: Sequence[FileFacts] | None = None,
) -> list[Diagnostic]:
    """RK320 over every file of the work tree, as `near_duplicate_diagnostics` of
    `repo.work_tree_set()` says, but a file unchanged since HEAD is read as its blob's
    cached ID and n-grams (`BlobGrams`): a warm run parses and tokenises only the files
    edited in the work tree, and builds full entries only for the files it warns about."""
    from reqkit.checks.context import CheckContext
    from reqkit.loader.files import FileData
    from reqkit.model.reqset import Entry
    from reqkit.reports.cache import BlobGrams
    from reqkit.reports.duplicates import (
        CODE,
        data_grams,
        listed_duplicates,
        near_duplicate_warnings,
    )

    if not CheckContext(config).enabled(CODE):
        return []
    head = repo.head()
    versions, edited = repo.work_tree(head, repo.versions(head))
    table = BlobGrams.open(root=repo.runner.top, enabled=repo.cache)
    blobs = {p: v.blob for p, v in versions.items() if p not in edited and v.blob}
    missing = {p: b for p, b in blobs.items() if table.get(b) is None}
    if checked and missing:
        by_blob = {f.blob: f for f in checked}
        for path in [p for p, blob in missing.items() if blob in by_blob]:
            by_blob[missing.pop(path)].put_into(table)
    for e in repo.data_at(head, missing).entries if missing else ():
        table.put(blobs[e.path], e.rid, listed_duplicates(e.data), data_grams(e.data))
    fresh = {e.path: e for e in repo.entries_at(None, dict.fromkeys(edited)).entries}
    paths = sorted([*blobs, *fresh])
    ids: list[str] = []
    sets = []
    for path in paths:
        entry = fresh.get(path)
        if entry is not None:
            ids.append(entry.known_id)
            sets.append(table.numbers(data_grams(entry.data)))
        else:
            rid, _, numbers = table.of(blobs[path])
            ids.append(rid or path.rsplit("/", 1)[-1].rsplit(".", 1)[0])
            sets.append(numbers)
    top = str(repo.runner.top) + os.sep

    def entry_at(k: int) -> Entry:
        """The file as `work_tree_set` has it, with what RK320 reads: its declared ID, its
        `links.duplicates` and (read from disk when asked) its position."""
        path = paths[k]
        if path in fresh:
            return fresh[path]
        rid, listed, _ = table.of(blobs[path])
        data: dict[str, Any] = {} if rid is None else {"id": rid}
        if listed is not None:
            data["links"] = {"duplicates": list(listed)}
        return Entry(path, top + path.replace("/", os.sep), FileData(data or None))

    found = near_duplicate_warnings(ids, sets, base_ids, config, entry_at, names=table.names)
    table.save()
    return found


class FileFacts(NamedTuple):
    """What `check --base` takes from a file its cold check just read, keyed by the Git
    blob those bytes make (a file whose bytes differ from Git's, e.g. line endings
    converted, then matches no blob and is read from Git)."""

    blob: str
    summary: BlobSummary  # for the history
    rid: str | None  # RK320's row (a `BlobGrams` one): the declared ID,
    listed: tuple[str, ...] | None  # `links.duplicates`,
    joined: str  # and the n-grams joined by NUL (one string pickles small)

    def put_into(self, table: BlobGrams) -> None:
        grams = frozenset(self.joined.split("\0") if self.joined else ())
        table.put(self.blob, self.rid, self.listed, grams)


def base_file_facts(raw: bytes, data: dict[str, Any] | None) -> FileFacts:
    """The `FileFacts` of one file, from its bytes and parsed data, as they would be read
    from its blob (dates as text, as `parsed_data` keeps them)."""
    from reqkit.git.snapshot import summarize
    from reqkit.git.trees import blob_sha
    from reqkit.loader.files import dates_as_text, holds_date
    from reqkit.reports.duplicates import data_grams, listed_duplicates

    if data is not None and holds_date(data):
        data = dates_as_text(data)
    rid = data.get("id") if data else None
    return FileFacts(
        blob_sha(raw),
        summarize(raw),
        rid if isinstance(rid, str) else None,
        listed_duplicates(data),
        "\0".join(data_grams(data)),
    )


def diff(
    base: str,
    head: str | None = None,
    *,
    root: str | Path | None = None,
    config: Config | None = None,
) -> Diff:
    """What changed from the merge-base of `base` and `head` to `head` (None: the work tree)."""
    from reqkit.changes.diff import compute_diff
    from reqkit.changes.repo import Repo

    with paused_gc():
        return compute_diff(Repo.open(_config(root, config)), base, head)


def release_notes(
    from_ref: str,
    to_ref: str,
    *,
    root: str | Path | None = None,
    config: Config | None = None,
) -> ReleaseNotes:
    """Requirements shipped (released or closed) at `to_ref` and not at `from_ref`."""
    from reqkit.changes.release_notes import compute_release_notes
    from reqkit.changes.repo import Repo

    with paused_gc():
        return compute_release_notes(Repo.open(_config(root, config)), from_ref, to_ref)


def show(
    rid: str,
    *,
    root: str | Path | None = None,
    config: Config | None = None,
    with_history: bool = False,
) -> Shown:
    """One requirement, its links both ways, its tests and (with_history) its timeline."""
    from reqkit.api.project import load
    from reqkit.changes.show import shown
    from reqkit.errors import UsageError

    config = _config(root, config)
    timeline = history(config=config).get(rid) if with_history else None
    found = shown(load(config=config), rid, timeline)
    if found is None:
        raise UsageError(f"no requirement '{rid}' in {config.requirements}/")
    return found


def review(
    ids: Sequence[str],
    *,
    root: str | Path | None = None,
    config: Config | None = None,
    note: str | None = None,
) -> str:
    """Record that `ids` were reviewed against their parents as they read now; the commit."""
    from reqkit.api.project import load
    from reqkit.errors import GitError, UsageError
    from reqkit.git.review import record_review
    from reqkit.git.runner import open_runner

    config = _config(root, config)
    known = load(config=config)
    missing = [i for i in ids if i not in known]
    if missing:
        raise UsageError(f"no requirement {', '.join(missing)} in {config.requirements}/")
    runner = open_runner(config.root)
    if runner is None:
        raise GitError(
            f"{config.root} is not in a Git repository; a review is recorded as a commit"
        )
    return record_review(runner, list(dict.fromkeys(ids)), note=note)


def codeowners(
    *,
    root: str | Path | None = None,
    config: Config | None = None,
    output: str | Path | None = None,
    check: bool = False,
) -> CodeownersResult:
    """Write the owners block of `.github/CODEOWNERS` (at the top of the work tree)."""
    from reqkit.api.project import boundary_of, load, rel_path
    from reqkit.edit.codeowners import write_codeowners

    config = _config(root, config)
    top = boundary_of(config)
    target = Path(output) if output else top / ".github" / "CODEOWNERS"
    return write_codeowners(
        load(config=config), target, shown_as=rel_path(target, top), check=check
    )
