"""What shipped between two refs: requirements in a shipped state at TO that were in none
at FROM, grouped for humans, each with the pull requests that moved it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reqkit.changes.repo import Repo

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


def compute_release_notes(repo: Repo, from_ref: str, to_ref: str) -> ReleaseNotes:
    start, end = repo.runner.resolve(from_ref), repo.runner.resolve(to_ref)
    repo.runner.require_full_history()
    shipped = {s.name for s in repo.config.states if s.shipped}
    before = {v.id: v for v in repo.versions(start).values()}
    after = repo.versions(end)
    web = pr_url_base(repo.runner.remote_url("origin"))
    # the first-parent commits of the range; each item's changes among them, renames
    # followed by the history engine (cached by tip, so a tag seen before is instant)
    in_range = set(repo.runner.text("rev-list", "--first-parent", f"{start}..{end}").split())
    history = repo.history(end)
    items: list[ReleaseItem] = []
    for v in sorted(after.values(), key=lambda v: v.id):
        status = v.summary[1]
        if status not in shipped:
            continue
        old = before.get(v.id)
        if old is not None and old.summary[1] in shipped:
            continue
        timeline = history.timelines.get(v.id)
        moves = [
            (ch.commit.sha, ch.commit.pr)
            for ch in (timeline.changes if timeline else ())
            if ch.commit.sha in in_range
        ]
        prs = tuple(dict.fromkeys(pr for _, pr in moves if pr))
        items.append(
            ReleaseItem(
                v.id,
                v.summary[2],
                v.summary[5],
                str(status),
                v.summary[6],
                v.path,
                tuple(_pr(n, web) for n in prs),
                tuple(dict.fromkeys(sha for sha, pr in moves if not pr)),
            )
        )
    groups = []
    for key, heading, types in GROUPS:
        known = {t for _, _, ts in GROUPS for t in ts}
        chosen = tuple(i for i in items if (i.type in types) or (not types and i.type not in known))
        if chosen:
            groups.append((key, heading, chosen))
    return ReleaseNotes(from_ref, to_ref, start, end, tuple(groups))
