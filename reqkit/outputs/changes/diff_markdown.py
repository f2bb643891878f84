"""`reqkit diff --format md`: for a pull-request comment or `$GITHUB_STEP_SUMMARY`."""

from __future__ import annotations

from reqkit.changes.diff import Diff, Kind, RequirementChange
from reqkit.outputs.changes import cell, fence, inline

__all__ = ["render"]

#: Details are written for this many requirements; the table lists them all.
DETAILS = 50
_KINDS: tuple[Kind, ...] = ("added", "removed", "renamed", "modified")


def _impact(c: RequirementChange) -> str:
    parts = []
    if c.impact.children:
        parts.append(
            f"{len(c.impact.children)} child" + ("ren" if len(c.impact.children) > 1 else "")
        )
    if c.impact.dependants:
        n = len(c.impact.dependants)
        parts.append(f"{n} dependant" + ("s" if n > 1 else ""))
    if c.impact.tests:
        n = len(c.impact.tests)
        parts.append(f"{n} test" + ("s" if n > 1 else ""))
    text = ", ".join(parts)
    return f"**suspect**: {text}" if c.impact.suspect and text else text


def _status(c: RequirementChange) -> str:
    if c.transition:
        old, new = c.transition
        return f"{old or '—'} → {new or '—'}"
    return ""


def _details(c: RequirementChange) -> list[str]:
    lines = [f"#### {c.id}: {cell(c.title)}", ""]
    where = f"`{c.old_path}` → `{c.path}`" if c.kind == "renamed" else f"`{c.path or c.old_path}`"
    lines += [f"{where} ({c.kind})", ""]
    for f in c.fields:
        if f.text_diff:
            lines += [f"- **{f.field}**:", "", fence(f.text_diff, "diff"), ""]
        else:
            lines.append(f"- **{f.field}**: {inline(f.old)} → {inline(f.new)}")
    imp = c.impact
    named = [
        ("children", imp.children),
        ("dependants", imp.dependants),
        ("tests", tuple(f"`{t}`" for t in imp.tests)),
    ]
    said = "; ".join(f"{k}: {', '.join(v)}" for k, v in named if v)
    if said:
        why = " (suspect: its meaning changed, have a look)" if imp.suspect else ""
        lines += ["", f"**Impact**{why}: {said}"]
    return [*lines, ""]


def render(diff: Diff) -> str:
    counts = [f"{diff.count(k)} {k}" for k in _KINDS if diff.count(k)]
    head = diff.head if diff.head_commit is None else f"`{diff.head}`"
    out = [
        f"## Requirements changed: {', '.join(counts) or 'none'}",
        "",
        f"Compared `{diff.base}` (merge-base `{diff.merge_base[:12]}`) with {head}.",
        "",
    ]
    if not diff.changes:
        return "\n".join([*out, "No requirement changed.", ""])
    if diff.transitions or diff.suspect:
        out += [
            f"{diff.transitions} status transition(s); {diff.suspect} change(s) with suspect links.",
            "",
        ]
    out += ["| Change | ID | Title | Status | Impact |", "|---|---|---|---|---|"]
    for c in diff.changes:
        out.append(f"| {c.kind} | {c.id} | {cell(c.title)} | {_status(c)} | {_impact(c)} |")
    out.append("")
    shown = [
        c for c in diff.changes if c.kind != "added" or c.impact.children or c.impact.dependants
    ]
    if shown:
        out += ["### Details", ""]
        for c in shown[:DETAILS]:
            out += _details(c)
        if len(shown) > DETAILS:
            out += [f"… and {len(shown) - DETAILS} more (see `reqkit diff --format json`).", ""]
    return "\n".join(out)
