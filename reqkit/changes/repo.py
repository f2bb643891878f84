"""The repository as the change commands see it: trees at commits and the work tree,
each file as a cached summary, full entries only for the few files a finding needs."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from reqkit.config import Config
from reqkit.errors import GitError
from reqkit.git.history import History, build_history, requirements_folder
from reqkit.git.runner import Runner, open_runner
from reqkit.git.snapshot import EMPTY, summarize
from reqkit.git.store import HistoryStore
from reqkit.git.trees import FileVersion, changed_files, trees_versions, work_tree_bytes
from reqkit.loader.files import FileData, parse_bytes, too_large
from reqkit.model.reqset import Entry, RequirementSet

if TYPE_CHECKING:
    from reqkit.git.passes import PendingLog
    from reqkit.git.sparse import SparseHistory

__all__ = ["WORK_TREE", "Repo"]

#: The pseudo-ref for the files on disk (the default `HEAD` of `diff`).
WORK_TREE = "working tree"


@dataclass
class Repo:
    config: Config
    runner: Runner
    folder: str
    store: HistoryStore
    cache: bool = True
    _trees: dict[str, dict[str, FileVersion]] = field(default_factory=dict, repr=False)
    _work: dict[str, tuple[dict[str, FileVersion], set[str]]] = field(
        default_factory=dict, repr=False
    )

    @classmethod
    def open(cls, config: Config, *, cache: bool = True) -> Repo:
        runner = open_runner(config.root)
        if runner is None:
            raise GitError(f"{config.root} is not in a Git repository; this command reads history")
        folder = requirements_folder(config, runner)
        store = HistoryStore.open(top=runner.top, requirements=folder, enabled=cache)
        return cls(config, runner, folder, store, cache)

    def head(self) -> str:
        head = self.runner.head()
        if head is None:
            raise GitError("the repository has no commits yet; there is nothing to compare with")
        return head

    def history(self, ref: str = "HEAD") -> History:
        """`load_history` of `ref`, sharing this repository's runner and cache (the blob
        summaries already read for trees are not read from disk again)."""
        tip = self.runner.head() if ref == "HEAD" else self.runner.resolve(ref)
        if tip is None:
            return History(None)
        self.runner.require_full_history()
        return build_history(self.runner, tip, self.folder, store=self.store)

    def sparse_history(self, pending: PendingLog | None = None) -> SparseHistory:
        """HEAD's history as suspect links read it: the log (cached like the engine's) and
        summaries of only the versions they look at, from the same per-blob cache.
        `pending`: HEAD's log, started earlier (`start_full_log`)."""
        from reqkit.git.passes import full_log, reviews_of, summarize_many
        from reqkit.git.sparse import SparseHistory

        tip = self.head()
        self.runner.require_full_history()
        return SparseHistory(
            full_log(self.runner, tip, self.folder, self.store, pending),
            reviews_of(self.runner, tip, self.store),
            lambda missing: self.store.summaries(missing, lambda m: summarize_many(self.runner, m)),
        )

    def versions(self, commit: str) -> dict[str, FileVersion]:
        """path → version at `commit` (remembered: a commit's tree never changes)."""
        self.prefetch(commit)
        return dict(self._trees[commit])

    def prefetch(self, *commits: str) -> None:
        """Read the trees of `commits` in one pass (one `cat-file`, one set of workers)."""
        wanted = [c for c in dict.fromkeys(commits) if c not in self._trees]
        if wanted:
            found = trees_versions(self.runner, wanted, self.folder, self.store)
            self._trees.update(zip(wanted, found, strict=True))

    def prefetch_data(self, data: set[str], trees: tuple[str, ...]) -> None:
        """Parse the blobs `data` (for `data_at`) and summarise the trees of `trees` (for
        `versions`) in one pass over the object store: a blob wanted both ways is read once."""
        from reqkit.git.passes import map_blobs_many
        from reqkit.git.snapshot import parsed_data, requirement_files

        tree_blobs = {
            sha
            for commit in trees
            for _, sha in requirement_files(self.runner, commit, self.folder)
        }
        need_summary, need_data = self.store.missing(tree_blobs, data)
        if not (need_summary or need_data):
            return
        summaries, parsed = map_blobs_many(
            self.runner, [(need_summary, summarize), (need_data, parsed_data)]
        )
        self.store.summaries(need_summary, lambda _: summaries)
        self.store.contents(need_data, lambda _: parsed)

    def work_tree(
        self, head: str | None, at_head: dict[str, FileVersion] | None = None
    ) -> tuple[dict[str, FileVersion], set[str]]:
        """The files on disk as versions (HEAD's where unchanged), and the edited paths.

        `at_head` is HEAD's versions when the caller has them already (it is not changed).
        """
        if head is None:
            return {}, set()
        if head not in self._work:  # (`check --base` asks twice: one diff, one read)
            versions = dict(at_head) if at_head is not None else self.versions(head)
            edited: set[str] = set()
            for ch in changed_files(self.runner, head, None, self.folder):
                if ch.old_path:
                    versions.pop(ch.old_path, None)
                raw = work_tree_bytes(self.runner.top, ch.path)
                if ch.kind == "D" or raw is None:
                    versions.pop(ch.path, None)
                    continue
                versions[ch.path] = FileVersion(ch.path, "", summarize(raw) if raw else EMPTY)
                edited.add(ch.path)
            self._work[head] = (versions, edited)
        versions, edited = self._work[head]
        return dict(versions), set(edited)

    def data_at(self, commit: str, paths: Mapping[str, str | None]) -> RequirementSet:
        """Entries for `paths` (path → blob) with their data only, parsed once per blob ever
        (no text or positions: for comparing, not for locating findings)."""
        from reqkit.git.passes import map_blobs
        from reqkit.git.snapshot import parsed_data

        shas = {b for b in paths.values() if b}
        known = self.store.contents(
            shas, lambda missing: map_blobs(self.runner, missing, parsed_data)
        )
        entries = [
            Entry(path, f"{commit[:12]}:{path}", FileData(known.get(blob or "")))
            for path, blob in sorted(paths.items())
            if blob
        ]
        return RequirementSet(entries)

    def work_tree_set(self) -> RequirementSet:
        """Every requirement file of the work tree (tracked or untracked, not ignored):
        unchanged ones from the per-blob cache, located on disk so that positions still
        work, edited ones read from disk. Far cheaper than parsing 10k files again."""
        head = self.head()
        versions, edited = self.work_tree(head, self.versions(head))
        cached = self.data_at(head, {p: v.blob for p, v in versions.items() if p not in edited})
        top = str(self.runner.top) + os.sep
        for entry in cached.entries:  # (a Path per entry costs 0.3 s on 10k files)
            entry.abspath = top + entry.path.replace("/", os.sep)
        fresh = self.entries_at(None, dict.fromkeys(edited))
        return RequirementSet(sorted([*cached.entries, *fresh.entries], key=lambda e: e.path))

    def entries_at(self, commit: str | None, paths: Mapping[str, str | None]) -> RequirementSet:
        """Full entries for `paths` (path → blob, or None for the file on disk)."""
        contents = self.runner.blobs(b for b in paths.values() if b) if commit else {}
        entries = []
        limit = self.config.max_file_size
        for path, blob in sorted(paths.items()):
            if blob is None:
                raw = work_tree_bytes(self.runner.top, path)
                where = str(Path(self.runner.top, path))
            else:
                raw = contents.get(blob)
                where = f"{(commit or '')[:12]}:{path}"
            if raw is None:
                continue
            fd = too_large(len(raw), limit) if len(raw) > limit else parse_bytes(raw)
            entries.append(Entry(path, where, fd))
        return RequirementSet(entries)
