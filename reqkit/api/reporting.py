"""`report`: where the requirements stand, how fast they flow, and what is late."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reqkit.api.project import found_files, rel_path
from reqkit.config import Config, load_config
from reqkit.reports.build import Report, Target, build_report
from reqkit.reports.cache import ReportCache, stamp
from reqkit.reports.duplicates import Pair, near_duplicates
from reqkit.reports.items import Item, items_from
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
    from concurrent.futures import ThreadPoolExecutor

    from reqkit.git.refs import head_commit

    config = config or load_config(Path(root) if root else None)
    store = ReportCache.open(root=config.root, enabled=cache)
    if at is None:
        moment = (now or dt.datetime.now(UTC)).astimezone(UTC)
        tip = head_commit(config)
    else:
        tip, moment = _resolve_at(config, at)
    versions = store.get_versions(tip) if tip else None
    # The history waits on git most of its time: read the files meanwhile.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = pool.submit(_load, config, tip, cache) if tip and versions is None else None
        if at is None or tip is None:
            items = _worktree_items(config, store)
        else:
            items = _snapshot_items(config, tip)
        pairs = _duplicates(items, config, store)
        if pending is not None:
            versions = _versions(pending.result())
            store.put_versions(tip or "", versions)
    store.save()
    versions = versions or {}
    if at is None:
        _add_worktree(versions, items, moment)
    target = Target(moment, at, tip, tip is not None)
    return build_report(items, versions, config, target, duplicates=pairs, stale_days=stale_days)


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


def _add_worktree(
    versions: dict[str, list[Version]], items: Sequence[Item], now: dt.datetime
) -> None:
    """Uncommitted changes count as happening now: new files, status edits, deletions."""
    present = set()
    for item in items:
        present.add(item.id)
        found = versions.setdefault(item.id, [])
        if not found or found[-1].status != item.status:
            found.append(Version(now, item.status, ""))
    for rid, found in versions.items():
        if rid not in present and found and found[-1].status is not None and "(" not in rid:
            found.append(Version(now, None, ""))


def _worktree_items(config: Config, store: ReportCache) -> list[Item]:
    from reqkit.loader.files import read_file

    boundary, found = found_files(config)
    files = []
    rels = set()
    prefix = str(boundary) + os.sep
    for f in found:
        if f.escapes:
            continue
        path = f.path
        rel = path[len(prefix) :] if path.startswith(prefix) else rel_path(path, boundary)
        if os.sep != "/":
            rel = rel.replace(os.sep, "/")
        rels.add(rel)
        try:
            st = stamp(os.stat(f.path))
        except OSError:
            st = None
        item = store.item(rel, st)
        if item is None:
            data = read_file(Path(f.path), max_size=config.max_file_size).data
            item = items_from([(rel, _stem(rel), data)])[0]
            store.put_item(rel, st, item)
        files.append(item)
    store.keep_only(rels)
    return sorted(files, key=lambda i: (i.id, i.path))


def _snapshot_items(config: Config, commit: str) -> list[Item]:
    from reqkit.git.refs import snapshot_at

    reqs = snapshot_at(config, commit)
    return items_from((e.path, e.stem, e.data) for e in reqs.entries)


def _stem(rel: str) -> str:
    return rel.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def _duplicates(items: Sequence[Item], config: Config, store: ReportCache) -> list[Pair]:
    """Pairs with at least one open requirement: two finished ones are history."""
    finished = Roles.of(config).finished
    open_ids = {i.id for i in items if i.status not in finished}
    threshold = config.near_duplicate
    digest = hashlib.blake2b(repr(threshold).encode(), digest_size=16)
    for i in items:
        digest.update(
            f"{i.id}\0{i.title}\0{i.description}\0{i.duplicates}\0{i.id in open_ids}\n".encode()
        )
    key = digest.hexdigest()
    cached = store.get_pairs(key)
    if cached is not None:
        return cached
    pairs = near_duplicates(
        ((i.id, i.title, i.description, i.duplicates) for i in items),
        threshold=threshold,
        among=open_ids,
    )
    store.put_pairs(key, pairs)
    return pairs
