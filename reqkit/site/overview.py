"""The pages about all requirements: overview, the filterable list, findings, matrix.

Lists that can hold every requirement (the index, the matrix) are drawn in the browser
from one JSON file by reqkit.js, so a 10k-row page stays light; the Markdown here holds
the summaries, which stay small at any size.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from reqkit.outputs.sanitize import attr, escape, plain_title
from reqkit.site import layout as places
from reqkit.site.collect import SiteData
from reqkit.site.layout import Layout
from reqkit.site.reqpage import status_badge

__all__ = ["findings_page", "front", "list_data", "list_page", "matrix_page", "overview_page"]

_LIST_FIELDS = ("status", "type", "priority", "urgency", "owner", "tags")


def front(title: str) -> list[str]:
    """Front matter and the visible heading of a generated page."""
    return [
        "---",
        f"title: {json.dumps(plain_title(title), ensure_ascii=False)}",
        "---",
        "",
        f"<h1>{escape(title)}</h1>",
        "",
    ]


def _count_table(site: SiteData, field: str, values: list[str], total: int) -> str:
    counts = Counter(values)
    order = list(site.config.state_names) if field == "status" else sorted(counts)
    rows = []
    for value in [v for v in order if v in counts] + sorted(set(counts) - set(order)):
        share = 100 * counts[value] / total if total else 0
        label = (
            status_badge(site, value)
            if field == "status"
            else escape(site.labels.value(field, value))
        )
        rows.append(
            f"<tr><td>{label}</td><td>{counts[value]}</td>"
            f'<td><span class="rk-bar" style="width:{share:.0f}%"></span></td></tr>'
        )
    head = f"<tr><th>{escape(site.labels(field))}</th><th>{escape(site.labels('site.count'))}</th><th></th></tr>"
    return f'<table class="rk-counts"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _latest_changes(site: SiteData, layout: Layout, src: str, limit: int = 10) -> str:
    lab = site.labels
    head = f"<h2>{escape(lab('site.latest_changes'))}</h2>"
    if site.history is None:
        return f'{head}<p class="rk-none">{escape(lab("site.no_history"))}</p>'
    touched: dict[str, list[str]] = {}
    for timeline in site.history:
        for change in timeline.changes:
            touched.setdefault(change.commit.sha, []).append(timeline.id)
    rows = []
    for commit in list(reversed(site.history.commits))[:limit]:
        ids = sorted(set(touched.get(commit.sha, [])))
        refs = ", ".join(
            f'<a href="{attr(href)}">{escape(rid)}</a>'
            if (href := layout.req_link(src, rid))
            else escape(rid)
            for rid in ids[:8]
        ) + (" …" if len(ids) > 8 else "")
        pr = ""
        if commit.pr is not None:
            pr = (
                f'<a href="{attr(site.host.pr(commit.pr))}">#{commit.pr}</a>'
                if site.host
                else f"#{commit.pr}"
            )
        rows.append(
            f"<tr><td>{escape(commit.date.date().isoformat())}</td><td>{escape(commit.subject)} {pr}</td>"
            f"<td>{escape(commit.author)}</td><td>{refs}</td></tr>"
        )
    cols = "".join(
        f"<th>{escape(lab(k))}</th>"
        for k in ("site.date", "site.change", "site.author", "site.requirements")
    )
    return f'{head}<table class="rk-changes"><thead><tr>{cols}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _latest_release(site: SiteData, layout: Layout, src: str) -> str:
    """The highest `release` among shipped requirements, and what shipped in it."""
    lab = site.labels
    from reqkit.site.reportpage import shipped_by_release

    by_release = shipped_by_release(site)
    head = f"<h2>{escape(lab('site.latest_release'))}</h2>"
    if site.releases:
        from reqkit.site.reportpage import notes_html

        newest = site.releases[0]
        link = layout.link(src, places.RELEASES, newest.to_ref)
        return (
            f'{head}<p><a href="{attr(link)}"><strong>{escape(newest.to_ref)}</strong></a></p>'
            f"{notes_html(site, layout, src, newest)}"
        )
    if not by_release:
        return f'{head}<p class="rk-none">{escape(lab("site.none"))}</p>'
    latest = max(by_release, key=places.id_sort_key)
    items = "".join(
        f'<li><a href="{attr(layout.req_link(src, rid) or "")}">{escape(rid)}</a> {escape(str(site.by_id[rid].data.get("title", "")))}</li>'
        for rid in by_release[latest][:20]
    )
    more = f"<p>… {len(by_release[latest]) - 20}</p>" if len(by_release[latest]) > 20 else ""
    return f"{head}<p><strong>{escape(latest)}</strong></p><ul>{items}</ul>{more}"


def overview_page(site: SiteData, layout: Layout, src: str, charts: list[tuple[str, str]]) -> str:
    """The dashboard: counts, charts, latest changes, latest release."""
    lab = site.labels
    total = len(site.reqs)
    errors = sum(1 for d in site.findings if d.severity.value == "error")
    warnings = len(site.findings) - errors
    out = front(lab("site.requirements"))
    out.append(
        f'<p class="rk-summary"><a href="{attr(layout.link(src, places.LIST))}">{total} {escape(lab("site.count"))}</a>'
        f' · <a href="{attr(layout.link(src, places.FINDINGS))}">{errors} ✗ · {warnings} ⚠</a></p>'
    )
    out.append("")
    if charts:
        imgs = "".join(
            f'<figure class="rk-chart"><img src="{attr(layout.link(src, path))}" alt="{attr(title)}"><figcaption>{escape(title)}</figcaption></figure>'
            for title, path in charts
        )
        out += [f'<div class="rk-charts">{imgs}</div>', ""]
    if site.report is not None:
        sla = site.report.sla
        share = "—" if sla.compliance is None else f"{100 * sla.compliance:.0f} %"
        out += [
            f'<p class="rk-sla">{escape(lab("site.sla"))}: <strong>{share}</strong> · '
            f"{escape(lab('site.sla_breaches'))}: <strong>{len(sla.breaches)}</strong>"
            f' · <a href="{attr(layout.link(src, places.REPORTS))}">{escape(lab("site.reports"))}</a></p>',
            "",
        ]
    statuses = [str(v.data.get("status", "")) for v in site.reqs]
    types = [str(v.data.get("type", "")) for v in site.reqs]
    out.append(
        f'<div class="rk-grid"><div><h2>{escape(lab("site.by_status"))}</h2>{_count_table(site, "status", statuses, total)}</div>'
        f"<div><h2>{escape(lab('site.by_type'))}</h2>{_count_table(site, 'type', types, total)}</div></div>"
    )
    out += ["", _latest_changes(site, layout, src), "", _latest_release(site, layout, src), ""]
    return "\n".join(out)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def list_data(site: SiteData, layout: Layout) -> dict[str, Any]:
    """The index's rows, labels and filter values, for reqkit.js (URLs relative to the site)."""
    rows: list[list[Any]] = []
    values: dict[str, set[str]] = {f: set() for f in _LIST_FIELDS}
    for view in site.reqs:
        d = view.data
        tags = [str(t) for t in _list(d.get("tags"))]
        links = d.get("links") if isinstance(d.get("links"), dict) else {}
        plain = [str(d.get(f, "") or "") for f in _LIST_FIELDS[:-1]]
        for f, v in zip(_LIST_FIELDS[:-1], plain, strict=True):
            if v:
                values[f].add(v)
        values["tags"].update(tags)
        rows.append(
            [
                view.rid,
                str(d.get("title", "")),
                *plain,
                tags,
                layout.url(layout.page_of[view.rid]) + "#" + view.rid,
                [p for p in _list((links or {}).get("parent")) if isinstance(p, str)],
                len(site.children.get(view.rid, [])),
                len(_list(d.get("verified_by"))),
                site.rows[view.rid].verdict if view.rid in site.rows else "",
            ]
        )
    lab = site.labels
    ordered = {f: sorted(vs) for f, vs in values.items()}
    names = {
        f: {v: lab.value(f, v) if f in ("status", "type", "priority", "urgency") else v for v in vs}
        for f, vs in ordered.items()
    }
    verdicts = ("passed", "failed", "not run", "untested")
    names["verdict"] = {v: lab.value("verdict", v) for v in verdicts}
    return {
        "columns": ["id", "title", *_LIST_FIELDS, "url", "parent", "children", "tests", "verdict"],
        "labels": {
            k: lab(k)
            for k in ("id", "title", *_LIST_FIELDS, "parent", "children", "tests", "verdict")
        }
        | {"filter": lab("site.search_text"), "any": lab("site.any"), "shown": lab("site.shown")},
        "values": ordered,
        "names": names,
        "rows": rows,
    }


def list_page(
    site: SiteData, layout: Layout, src: str, *, mode: str, title: str, intro: str = ""
) -> str:
    data = attr(layout.link(src, places.LIST_DATA))
    root = attr(layout.link(src, "") or "./")
    out = front(title)
    if intro:
        out += [intro, ""]
    out.append(
        f'<div class="rk-list" data-src="{data}" data-root="{root}" data-mode="{attr(mode)}">'
        f"<noscript>JavaScript shows the list here.</noscript></div>"
    )
    return "\n".join(out) + "\n"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f} %"


def matrix_page(site: SiteData, layout: Layout, src: str) -> str:
    """Coverage per type, then the matrix itself (drawn from the list data)."""
    lab = site.labels
    if site.trace is not None:
        groups = site.trace.by("type")
        rows = [
            f"<tr><td>{escape(lab.value('type', kind))}</td><td>{t.requirements}</td>"
            f"<td>{_pct(t.traced_pct)}</td><td>{_pct(t.verified_pct)}</td></tr>"
            for kind, t in sorted(groups.items())
        ]
        o = site.trace.overall
        rows.append(
            f"<tr><th>{escape(lab('site.total'))}</th><th>{o.requirements}</th>"
            f"<th>{_pct(o.traced_pct)}</th><th>{_pct(o.verified_pct)}</th></tr>"
        )
        cols = (lab("type"), lab("site.count"), lab("site.traced"), lab("site.verified"))
    else:
        rows = [f'<tr><td colspan="4" class="rk-none">{escape(lab("site.no_trace"))}</td></tr>']
        cols = (lab("type"), lab("site.count"), lab("site.traced"), lab("site.verified"))
    head = "".join(f"<th>{escape(x)}</th>" for x in cols)
    summary = (
        f'<table class="rk-coverage"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return list_page(site, layout, src, mode="matrix", title=lab("site.matrix"), intro=summary)


def findings_page(site: SiteData, layout: Layout, src: str) -> str:
    lab = site.labels
    out = front(lab("site.lint"))
    if not site.findings:
        return "\n".join([*out, f"<p>{escape(lab('site.no_findings'))}</p>", ""])
    rows = []
    for d in site.findings:
        req = ""
        if d.requirement:
            href = layout.req_link(src, d.requirement)
            req = (
                f'<a href="{attr(href)}">{escape(d.requirement)}</a>'
                if href
                else escape(d.requirement)
            )
        rows.append(
            f'<tr class="rk-{attr(d.severity.value)}"><td>{escape(d.severity.value)}</td><td><code>{escape(d.code)}</code></td>'
            f"<td>{escape(d.message)}</td><td><code>{escape(f'{d.path}:{d.line}:{d.column}')}</code></td><td>{req}</td></tr>"
        )
    head = "".join(
        f"<th>{escape(lab(k))}</th>"
        for k in ("site.severity", "site.code", "site.message", "site.location", "site.requirement")
    )
    out.append(
        f'<table class="rk-findings"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
    return "\n".join(out) + "\n"
