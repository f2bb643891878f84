"""`report`: where the requirements stand, how fast they flow, and what is late."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from collections.abc import Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reqkit.api.project import found_files, rel_paths
from reqkit.config import Config, load_config
from reqkit.reports.build import Report, Target, build_report
from reqkit.reports.cache import (
    ReportCache,
    Stamp,
    item_row,
    pack_versions,
    row_item,
    stamp,
    text_key,
    unpack_versions,
)
from reqkit.reports.duplicates import Pair, grams, near_duplicates
from reqkit.reports.items import Item, items_from, new_tuple
from reqkit.reports.timeline import Roles, Version

if TYPE_CHECKING:
    from reqkit.git.history import History

__all__ = ["Report", "report"]

UTC = dt.UTC
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def report(
    root: str | Path | None = None,
    *,
    at: str | None = None,
    config: Config | None = None,
    now: dt.datetime | None = None,
    stale_days: int | None = None,
    cache: bool = True,
) -> Report:
    """The status report of the working tree, or with `at` of a Git ref or a date.

    `at` as `YYYY-MM-DD` means the last first-parent commit of HEAD on or before that day
    (UTC), measured as of the end of that day; any other value is a Git ref, measured as
    of its commit date. `now` (default: the current time) is the moment ages and SLA
    limits are measured at for the working tree. Unknown refs, a date before the first
    commit, or a shallow clone raise `GitError`.
    """
    from reqkit.git.refs import head_commit
    from reqkit.loader.bulk import paused_gc

    config = config or load_config(Path(root) if root else None)
    store = ReportCache.open(root=config.root, enabled=cache)
    if at is None:
        moment = (now or dt.datetime.now(UTC)).astimezone(UTC)
        tip = head_commit(config)
    else:
        tip, moment = _resolve_at(config, at)
    with paused_gc():  # 10k items and versions, no cycles: collecting finds nothing
        versions = store.get_versions(tip) if tip else None
        files = _Files(config, store, None if at is None or tip is None else tip)
        if tip is not None and versions is None:
            versions, items, pairs = _with_history(config, tip, cache, files)
        else:
            items, pairs = files.finish(files.compute(None))
        store.save()
        versions = versions or {}
        changed = _add_worktree(versions, items, moment) if at is None else False
        target = Target(moment, at, tip, tip is not None)
        # the flow of commits only (nothing uncommitted) is the same all day: kept
        keep = tip is not None and not changed and store.path is not None
        key = _flow_key(tip, items, config, moment) if keep and tip is not None else None
        known = store.get_flow(key, moment) if key else None
        done = build_report(
            items, versions, config, target, duplicates=pairs, stale_days=stale_days, flow=known
        )
        if key and known is None:
            latest = _latest(versions)
            if latest is None or latest <= moment:  # else `flow` left some versions out
                store.put_flow(key, latest, done.flow)
                store.save()
        return done


def _with_history(
    config: Config, tip: str, cache: bool, files: _Files
) -> tuple[dict[str, list[Version]], list[Item], list[Pair]]:
    """History and files at once: when the files need reading, they are read (and compared)
    by a forked process while this one reads the history (which waits on git a lot)."""
    from reqkit.loader.forked import jobs_for, map_forked

    jobs = jobs_for(2, at_least=2) if files.heavy else 1

    def part(kind: str) -> Any:
        if kind == "history":
            return pack_versions(_versions(_load(config, tip, cache)))
        return files.compute(1 if jobs > 1 else jobs_for(2, at_least=2), plain=jobs > 1)

    done, packed = map_forked(part, ("files", "history"), jobs)
    if jobs > 1:
        files.store.written_elsewhere()
    files.store.put_versions(tip, packed)
    items, pairs = files.finish(done)
    return unpack_versions(packed), items, pairs


def _load(config: Config, ref: str, cache: bool) -> History:
    from reqkit.git.history import load_history

    return load_history(config, ref=ref, cache=cache)


def _resolve_at(config: Config, at: str) -> tuple[str, dt.datetime]:
    """(commit, as-of moment) for `--at`; GitError when it names nothing."""
    from reqkit.errors import GitError
    from reqkit.git.refs import commit_at, commit_date, resolve

    if _DATE.match(at):
        try:
            day = dt.date.fromisoformat(at)
        except ValueError:
            raise GitError(f"--at {at}: not a valid date (expected YYYY-MM-DD)") from None
        end = dt.datetime(day.year, day.month, day.day, tzinfo=UTC) + dt.timedelta(
            days=1, microseconds=-1
        )
        commit = commit_at(config, end)
        if commit is None:
            raise GitError(f"--at {at}: there is no commit on or before that day")
        return commit, end
    commit = resolve(config, at)
    return commit, commit_date(config, commit).astimezone(UTC)


def _versions(history: History) -> dict[str, list[Version]]:
    """Each requirement's versions; a removed file's ID is kept apart from a live one."""
    utc = {c.sha: c.date.astimezone(UTC) for c in history.commits}
    out: dict[str, list[Version]] = {}
    timelines = [(tl, False) for tl in history.removed.values()]
    timelines += [(tl, True) for tl in history.timelines.values()]
    for tl, live in timelines:
        previous: str | None = None
        found = []
        for ch in tl.changes:
            status = None if ch.kind == "removed" else (ch.status or previous)
            sha = ch.commit.sha
            found.append(Version(utc.get(sha) or ch.commit.date.astimezone(UTC), status, sha))
            previous = status
        key = tl.id if live or tl.id not in history.timelines else f"{tl.id} (removed)"
        out[key] = found
    return out


def _flow_key(tip: str, items: Sequence[Item], config: Config, now: dt.datetime) -> str:
    """Everything the flow of `tip`'s versions depends on besides them: the day it is
    measured on, what the states mean, and where each requirement's lead time starts."""
    roles = Roles.of(config)
    digest = hashlib.blake2b(digest_size=16)
    facts = (tip, now.date(), roles.order, sorted(roles.shipped), sorted(roles.finished))
    digest.update(repr(facts).encode())
    digest.update(repr([(i.id, i.received or i.created) for i in items]).encode())
    return digest.hexdigest()


def _latest(versions: Mapping[str, Sequence[Version]]) -> dt.datetime | None:
    """The latest of each requirement's last version: `flow` leaves out versions after
    `now` only where one of these is, so a flow kept is used only from this moment on."""
    return max((found[-1].at for found in versions.values() if found), default=None)


def _add_worktree(
    versions: dict[str, list[Version]], items: Sequence[Item], now: dt.datetime
) -> bool:
    """Uncommitted changes count as happening now: new files, status edits, deletions.
    True when there were any."""
    changed = False
    new, setdefault = new_tuple, versions.setdefault
    for item in items:
        rid, status = item[0], item[3]  # (id, status): 10k attribute look-ups spared
        found = setdefault(rid, [])
        if not found or found[-1][1] != status:
            found.append(new(Version, (now, status, "")))
            changed = True
    for rid in versions.keys() - set(map(itemgetter(0), items)):  # gone (order: unread)
        found = versions[rid]
        if found and found[-1].status is not None and "(" not in rid:
            found.append(Version(now, None, ""))
            changed = True
    return changed


class _Files:
    """The requirement files of the report and their near-duplicates, in two steps:
    `compute` (which may run in a forked process: it saves its parts of the cache itself
    and returns plain data) and `finish` (here: that data as items and pairs again)."""

    def __init__(self, config: Config, store: ReportCache, commit: str | None) -> None:
        self.config, self.store, self.commit = config, store, commit
        #: (rel, path, stamp, stat) of the files to read
        self.misses: list[tuple[str, str, Stamp | None, os.stat_result | None]] = []
        self.cached: list[Item] = []
        if commit is not None:
            return  # a snapshot: read from git in `compute`
        boundary, found = found_files(config)
        kept = [f.path for f in found if not f.escapes]
        rels = rel_paths(kept, boundary)
        now_ns = time.time_ns()
        stats: list[os.stat_result | None] = []
        for path in kept:
            try:
                stats.append(os.stat(path))
            except OSError:
                stats.append(None)
        stamps = [None if s is None else stamp(s, now_ns) for s in stats]
        self.cached, missed = store.items(list(zip(rels, stamps, strict=True)))
        self.misses = [(rel, kept[k], st, stats[k]) for k, rel, st in missed]
        store.keep_only(set(rels))

    @property
    def heavy(self) -> bool:
        """Worth a process of its own: many files to read, or a snapshot to read."""
        return self.commit is not None or len(self.misses) >= _PARALLEL_FROM

    def compute(self, jobs: int | None, *, plain: bool = False) -> tuple[list[Any], list[Any]]:
        """(items, pairs), the cache told what was new (and saved: this may run in a forked
        process, which then writes the files' part of the cache while the parent reads the
        history). `jobs`: processes for the comparisons (None: every core). With `plain`,
        items and pairs as tuples (ten times quicker to pickle)."""
        config, store = self.config, self.store
        if self.commit is not None:
            items = _snapshot_items(config, self.commit)
        else:
            items = self.cached
            for rel, path, st, found in self.misses:
                data = _file_data(path, found, config.max_file_size)
                item = items_from([(rel, _stem(rel), data)])[0]
                store.put_item(rel, st, item)
                items.append(item)
            items.sort(key=itemgetter(0, 1))  # (id, path)
        key = _pairs_key(items, config)
        pairs = store.get_pairs(key)
        if pairs is None:
            pairs = _duplicates(items, config, store, jobs)
            store.put_pairs(key, pairs)
        store.save()
        if plain:
            return [item_row(i) for i in items], [tuple(p) for p in pairs]
        return items, pairs

    @staticmethod
    def finish(done: tuple[list[Any], list[Any]]) -> tuple[list[Item], list[Pair]]:
        """`compute`'s answer as items and pairs, wherever it was computed."""
        items, pairs = done
        if items and not isinstance(items[0], Item):
            items = [row_item(r) for r in items]
        if pairs and not isinstance(pairs[0], Pair):
            pairs = [new_tuple(Pair, p) for p in pairs]
        return items, pairs


_PARALLEL_FROM = 2000  # files to read; below this a second process costs more than it saves


def _file_data(path: str, found: os.stat_result | None, max_size: int) -> Any:
    """`read_file(path).data`, with the size this run's `stat` already gave (one `stat`
    a file fewer: 10k on a cold run)."""
    from reqkit.loader.files import read_file

    return read_file(path, max_size=max_size, size=found.st_size if found else None).data


def _snapshot_items(config: Config, commit: str) -> list[Item]:
    from reqkit.git.refs import snapshot_at

    reqs = snapshot_at(config, commit)
    return items_from((e.path, e.stem, e.data) for e in reqs.entries)


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _open_ids(items: Sequence[Item], config: Config) -> set[str]:
    finished = Roles.of(config).finished
    return {i.id for i in items if i.status not in finished}


def _pairs_key(items: Sequence[Item], config: Config) -> str:
    """Everything the pairs depend on: each text, acknowledged duplicate and open state."""
    open_ids = _open_ids(items, config)
    digest = hashlib.blake2b(repr(config.near_duplicate).encode(), digest_size=16)
    for i in items:
        digest.update(
            f"{i.id}\0{i.title}\0{i.description}\0{i.duplicates}\0{i.id in open_ids}\n".encode()
        )
    return digest.hexdigest()


def _duplicates(
    items: Sequence[Item], config: Config, store: ReportCache, jobs: int | None
) -> list[Pair]:
    """Pairs with at least one open requirement (two finished ones are history); each
    text's n-grams from the cache where it has them. `jobs` None: every core (the fork
    pool's module is imported only here: a warm run, pairs cached, never needs it)."""
    if jobs is None:
        from reqkit.loader.forked import jobs_for

        jobs = jobs_for(2, at_least=2)

    def grams_of(title: str, description: str) -> frozenset[str]:
        key = text_key(title, description)
        found = store.grams_of(key)
        if found is None:
            found = grams(title, description)
            store.put_grams(key, found)
        return found

    return near_duplicates(
        ((i.id, i.title, i.description, i.duplicates) for i in items),
        threshold=config.near_duplicate,
        among=_open_ids(items, config),
        grams_of=grams_of,
        jobs=jobs,
    )
