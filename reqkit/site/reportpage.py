"""The reports page and the release notes page."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

from reqkit.outputs.sanitize import attr, escape, markdown_html
from reqkit.site.collect import SiteData
from reqkit.site.layout import Layout, id_sort_key
from reqkit.site.overview import front
from reqkit.site.reqpage import status_badge

if TYPE_CHECKING:
    from reqkit.changes.release_notes import ReleaseNotes

__all__ = ["notes_html", "releases_page", "reports_page", "shipped_by_release"]


def _cross(site: SiteData, row_field: str, col_field: str) -> str:
    """Counts of requirements by two fields (states in lifecycle order)."""
    lab = site.labels
    pairs = Counter(
        (str(v.data.get(row_field, "") or "—"), str(v.data.get(col_field, "") or "—"))
        for v in site.reqs
    )
    rows_seen = {r for r, _ in pairs}
    cols = sorted({c for _, c in pairs})
    order = [s for s in site.config.state_names if s in rows_seen] if row_field == "status" else []
    rows = order + sorted(rows_seen - set(order))
    head = "".join(f"<th>{escape(lab.value(col_field, c))}</th>" for c in cols)
    body = []
    for r in rows:
        label = status_badge(site, r) if row_field == "status" else escape(lab.value(row_field, r))
        cells = "".join(f"<td>{pairs.get((r, c), 0) or ''}</td>" for c in cols)
        total = sum(pairs.get((r, c), 0) for c in cols)
        body.append(f"<tr><td>{label}</td>{cells}<td><strong>{total}</strong></td></tr>")
    return (
        f'<table class="rk-cross"><thead><tr><th>{escape(lab(row_field))}</th>{head}'
        f"<th>{escape(lab('site.total'))}</th></tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def reports_page(site: SiteData, layout: Layout, src: str, charts: list[tuple[str, str]]) -> str:
    lab = site.labels
    out = front(lab("site.reports"))
    if charts:
        imgs = "".join(
            f'<figure class="rk-chart"><img src="{attr(layout.link(src, path))}" alt="{attr(title)}">'
            f"<figcaption>{escape(title)}</figcaption></figure>"
            for title, path in charts
        )
        out += [f'<div class="rk-charts">{imgs}</div>', ""]
    for row, col in (("status", "type"), ("status", "priority"), ("owner", "status")):
        out += [f"<h2>{escape(lab(row))} × {escape(lab(col))}</h2>", _cross(site, row, col), ""]
    if site.report is None:
        out += [f'<p class="rk-none">{escape(lab("site.no_report"))}</p>', ""]
    else:
        from reqkit.outputs.report.markdown import render

        # The report's Markdown quotes requirement titles: rendered and cleaned here,
        # like every other requirement text, never handed to the engine as Markdown.
        out += [f'<div class="rk-report">{markdown_html(render(site.report))}</div>', ""]
    return "\n".join(out)


def notes_html(site: SiteData, layout: Layout, src: str, notes: ReleaseNotes) -> str:
    """One tag's release notes: groups of requirements, each with its pull requests."""
    lab = site.labels
    parts = []
    for key, _heading, items in notes.groups:
        lis = []
        for item in items:
            href = layout.req_link(src, item.id)
            ref = f'<a href="{attr(href)}">{escape(item.id)}</a>' if href else escape(item.id)
            prs = " ".join(
                f'<a href="{attr(pr.url)}">#{pr.number}</a>' if pr.url else f"#{pr.number}"
                for pr in item.prs
            )
            who = f" — {escape(item.requester)}" if item.requester else ""
            lis.append(f"<li>{ref} {escape(item.title or '')} {prs}{who}</li>")
        parts.append(f"<h3>{escape(lab('release.' + key))}</h3><ul>{''.join(lis)}</ul>")
    if not parts:
        parts.append(f'<p class="rk-none">{escape(lab("site.none"))}</p>')
    return "".join(parts)


def releases_page(site: SiteData, layout: Layout, src: str) -> str:
    """Release notes per tag, newest first; without tags, by the `release` field."""
    if site.releases:
        out = front(site.labels("site.releases"))
        for notes in site.releases:
            out += [
                f'<h2 id="{attr(notes.to_ref)}">{escape(notes.to_ref)}</h2>',
                f'<p class="rk-range">{escape(notes.from_ref)} … {escape(notes.to_ref)}</p>',
                notes_html(site, layout, src, notes),
                "",
            ]
        return "\n".join(out)
    return _by_release_field(site, layout, src)


def shipped_by_release(site: SiteData) -> dict[str, list[str]]:
    """release -> IDs of the shipped requirements whose `release` field names it."""
    shipped = {s.name for s in site.config.states if s.shipped}
    by_release: dict[str, list[str]] = {}
    for view in site.reqs:
        release = view.data.get("release")
        if isinstance(release, str) and view.data.get("status") in shipped:
            by_release.setdefault(release, []).append(view.rid)
    return by_release


def _by_release_field(site: SiteData, layout: Layout, src: str) -> str:
    """What shipped, per release (the `release` field of shipped requirements), newest first."""
    lab = site.labels
    by_release = shipped_by_release(site)
    out = front(lab("site.releases"))
    if not by_release:
        return "\n".join([*out, f'<p class="rk-none">{escape(lab("site.none"))}</p>', ""])
    for release in sorted(by_release, key=id_sort_key, reverse=True):
        groups: dict[str, list[str]] = {}
        for rid in by_release[release]:
            groups.setdefault(str(site.by_id[rid].data.get("type", "other")), []).append(rid)
        out.append(f'<h2 id="release-{attr(release)}">{escape(release)}</h2>')
        for kind in sorted(groups):
            items = "".join(
                f'<li><a href="{attr(layout.req_link(src, rid) or "")}">{escape(rid)}</a> '
                f"{escape(str(site.by_id[rid].data.get('title', '')))}</li>"
                for rid in groups[kind]
            )
            out.append(f"<h3>{escape(lab.value('type', kind))}</h3><ul>{items}</ul>")
        out.append("")
    return "\n".join(out)
