"""`new`: the next free ID and the text of a fresh requirement from its type's template."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from reqkit.edit.roundtrip import Assignment, apply_assignments
from reqkit.errors import UsageError
from reqkit.ids import IdPattern

__all__ = ["PROJECT_TEMPLATES", "new_text", "next_id", "template_text"]

#: A project may keep its own templates here, one `<type>.yaml` each.
PROJECT_TEMPLATES = ".reqkit/templates"


def next_id(pattern: str, taken: Iterable[str], *, today: dt.date) -> str:
    """The lowest free sequence number after the highest taken one (per month if dated).

    `taken` is compared case-insensitively: two IDs that differ only in case collide
    on macOS and Windows checkouts.
    """
    compiled = IdPattern(pattern)
    lowered = {t.lower() for t in taken}
    highest = 0
    for rid in taken:
        match = compiled.regex.match(rid)
        if match is None:
            continue
        groups = match.groupdict()
        if "yyyy" in groups and groups["yyyy"] is not None and int(groups["yyyy"]) != today.year:
            continue
        if "yy" in groups and groups["yy"] is not None and int(groups["yy"]) != today.year % 100:
            continue
        if "mm" in groups and groups["mm"] is not None and int(groups["mm"]) != today.month:
            continue
        highest = max(highest, int(groups["seq"]))
    seq = highest + 1
    while True:
        candidate = compiled.format(year=today.year, month=today.month, seq=seq)
        if candidate.lower() not in lowered:
            return candidate
        seq += 1


def template_text(kind: str, root: Path) -> str:
    """The project's template for `kind` if it has one, else reqkit's."""
    own = root / PROJECT_TEMPLATES / f"{kind}.yaml"
    if own.is_file():
        try:
            return own.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the template {own}: {exc}") from None
    builtin = resources.files("reqkit.edit") / "templates" / "new" / f"{kind}.yaml"
    if not builtin.is_file():
        builtin = resources.files("reqkit.edit") / "templates" / "new" / "other.yaml"
    text = builtin.read_text(encoding="utf-8")
    return text.replace("type: other", f"type: {kind}", 1) if kind != "other" else text


def new_text(
    *,
    template: str,
    modeline: str,
    rid: str,
    title: str,
    status: str,
    today: dt.date,
    parent: str | None,
    assignments: Sequence[Assignment],
    custom: dict[str, dict[str, Any]],
) -> str:
    """The file text: the template with its placeholders filled, then `--set` applied."""
    text = template.replace("@MODELINE@", modeline)
    if not text.startswith(modeline):
        text = modeline + "\n" + text
    fixed = [
        Assignment("id", "=", rid),
        Assignment("title", "=", title),
        Assignment("status", "=", status),
        Assignment("created", "=", today.isoformat()),
    ]
    if parent:
        fixed.append(Assignment("links.parent", "+=", parent))
    return apply_assignments(text, [*fixed, *assignments], custom=custom, allow_id=True)
