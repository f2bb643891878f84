"""`reqkit show`: the requirement, its links both ways, tests and history, as text or JSON."""

from __future__ import annotations

import json
from typing import Any

from reqkit.changes.show import Shown

__all__ = ["as_data", "render_json", "render_text"]


def as_data(s: Shown) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": s.id,
        "path": s.path,
        "fields": s.data,
        "links": {k: list(v) for k, v in s.links.items()},
        "linked_from": {k: list(v) for k, v in s.linked_from.items()},
        "tests": list(s.tests),
        "history": None,
    }
    if s.timeline is not None:
        data["history"] = {
            "commits": [
                {
                    "sha": ch.commit.sha,
                    "date": ch.commit.date.isoformat(),
                    "author": ch.commit.author,
                    "subject": ch.commit.subject,
                    "pr": ch.commit.pr,
                    "change": ch.kind,
                    "path": ch.path,
                    "status": ch.status,
                }
                for ch in s.timeline.changes
            ],
            "transitions": [
                {"sha": t.commit.sha, "date": t.commit.date.isoformat(), "from": t.old, "to": t.new}
                for t in s.timeline.transitions
            ],
        }
    return data


def render_json(s: Shown) -> str:
    return json.dumps(as_data(s), indent=2, ensure_ascii=False) + "\n"


def render_text(s: Shown, *, history_asked: bool = False) -> str:
    d = s.data
    out = [f"{s.id}: {d.get('title', '')}", f"  {'file:':<10}{s.path}"]
    for key in ("type", "status", "priority", "urgency", "owner", "release"):
        if d.get(key) is not None:
            out.append(f"  {key + ':':<10}{d[key]}")
    for kind, targets in s.links.items():
        out.append(f"  {kind}: {', '.join(targets)}")
    for kind, sources in s.linked_from.items():
        out.append(f"  {kind}: {', '.join(sources)}")
    if s.tests:
        out.append("  tests:")
        out += [f"    {t}" for t in s.tests]
    description = str(d.get("description") or "").strip()
    if description:
        out += ["", *(f"  {line}" for line in description.splitlines())]
    if history_asked:
        out += ["", "History:"]
        if s.timeline is None:
            out.append("  (no commits touch this requirement yet)")
        else:
            for ch in reversed(s.timeline.changes):
                pr = (
                    f" (#{ch.commit.pr})"
                    if ch.commit.pr and f"#{ch.commit.pr}" not in ch.commit.subject
                    else ""
                )
                status = f" [{ch.status}]" if ch.status else ""
                out.append(
                    f"  {ch.commit.date.date().isoformat()} {ch.commit.sha[:10]} {ch.kind:<8}{status} "
                    f"{ch.commit.author}: {ch.commit.subject}{pr}"
                )
    return "\n".join(out) + "\n"
