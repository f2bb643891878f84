"""`reqkit release-notes --format json`: shape documented in docs/change-management.md."""

from __future__ import annotations

import json
from typing import Any

from reqkit.changes.release_notes import ReleaseItem, ReleaseNotes

__all__ = ["as_data", "render"]


def _item(i: ReleaseItem) -> dict[str, Any]:
    return {
        "id": i.id,
        "title": i.title,
        "type": i.type,
        "status": i.status,
        "requester": i.requester,
        "path": i.path,
        "prs": [{"number": p.number, "url": p.url} for p in i.prs],
        "commits": list(i.commits),
    }


def as_data(notes: ReleaseNotes) -> dict[str, Any]:
    return {
        "from": notes.from_ref,
        "to": notes.to_ref,
        "from_commit": notes.from_commit,
        "to_commit": notes.to_commit,
        "count": len(notes.items),
        "groups": [
            {"key": key, "title": title, "items": [_item(i) for i in items]}
            for key, title, items in notes.groups
        ],
    }


def render(notes: ReleaseNotes) -> str:
    return json.dumps(as_data(notes), indent=2, ensure_ascii=False) + "\n"
