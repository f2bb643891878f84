"""`reqkit release-notes --format md`: grouped for humans, ready for a GitHub release."""

from __future__ import annotations

from reqkit.changes.release_notes import ReleaseItem, ReleaseNotes
from reqkit.outputs.changes import cell

__all__ = ["render"]


def _line(i: ReleaseItem) -> str:
    prs = ", ".join(f"[#{p.number}]({p.url})" if p.url else f"#{p.number}" for p in i.prs)
    parts = [f"- **{i.id}** {cell(i.title) or '(untitled)'}"]
    if i.requester:
        parts.append(f"(requested by {cell(i.requester)})")
    if prs:
        parts.append(f"— {prs}")
    return " ".join(parts)


def render(notes: ReleaseNotes) -> str:
    out = [f"## Release notes: {notes.from_ref} → {notes.to_ref}", ""]
    if not notes.groups:
        return "\n".join([*out, "No requirement shipped in this range.", ""])
    for _, title, items in notes.groups:
        out += [f"### {title}", "", *(_line(i) for i in items), ""]
    return "\n".join(out)
