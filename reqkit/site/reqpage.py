"""Requirement pages: one page per folder, one section (and anchor) per requirement.

Everything from a requirement is escaped or rendered and sanitised by
`reqkit.outputs.sanitize`; the page itself is one raw-HTML block per requirement, so no
engine's Markdown extensions (attr_list, snippets, macros) ever see requirement text.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from reqkit.outputs.sanitize import attr, escape, markdown_html, plain_title
from reqkit.site.collect import ReqView, SiteData
from reqkit.site.layout import Layout

__all__ = ["folder_page", "status_badge"]

_PLAIN_FIELDS = ("type", "priority", "urgency", "importance", "owner", "department")
_DATE_FIELDS = ("created", "due")
_ENUM_FIELDS = {"type", "priority", "urgency", "importance", "status", "result", "risk"}
_KNOWN = {
    "id", "title", "type", "status", "priority", "urgency", "importance", "source", "owner",
    "department", "created", "due", "release", "description", "rationale", "acceptance",
    "feasibility", "links", "verified_by", "tags", "evaluation", "decision", "lint",
}  # fmt: skip


def status_badge(site: SiteData, status: object) -> str:
    text = str(status)
    label = site.labels.value("status", text)
    return f'<span class="rk-status rk-status-{attr(text)}">{escape(label)}</span>'


def _text(value: Any) -> str:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    return str(value)


def _field(site: SiteData, key: str, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    name = key.rsplit(".", 1)[-1]
    shown = site.labels.value(name, value) if name in _ENUM_FIELDS else _text(value)
    return f"{escape(site.labels(key))}: {escape(shown)}"


def _md(value: Any) -> str:
    return markdown_html(value) if isinstance(value, str) else escape(_text(value))


def _md_item(value: Any) -> str:
    """One list item's Markdown, without the paragraph a single line would get."""
    html = _md(value)
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


# Few tags per requirement on purpose: every engine parses the HTML of every page two or
# three times (Markdown's raw-HTML blocks, anchor validation, the search index), so at
# 10k requirements the build time follows the tag count.


def _ref(site: SiteData, layout: Layout, src: str, rid: str, note: str = "") -> str:
    view = site.by_id.get(rid)
    href = layout.req_link(src, rid)
    link = f'<a href="{attr(href)}">{escape(rid)}</a>' if href else escape(rid)
    if view is None:
        return f"{link} ({escape(site.labels('site.none'))})"
    title = escape(_text(view.data.get("title", "")))
    return f"{link} {title} {status_badge(site, view.data.get('status', ''))}{note}"


def _links(site: SiteData, layout: Layout, src: str, view: ReqView) -> str:
    links = view.data.get("links") if isinstance(view.data.get("links"), dict) else {}
    suspect = set(site.suspects.get(view.rid, ()))
    badge = (
        f' <span class="rk-suspect" title="{attr(site.labels("site.suspect_help"))}">'
        f"{escape(site.labels('site.suspect'))}</span>"
    )
    groups = [
        ("parent", (links or {}).get("parent")),
        ("children", site.children.get(view.rid)),
        ("depends_on", (links or {}).get("depends_on")),
        ("dependants", site.dependants.get(view.rid)),
        ("conflicts_with", (links or {}).get("conflicts_with")),
        ("duplicates", (links or {}).get("duplicates")),
    ]
    out = []
    for key, ids in groups:
        if not isinstance(ids, list) or not ids:
            continue
        refs = " · ".join(
            _ref(site, layout, src, rid, badge if rid in suspect else "")
            for rid in ids
            if isinstance(rid, str)
        )
        out.append(
            f'<p class="rk-links" data-search-exclude>{escape(site.labels(key))}: {refs}</p>'
        )
    return "".join(out)


def _tests(site: SiteData, view: ReqView) -> str:
    """Each test with its last result (from the traceability matrix), and code references."""
    lab = site.labels
    row = site.rows.get(view.rid)
    head = f"{escape(lab('verified_by'))}:"
    if row is not None:
        tests = [
            f'<code>{escape(t.name)}</code> <span class="rk-outcome rk-{attr(t.outcome.replace(" ", "-"))}">'
            f"{escape(lab.value('outcome', t.outcome))}</span>"
            for t in row.tests
        ]
    else:
        names = view.data.get("verified_by")
        tests = [f"<code>{escape(t)}</code>" for t in names] if isinstance(names, list) else []
    out = (
        f'<p class="rk-tests" data-search-exclude>{head} {" · ".join(tests)}</p>'
        if tests
        else f'<p class="rk-tests" data-search-exclude>{head} {escape(lab("site.no_tests"))}</p>'
    )
    if row is not None and row.code:
        refs = " · ".join(f"<code>{escape(f'{c.path}:{c.line}')}</code>" for c in row.code)
        out += f'<p class="rk-code" data-search-exclude><b>{escape(lab("code"))}</b><br>{refs}</p>'
    return out


def _history(site: SiteData, view: ReqView) -> str:
    head = f"{escape(site.labels('history'))}:"
    timeline = site.timeline(view.rid)
    if site.history is None:
        return ""  # said once at the top of the page
    if timeline is None:  # added since the last commit
        return f'<p class="rk-none" data-search-exclude>{head} {escape(site.labels("site.no_history"))}</p>'
    rows = []
    transitions = {id(t.commit): t for t in timeline.transitions}
    for change in reversed(timeline.changes):
        commit = change.commit
        what = escape(change.kind)
        moved = transitions.get(id(commit))
        if moved is not None:
            before = status_badge(site, moved.old) + " → " if moved.old else ""
            what = f"{before}{status_badge(site, moved.new)}"
        sha = escape(commit.sha[:8])
        if site.host:
            sha = f'<a href="{attr(site.host.commit(commit.sha))}">{sha}</a>'
        pr = ""
        if commit.pr is not None:
            label = f"#{commit.pr}"
            pr = (
                f' <a href="{attr(site.host.pr(commit.pr))}">{label}</a>'
                if site.host
                else f" {label}"
            )
        rows.append(
            f"{escape(commit.date.date().isoformat())} {what} · {escape(commit.author)} · {sha}{pr}"
            f" {escape(commit.subject)}"
        )
    return f'<p class="rk-timeline" data-search-exclude>{head}<br>{"<br>".join(rows)}</p>'


def _section(site: SiteData, layout: Layout, src: str, view: ReqView) -> str:
    d, lab = view.data, site.labels
    title = escape(_text(d.get("title", "")))
    parts = [
        f'<section class="rk-req" id="req-{attr(view.rid)}">',
        f'<h2 id="{attr(view.rid)}">{escape(view.rid)} {title} {status_badge(site, d.get("status", ""))}</h2>',
    ]
    if not view.valid:
        parts.append(f'<p class="rk-invalid">{escape(lab("site.invalid"))}</p>')
    fields = [_field(site, k, d.get(k)) for k in _PLAIN_FIELDS]
    fields.append(_field(site, "release", d.get("release")))
    fields += [_field(site, k, d.get(k)) for k in _DATE_FIELDS]
    for group in ("source", "feasibility", "evaluation", "decision"):
        sub = d.get(group)
        if isinstance(sub, dict):
            fields += [_field(site, f"{group}.{k}", v) for k, v in sub.items()]
    fields += [_field(site, k, v) for k, v in d.items() if k not in _KNOWN]
    fields.append(_field(site, "tags", d.get("tags")))
    parts.append(
        f'<p class="rk-fields" data-search-exclude>{" · ".join(f for f in fields if f)}</p>'
    )
    parts.append(f'<div class="rk-md">{_md(d.get("description", ""))}</div>')
    if d.get("rationale"):
        parts.append(f"<h3>{escape(lab('rationale'))}</h3>{_md(d['rationale'])}")
    acceptance = d.get("acceptance")
    if acceptance:
        items = acceptance if isinstance(acceptance, list) else [acceptance]
        lis = "".join(f"<li>{_md_item(a)}</li>" for a in items)
        parts.append(f"<h3>{escape(lab('acceptance'))}</h3><ol>{lis}</ol>")
    parts.append(_links(site, layout, src, view))
    parts.append(_tests(site, view))
    parts.append(_history(site, view))
    edit = site.host.edit(view.path) if site.host else None
    where = escape(view.path)
    if edit:
        where += f' · <a class="rk-edit" href="{attr(edit)}">{escape(lab("site.edit"))}</a>'
    parts.append(f'<p class="rk-file" data-search-exclude>{where}</p></section>')
    return "\n".join(p for p in parts if p)


def folder_page(site: SiteData, layout: Layout, src: str) -> str:
    """The Markdown of one folder page (or one part of a large folder)."""
    folder = layout.folder_of_page[src]
    ids = layout.pages[src]
    name = folder or site.config.requirements
    parts = [p for p, f in layout.folder_of_page.items() if f == folder]
    heading = name if len(parts) == 1 else f"{name} ({parts.index(src) + 1}/{len(parts)})"
    out = [
        "---",
        f"title: {json.dumps(plain_title(heading), ensure_ascii=False)}",
        "---",
        "",
        f"<h1>{escape(heading)}</h1>",
        "",
    ]
    if site.history is None:
        out += [f'<p class="rk-none">{escape(site.labels("site.no_history"))}</p>', ""]
    if len(parts) > 1:
        nav = " · ".join(
            f'<a href="{attr(layout.link(src, p))}">{n}</a>'
            if p != src
            else f"<strong>{n}</strong>"
            for n, p in enumerate(parts, 1)
        )
        out += [f'<p class="rk-parts">{nav}</p>', ""]
    for rid in ids:
        out += [_section(site, layout, src, site.by_id[rid]), ""]
    return "\n".join(out)
