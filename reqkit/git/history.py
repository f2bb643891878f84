"""Per-requirement timelines from one log pass: commits, status over time, renames followed.

The log is read once (`log.read_log`), every new file version is read in one
`cat-file --batch` and summarised once (`snapshot.summarize`, cached by blob), and the
result is inverted into one `Timeline` per requirement. The whole result is cached by
the tip commit, so a second run only loads it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from reqkit.config import Config
from reqkit.git.log import FileChange, LogCommit, read_reviews
from reqkit.git.passes import full_log, range_log, summarize_many
from reqkit.git.runner import Runner, open_runner
from reqkit.git.snapshot import EMPTY, BlobSummary
from reqkit.git.store import HistoryStore
from reqkit.loader.bulk import paused_gc

__all__ = [
    "Change",
    "Commit",
    "History",
    "Timeline",
    "Transition",
    "build_history",
    "changes_between",
    "invert_log",
    "last_touch",
    "load_history",
    "meaning_change",
    "requirements_folder",
]

ChangeKind = Literal["added", "modified", "renamed", "removed"]
_KINDS: dict[str, ChangeKind] = {"A": "added", "M": "modified", "R": "renamed", "D": "removed"}


@dataclass(frozen=True, slots=True)
class Commit:
    """A first-parent commit: the moment a change reached the branch."""

    sha: str
    author: str
    email: str
    date: dt.datetime  # committer date, with its offset
    subject: str
    pr: int | None  # from `(#123)` or `Merge pull request #123`

    @classmethod
    def of(cls, c: LogCommit) -> Commit:
        return cls(c.sha, c.author, c.email, _date(c.date, c.timestamp), c.subject, c.pr)


@dataclass(frozen=True, slots=True)
class Change:
    """One commit's change to one requirement file."""

    commit: Commit
    kind: ChangeKind
    path: str
    old_path: str | None  # for a rename
    status: str | None  # the status after this commit (None: removed or unreadable)
    title: str | None
    meaning: str | None  # fingerprint of title, description, acceptance
    blob: str | None


@dataclass(frozen=True, slots=True)
class Transition:
    """A status change; `old` is None when the requirement was added in `new`."""

    commit: Commit
    old: str | None
    new: str


@dataclass(frozen=True)
class Timeline:
    """One requirement's life; its changes are built on first use (a warm load of 10k
    timelines then costs only what a caller reads)."""

    id: str
    path: str | None  # at the tip; None when the file was removed
    rows: tuple[Any, ...] = field(repr=False)  # cached rows, see `_rows_for_cache`
    table: list[Commit] = field(repr=False, compare=False)  # the history's commits

    @functools.cached_property
    def changes(self) -> tuple[Change, ...]:  # oldest first
        commits = self.table
        return tuple(
            Change(commits[i], _KINDS[k], p, old, status, title, meaning, blob)
            for i, k, p, old, blob, _id, status, title, meaning in self.rows
        )

    @functools.cached_property
    def transitions(self) -> tuple[Transition, ...]:
        out: list[Transition] = []
        last: str | None = None
        for ch in self.changes:
            if ch.status is not None and ch.status != last:
                out.append(Transition(ch.commit, last, ch.status))
            if ch.status is not None or ch.kind == "removed":
                last = ch.status
        return tuple(out)

    @property
    def commits(self) -> tuple[Commit, ...]:
        return tuple(ch.commit for ch in self.changes)

    @property
    def created(self) -> Commit:
        return self.changes[0].commit

    @property
    def updated(self) -> Commit:
        return self.changes[-1].commit

    @property
    def status(self) -> str | None:
        return self.changes[-1].status

    def status_at(self, when: dt.datetime) -> str | None:
        """The status the branch showed at `when` (None before it existed)."""
        status = None
        for ch in self.changes:
            if ch.commit.date > when:
                break
            status = ch.status
        return status

    @property
    def prs(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(ch.commit.pr for ch in self.changes if ch.commit.pr))


@dataclass(frozen=True)
class History:
    """Every requirement's timeline on the first-parent chain of `head`."""

    head: str | None  # None: no Git or no commits: nothing to tell
    commits: tuple[Commit, ...] = ()  # oldest first; those that changed requirement files
    timelines: dict[str, Timeline] = field(default_factory=dict)  # live at the tip, by ID
    removed: dict[str, Timeline] = field(default_factory=dict)  # gone at the tip, by last ID
    reviews: dict[str, tuple[Commit, ...]] = field(default_factory=dict)  # ID → review commits

    def get(self, rid: str) -> Timeline | None:
        return self.timelines.get(rid) or self.removed.get(rid)

    # What suspect links ask (`reqkit.changes.suspect`); `SparseHistory` answers alike.

    def last_touch(self, rid: str) -> int | None:
        """Index in `commits` of the last change to the content of live `rid`."""
        tl = self.timelines.get(rid)
        return last_touch(tl.rows) if tl else None

    def meaning_change(self, rid: str) -> int | None:
        """Index in `commits` of the change that gave live `rid` its current meaning."""
        tl = self.timelines.get(rid)
        return meaning_change(tl.rows, lambda row: row[8]) if tl else None

    def paths(self, rid: str) -> list[str]:
        """Every path `rid` had (live, else removed), sorted."""
        tl = self.get(rid)
        return sorted({row[2] for row in tl.rows}) if tl else []

    def meanings(self, blobs: set[str]) -> dict[str, str | None]:
        """The meaning of each of `blobs` that a live timeline holds."""
        return {
            row[4]: row[8]
            for tl in self.timelines.values()
            for row in tl.rows
            if row[4] and row[4] in blobs
        }

    def prepare(self, rids: Iterable[str]) -> None:
        """Nothing to do: every version is summarised already."""

    def __iter__(self) -> Iterator[Timeline]:
        return iter(self.timelines.values())

    def __len__(self) -> int:
        return len(self.timelines)


def _date(iso: str, ts: int) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(iso)
    except ValueError:
        return dt.datetime.fromtimestamp(ts, dt.UTC)


# --- building -------------------------------------------------------------------------

_Row = tuple[int, str, str, str | None, str | None]  # commit index, kind, path, old, blob


def last_touch(rows: Iterable[tuple[Any, ...]]) -> int | None:
    """Commit index of the last row that changed a file's content (a pure move is not)."""
    previous: str | None = None
    found: int | None = None
    for row in rows:
        if row[1] != "D" and row[4] != previous:
            found = row[0]
        previous = row[4]
    return found


def meaning_change(
    rows: Iterable[tuple[Any, ...]], meaning: Callable[[tuple[Any, ...]], str | None]
) -> int | None:
    """Commit index of the row that gave a file its current meaning (its addition does
    not count; unreadable versions are skipped, so a meaning changed back is no change)."""
    last: str | None = None
    found: int | None = None
    for row in rows:
        m = meaning(row)
        if m is None:
            continue
        if last is not None and m != last:
            found = row[0]
        last = m
    return found


def invert_log(
    log: list[tuple[LogCommit, list[FileChange]]], existing: Iterable[str] = ()
) -> tuple[list[tuple[str, list[_Row]]], list[tuple[str, list[_Row]]]]:
    """(live, removed): per file history as (final path, rows), renames followed.

    `existing`: the files there before the log starts (a log of a range, not from the
    first commit), so that a deletion of one of them is seen as it is in the whole log.
    """
    live: dict[str, list[_Row]] = {path: [] for path in existing}
    gone: dict[str, list[_Row]] = {}
    for index, (_, changes) in enumerate(log):
        for ch in changes:
            if ch.kind == "A":
                rows = gone.pop(ch.path) if ch.path in gone else live.pop(ch.path, [])
                rows.append((index, "A", ch.path, None, ch.blob))
                live[ch.path] = rows
            elif ch.kind == "R" and ch.old_path is not None:
                rows = live.pop(ch.old_path, [])
                rows.append((index, "R", ch.path, ch.old_path, ch.blob))
                live[ch.path] = rows
            elif ch.kind == "D":
                if ch.path in live:
                    rows = live.pop(ch.path)
                    rows.append((index, "D", ch.path, None, None))
                    gone[ch.path] = rows
            else:
                live.setdefault(ch.path, []).append((index, "M", ch.path, None, ch.blob))
    return sorted(live.items()), sorted(gone.items())


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def requirements_folder(config: Config, runner: Runner) -> str:
    """The requirements folder relative to the top of the work tree, `/` separated."""
    import os

    rel = os.path.relpath(config.requirements_dir.resolve(), runner.top.resolve())
    return "" if rel == "." else rel.replace(os.sep, "/")


def load_history(config: Config, *, ref: str = "HEAD", cache: bool = True) -> History:
    """Every requirement's timeline on the first-parent chain of `ref`.

    Outside Git, or before the first commit, the history is empty (not an error). A ref
    that does not resolve, or a shallow clone, is a GitError naming the fix.
    """
    runner = open_runner(config.root)
    if runner is None:
        return History(None)
    tip = runner.head() if ref == "HEAD" else runner.resolve(ref)
    if tip is None:
        return History(None)
    runner.require_full_history()
    folder = requirements_folder(config, runner)
    store = HistoryStore.open(top=runner.top, requirements=folder, enabled=cache)
    return build_history(runner, tip, folder, store=store)


def build_history(runner: Runner, tip: str, folder: str, *, store: HistoryStore) -> History:
    """The history of `tip` (a commit), from the cache when it holds this tip."""
    with paused_gc():  # tens of thousands of tuples that live on: nothing to collect
        cached = store.load(tip)
        if cached is None:
            log = full_log(runner, tip, folder, store)
            blobs = {ch.blob for _, chs in log for ch in chs if ch.blob}
            summaries = store.summaries(blobs, lambda missing: summarize_many(runner, missing))
            reviews = read_reviews(runner, tip)
            cached = _rows_for_cache(log, summaries, reviews)
            store.save(tip, cached)
        return _from_rows(tip, cached)


def changes_between(
    runner: Runner, start: str, end: str, folder: str, store: HistoryStore
) -> dict[str, tuple[Commit, ...]] | None:
    """Path at `end` → the first-parent commits of `start..end` that changed it (renames
    followed), oldest first: what that path's timeline in the history of `end` has in the
    range, read from that range's log alone (no file version is read). None when the
    range is not the newest part of `end`'s first-parent chain (then ask the history).
    """
    chain = runner.text("rev-list", "--first-parent", end).split()
    fresh = runner.text("rev-list", "--first-parent", f"{start}..{end}").split()
    if chain[: len(fresh)] != fresh:
        return None
    log = range_log(runner, start, end, folder, store)
    # the files there when the range begins: a deletion of one is then seen as it is in
    # the whole log (the rest of a file's rows lie outside the range either way)
    before = chain[len(fresh)] if len(chain) > len(fresh) else None
    existing = runner.paths(before, folder) if before else []
    live, _ = invert_log(log, existing)
    commits = [Commit.of(c) for c, _ in log]
    return {path: tuple(commits[row[0]] for row in rows) for path, rows in live}


def _rows_for_cache(
    log: list[tuple[LogCommit, list[FileChange]]],
    summaries: dict[str, BlobSummary],
    reviews: list[LogCommit],
) -> dict[str, Any]:
    """Plain tuples and lists only: marshal stores and loads them fast."""
    live, gone = invert_log(log)
    commits = [(c.sha, c.author, c.email, c.timestamp, c.date, c.subject, c.pr) for c, _ in log]

    def rows(items: list[tuple[str, list[_Row]]]) -> list[tuple[object, ...]]:
        out: list[tuple[object, ...]] = []
        for path, rs in items:
            full = [(*r, *(summaries.get(r[4] or "") or EMPTY)[:4]) for r in rs]
            last = next((f for f in reversed(full) if f[5]), None)
            out.append((str(last[5]) if last else _stem(path), path, full))
        return out

    extra = [(c.sha, c.author, c.email, c.timestamp, c.date, c.subject, c.pr) for c in reviews]
    return {
        "commits": commits,
        "live": rows(live),
        "gone": rows(gone),
        "reviews": [(e, list(c.reviewed)) for e, c in zip(extra, reviews, strict=True)],
    }


def _from_rows(tip: str, cached: dict[str, Any]) -> History:
    commits = [
        Commit(s, a, e, _date(d, t), subj, pr) for s, a, e, t, d, subj, pr in cached["commits"]
    ]

    def timelines(items: Any, live: bool) -> dict[str, Timeline]:
        out: dict[str, Timeline] = {}
        for rid, path, full in items:
            if rid not in out:
                out[rid] = Timeline(rid, path if live else None, tuple(full), commits)
        return out

    reviews: dict[str, list[Commit]] = {}
    for (s, a, e, t, d, subj, pr), ids in cached["reviews"]:
        commit = Commit(s, a, e, _date(d, t), subj, pr)
        for rid in ids:
            reviews.setdefault(rid, []).append(commit)
    return History(
        tip,
        tuple(commits),
        timelines(cached["live"], True),
        timelines(cached["gone"], False),
        {k: tuple(v) for k, v in sorted(reviews.items())},
    )
