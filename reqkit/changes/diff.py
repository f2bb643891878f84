"""What a change does to the requirements: added, removed, renamed, fields, transitions,
and its impact (children, dependants, verifying tests), between the merge-base of two
refs and the second ref (or the work tree)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any, Literal

from reqkit.changes.repo import WORK_TREE, Repo
from reqkit.git.snapshot import MEANING_FIELDS
from reqkit.git.trees import FileVersion, changed_files
from reqkit.loader.files import dates_as_text
from reqkit.model.reqset import Entry

__all__ = [
    "Diff",
    "FieldChange",
    "Impact",
    "Kind",
    "RequirementChange",
    "compute_diff",
    "field_changes",
]

Kind = Literal["added", "removed", "renamed", "modified"]
#: Text longer than this (or with a line break) gets a line-by-line diff.
LONG_TEXT = 80


@dataclass(frozen=True)
class FieldChange:
    field: str  # dotted for nested keys: `source.requester`, `links.parent`
    old: Any  # None when the field was added
    new: Any  # None when the field was removed
    text_diff: str | None = None  # unified diff lines for long Markdown text


@dataclass(frozen=True)
class Impact:
    """What may need a look because this requirement changed."""

    children: tuple[str, ...]  # link to it as `parent`
    dependants: tuple[str, ...]  # link to it as `depends_on`
    tests: tuple[str, ...]  # its `verified_by`
    suspect: bool  # its meaning changed (or it is gone) and something above depends on it


@dataclass(frozen=True)
class RequirementChange:
    id: str
    kind: Kind
    path: str | None  # None when removed
    old_path: str | None  # None when added
    title: str | None
    transition: tuple[str | None, str | None] | None  # (old status, new status)
    fields: tuple[FieldChange, ...]
    impact: Impact


@dataclass(frozen=True)
class Diff:
    base: str
    head: str  # a ref, or "working tree"
    merge_base: str
    head_commit: str | None  # None for the work tree
    changes: tuple[RequirementChange, ...]  # sorted by ID

    def count(self, kind: Kind) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def transitions(self) -> int:
        """Status changes of requirements that existed before (an add is not a transition)."""
        return sum(1 for c in self.changes if c.transition and None not in c.transition)

    @property
    def suspect(self) -> int:
        return sum(1 for c in self.changes if c.impact.suspect)


_SCALARS = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    return value if isinstance(value, _SCALARS) else dates_as_text(value)


def _flatten(data: dict[str, Any] | None) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for key, value in (data or {}).items():
        if isinstance(value, dict) and value:
            for sub, inner in value.items():
                flat[f"{key}.{sub}"] = _plain(inner)
        else:
            flat[key] = _plain(value)
    return flat


def _text_diff(old: Any, new: Any) -> str | None:
    if not (isinstance(old, str) and isinstance(new, str)):
        return None
    if max(len(old), len(new)) <= LONG_TEXT and "\n" not in old + new:
        return None
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=1)
    return "\n".join(line for line in lines if not line.startswith(("---", "+++")))


def field_changes(
    old: dict[str, Any] | None, new: dict[str, Any] | None
) -> tuple[FieldChange, ...]:
    a, b = _flatten(old), _flatten(new)
    out = []
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            out.append(FieldChange(key, a.get(key), b.get(key), _text_diff(a.get(key), b.get(key))))
    return tuple(out)


def _index(versions: dict[str, FileVersion]) -> dict[tuple[str, str], list[str]]:
    """(kind, target) → IDs linking there."""
    index: dict[tuple[str, str], list[str]] = {}
    for v in versions.values():
        for link in v.summary[4]:
            index.setdefault(link, []).append(v.id)
    return index


def _get(entry: Entry, key: str) -> Any:
    return (entry.data or {}).get(key)


def _tests(data: dict[str, Any] | None) -> tuple[str, ...]:
    found = (data or {}).get("verified_by")
    return tuple(t for t in found if isinstance(t, str)) if isinstance(found, list) else ()


def _status(data: dict[str, Any] | None) -> str | None:
    value = (data or {}).get("status")
    return value if isinstance(value, str) else None


def compute_diff(repo: Repo, base: str, head: str | None = None) -> Diff:
    """Compare the merge-base of `base` and `head` with `head` (None: the work tree)."""
    base_commit = repo.runner.resolve(base)
    head_commit = repo.runner.resolve(head) if head else repo.head()
    merge_base = repo.runner.merge_base(base_commit, head_commit)
    changes = changed_files(repo.runner, merge_base, head_commit if head else None, repo.folder)
    old_paths = {ch.old_path or ch.path: ch.old_blob for ch in changes if ch.old_blob}
    new_paths: dict[str, str | None] = {
        ch.path: ch.blob if head else None for ch in changes if ch.kind != "D"
    }
    wanted = {b for b in (*old_paths.values(), *new_paths.values()) if b}
    repo.prefetch_data(wanted, (head_commit,))
    old = repo.data_at(merge_base, old_paths)
    new = repo.data_at(head_commit, new_paths) if head else repo.entries_at(None, new_paths)
    if head:
        versions = repo.versions(head_commit)
    else:
        versions, _ = repo.work_tree(head_commit)
    links = _index(versions)
    olds = {e.known_id: e for e in old.entries}
    news = {e.known_id: e for e in new.entries}
    out = []
    for rid in sorted(set(olds) | set(news)):
        out.append(_change(rid, olds.get(rid), news.get(rid), links))
    return Diff(
        base,
        head or WORK_TREE,
        merge_base,
        head_commit if head else None,
        tuple(c for c in out if c),
    )


def _change(
    rid: str, old: Entry | None, new: Entry | None, links: dict[tuple[str, str], list[str]]
) -> RequirementChange | None:
    fields = field_changes(old.data if old else None, new.data if new else None)
    kind: Kind
    if old is None:
        kind = "added"
    elif new is None:
        kind = "removed"
    elif old.path != new.path:
        kind = "renamed"
    elif fields:
        kind = "modified"
    else:
        return None  # only formatting or comments changed
    before, after = (_status(e.data if e else None) for e in (old, new))
    transition = (before, after) if before != after else None
    data = (new or old).data if (new or old) else None  # type: ignore[union-attr]
    title = (data or {}).get("title")
    suspect = kind == "removed" or (
        old is not None
        and new is not None
        and any(_plain(_get(old, k)) != _plain(_get(new, k)) for k in MEANING_FIELDS)
    )
    children = tuple(sorted(set(links.get(("parent", rid), []))))
    dependants = tuple(sorted(set(links.get(("depends_on", rid), []))))
    tests = _tests(data)
    impact = Impact(children, dependants, tests, suspect and bool(children or dependants or tests))
    return RequirementChange(
        rid,
        kind,
        new.path if new else None,
        old.path if old else None,
        title if isinstance(title, str) else None,
        transition,
        fields if kind not in ("added", "removed") else (),
        impact,
    )
