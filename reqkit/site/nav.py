"""Navigation that stays fast at 10k requirements, and the engine settings around it.

MkDocs renders the whole nav into every page: a flat nav of 2,000 requirement pages
took 94 s to build, a grouped one 13 s. So the nav lists the summary pages and one
entry per folder (its first part); further parts and anchors are reached from the
pages. The nav goes into the generated engine config (`nav:`), which every engine
reads, rather than a literate-nav `SUMMARY.md` that only a plugin understands.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from reqkit.outputs.sanitize import plain_title
from reqkit.site import layout as places
from reqkit.site.engine_config import SEARCH_SEPARATOR_ZH
from reqkit.site.labels import Labels
from reqkit.site.layout import Layout

__all__ = [
    "ASSET_CSS",
    "ASSET_JS",
    "MAX_FOLDERS_IN_NAV",
    "engine_settings",
    "merge_nav",
    "requirements_nav",
]

MAX_FOLDERS_IN_NAV = 60
ASSET_CSS = f"{places.ASSETS}/reqkit.css"
ASSET_JS = f"{places.ASSETS}/reqkit.js"


def requirements_nav(layout: Layout, labels: Labels, root_name: str) -> list[Any]:
    """The generated section: summaries, then folders (first part of each)."""
    items: list[Any] = [
        {labels("site.overview"): layout.home},
        {labels("site.index"): places.LIST},
        {labels("site.matrix"): places.MATRIX},
        {labels("site.reports"): places.REPORTS},
        {labels("site.releases"): places.RELEASES},
        {labels("site.lint"): places.FINDINGS},
    ]
    firsts = [src for src in layout.pages if not src.rsplit("/", 1)[-1].startswith("_p")]
    if 1 < len(firsts) <= MAX_FOLDERS_IN_NAV or (
        len(firsts) == 1 and layout.folder_of_page[firsts[0]]
    ):
        folders = [{plain_title(layout.folder_of_page[src] or root_name): src} for src in firsts]
        items.append({labels("site.folder"): folders})
    elif len(firsts) == 1:
        items.append({plain_title(root_name): firsts[0]})
    return items


def _user_nav(docs: Path | None) -> list[Any]:
    """The user's Markdown files in a stable order when they wrote no nav (home first)."""
    if docs is None:
        return []
    files = sorted(
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(docs).parts)
    )
    files.sort(key=lambda f: (f != "index.md", f.count("/"), f))
    return list(files)


def merge_nav(
    nav: Any,
    user_docs: Path | None,
    section: list[Any],
    *,
    section_title: str,
    labels: Labels,
    home_is_overview: bool,
) -> list[Any]:
    """The user's nav (or their files) with the requirements section added.

    Without a home page of their own, the overview is the home and the section comes
    first; otherwise the section comes last, under `section_title`.
    """
    items = copy.deepcopy(nav) if isinstance(nav, list) else _user_nav(user_docs)
    if home_is_overview:
        items = [n for n in items if n != "index.md"]
        return [{labels("site.requirements"): "index.md"}, *section[1:], *items]
    return [*items, {section_title: section}]


def _search(plugins: Any) -> Any:
    """The user's plugins (default: search), search splitting Chinese words too.

    Requirements mix languages whatever the site's language is, so the separator that
    splits on jieba's word boundaries is set unless the user chose their own.
    """
    plugins = ["search"] if plugins is None else copy.deepcopy(plugins)
    if isinstance(plugins, dict):
        entry = plugins.get("search")
        if "search" in plugins and isinstance(entry, dict | type(None)):
            plugins["search"] = {"separator": SEARCH_SEPARATOR_ZH, **(entry or {})}
        return plugins
    out = []
    for item in plugins:
        if item == "search":
            out.append({"search": {"separator": SEARCH_SEPARATOR_ZH}})
        elif isinstance(item, dict) and isinstance(item.get("search"), dict):
            out.append({"search": {"separator": SEARCH_SEPARATOR_ZH, **item["search"]}})
        else:
            out.append(item)
    return out


def engine_settings(
    user: dict[str, Any],
    *,
    docs_dir: Path,
    site_dir: Path,
    section: list[Any],
    section_title: str,
    user_docs: Path | None,
    labels: Labels,
    home_is_overview: bool,
) -> dict[str, Any]:
    """The user's settings with our docs folder, output, nav, assets and search."""
    settings = copy.deepcopy(user)
    settings.setdefault("site_name", labels("site.requirements"))
    settings["docs_dir"] = str(docs_dir)
    settings["site_dir"] = str(site_dir)
    theme = settings.get("theme")
    if theme is None:
        theme = {"name": "material", "font": False}  # no font requests to a third party
    elif isinstance(theme, str):
        theme = {"name": theme}
    if labels.language == "zh":
        theme.setdefault("language", "zh")
    settings["theme"] = theme
    settings["nav"] = merge_nav(
        settings.get("nav"),
        user_docs,
        section,
        section_title=section_title,
        labels=labels,
        home_is_overview=home_is_overview,
    )
    settings["extra_css"] = [*(settings.get("extra_css") or []), ASSET_CSS]
    settings["extra_javascript"] = [*(settings.get("extra_javascript") or []), ASSET_JS]
    settings["plugins"] = _search(settings.get("plugins"))
    hidden = "/requirements/by-folder/**"
    settings["not_in_nav"] = "\n".join(
        p for p in (str(settings.get("not_in_nav") or "").strip(), hidden) if p
    )
    return settings
