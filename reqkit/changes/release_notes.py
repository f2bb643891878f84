"""What shipped between two refs: requirements in a shipped state at TO that were in none
at FROM, grouped for humans, each with the pull requests that moved it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from reqkit.changes.repo import Repo
from reqkit.git.history import changes_between
from reqkit.git.trees import FileVersion

__all__ = [
    "GROUPS",
    "PullRequest",
    "ReleaseItem",
    "ReleaseNotes",
    "compute_release_notes",
    "pr_url_base",
]

#: (key, heading, requirement types), in the order the notes list them.
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("features", "New features", ("functional",)),
    ("experience", "Experience", ("experience",)),
    ("fixes", "Fixes", ("bug",)),
    ("performance", "Performance", ("performance",)),
    ("security", "Security and compliance", ("security", "compliance")),
    ("other", "Other", ()),
)


@dataclass(frozen=True)
class PullRequest:
    number: int
    url: str | None  # None unless `origin` is a GitHub or GitLab remote


@dataclass(frozen=True)
class ReleaseItem:
    id: str
    title: str | None
    type: str | None
    status: str
    requester: str | None  # source.requester, else source.detail
    path: str
    prs: tuple[PullRequest, ...]
    commits: tuple[str, ...]  # commits in the range that changed it without a PR number


@dataclass(frozen=True)
class ReleaseNotes:
    from_ref: str
    to_ref: str
    from_commit: str
    to_commit: str
    groups: tuple[
        tuple[str, str, tuple[ReleaseItem, ...]], ...
    ]  # (key, heading, items), empty ones left out

    @property
    def items(self) -> tuple[ReleaseItem, ...]:
        return tuple(i for _, _, items in self.groups for i in items)


_REMOTE = re.compile(
    r"^(?:(?:https?|ssh|git)://(?:[^@/]+@)?(?P<host>[^/:]+)(?::\d+)?/|(?:[^@]+@)?(?P<scp>[^:/]+):)"
    r"(?P<path>.+?)(?:\.git)?/?$"
)


def pr_url_base(remote: str | None) -> tuple[str, str] | None:
    """(web URL of the project, "github" | "gitlab") for a GitHub or GitLab `origin`."""
    match = _REMOTE.match(remote or "")
    if not match:
        return None
    host = (match.group("host") or match.group("scp") or "").lower()
    kind = "github" if "github" in host else "gitlab" if "gitlab" in host else None
    if kind is None:
        return None
    return f"https://{host}/{match.group('path')}", kind


def _pr(number: int, web: tuple[str, str] | None) -> PullRequest:
    if web is None:
        return PullRequest(number, None)
    base, kind = web
    tail = f"pull/{number}" if kind == "github" else f"-/merge_requests/{number}"
    return PullRequest(number, f"{base}/{tail}")


Moves = Callable[[str], list[tuple[str, int | None]]]


def _moves(repo: Repo, start: str, end: str, after: dict[str, FileVersion]) -> Moves:
    """ID → (commit, PR) of the first-parent commits of `start..end` that changed it, as
    the history of `end` tells (its timeline, renames followed, cut to the range).

    Read from the range's log alone where that gives the same answer: when every file
    under the folder at `end` is a requirement file whose ID can be read there, the
    timeline `end`'s history files under an ID is that of the first path holding that ID.
    Otherwise (a file without a readable ID takes its ID from an older version) the
    whole history is read.
    """
    every = repo.runner.paths(end, repo.folder)
    plain = len(every) == len(after) and all(v.summary[0] for v in after.values())
    found = changes_between(repo.runner, start, end, repo.folder, repo.store) if plain else None
    if found is not None:
        first: dict[str, str] = {}
        for path in sorted(after):
            first.setdefault(after[path].id, path)

        def by_range(rid: str) -> list[tuple[str, int | None]]:
            path = first.get(rid)
            return [(c.sha, c.pr) for c in found.get(path, ())] if path else []

        return by_range
    in_range = set(repo.runner.text("rev-list", "--first-parent", f"{start}..{end}").split())
    history = repo.history(end)

    def by_history(rid: str) -> list[tuple[str, int | None]]:
        timeline = history.timelines.get(rid)
        return [
            (ch.commit.sha, ch.commit.pr)
            for ch in (timeline.changes if timeline else ())
            if ch.commit.sha in in_range
        ]

    return by_history


def compute_release_notes(repo: Repo, from_ref: str, to_ref: str) -> ReleaseNotes:
    start, end = repo.runner.resolve(from_ref), repo.runner.resolve(to_ref)
    repo.runner.require_full_history()
    shipped = {s.name for s in repo.config.states if s.shipped}
    repo.prefetch(start, end)
    before = {v.id: v for v in repo.versions(start).values()}
    after = repo.versions(end)
    web = pr_url_base(repo.runner.remote_url("origin"))
    moves = _moves(repo, start, end, after)
    items: list[ReleaseItem] = []
    for v in sorted(after.values(), key=lambda v: v.id):
        status = v.summary[1]
        if status not in shipped:
            continue
        old = before.get(v.id)
        if old is not None and old.summary[1] in shipped:
            continue
        mine = moves(v.id)
        prs = tuple(dict.fromkeys(pr for _, pr in mine if pr))
        items.append(
            ReleaseItem(
                v.id,
                v.summary[2],
                v.summary[5],
                str(status),
                v.summary[6],
                v.path,
                tuple(_pr(n, web) for n in prs),
                tuple(dict.fromkeys(sha for sha, pr in mine if not pr)),
            )
        )
    groups = []
    for key, heading, types in GROUPS:
        known = {t for _, _, ts in GROUPS for t in ts}
        chosen = tuple(i for i in items if (i.type in types) or (not types and i.type not in known))
        if chosen:
            groups.append((key, heading, chosen))
    return ReleaseNotes(from_ref, to_ref, start, end, tuple(groups))
