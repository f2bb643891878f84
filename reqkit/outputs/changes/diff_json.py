"""`reqkit diff --format json`: one object, shape documented in docs/change-management.md."""

from __future__ import annotations

import json
from typing import Any

from reqkit.changes.diff import Diff, RequirementChange

__all__ = ["as_data", "render"]


def _change(c: RequirementChange) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "path": c.path,
        "old_path": c.old_path,
        "title": c.title,
        "transition": {"from": c.transition[0], "to": c.transition[1]} if c.transition else None,
        "fields": [
            {"field": f.field, "old": f.old, "new": f.new, "diff": f.text_diff} for f in c.fields
        ],
        "impact": {
            "children": list(c.impact.children),
            "dependants": list(c.impact.dependants),
            "tests": list(c.impact.tests),
            "suspect": c.impact.suspect,
        },
    }


def as_data(diff: Diff) -> dict[str, Any]:
    return {
        "base": diff.base,
        "head": diff.head,
        "merge_base": diff.merge_base,
        "head_commit": diff.head_commit,
        "summary": {
            "added": diff.count("added"),
            "removed": diff.count("removed"),
            "renamed": diff.count("renamed"),
            "modified": diff.count("modified"),
            "transitions": diff.transitions,
            "suspect": diff.suspect,
        },
        "changes": [_change(c) for c in diff.changes],
    }


def render(diff: Diff) -> str:
    return json.dumps(as_data(diff), ensure_ascii=False, default=str) + "\n"
