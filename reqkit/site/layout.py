"""Where every generated page lives and where each requirement's anchor is.

One page per folder of `reqs/`, one anchor per requirement (`#ID`): at 10k requirements
a page per requirement cost MkDocs ~39 s on its own, a page per folder ~15 s (see
docs/decisions.md). A folder with more than `PAGE_SIZE` requirements is split into parts
of consecutive IDs (`_p2.md`, `_p3.md`, …), so no page grows past a comfortable size.
Links are written as final URLs (raw HTML is not rewritten by engines), so the
layout knows whether the engine uses directory URLs.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["PAGE_SIZE", "ROOT", "Layout", "id_sort_key"]

ROOT = "requirements"
PAGE_SIZE = 200
_DIGITS = re.compile(r"(\d+)")

OVERVIEW = f"{ROOT}/index.md"
LIST = f"{ROOT}/list.md"
LIST_DATA = f"{ROOT}/list.json"
MATRIX = f"{ROOT}/matrix.md"
REPORTS = f"{ROOT}/reports.md"
RELEASES = f"{ROOT}/releases.md"
FINDINGS = f"{ROOT}/findings.md"
ASSETS = f"{ROOT}/assets"


def id_sort_key(rid: str) -> tuple[object, ...]:
    """Natural order: REQ-9 before REQ-10; ties broken by the plain text."""
    parts = _DIGITS.split(rid)
    return (tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts if p), rid)


@dataclass
class Layout:
    """Pages of requirements by folder, and the URL rules of the engine."""

    directory_urls: bool = True
    home: str = OVERVIEW  # the overview page's source path (index.md when it is the home)
    pages: dict[str, list[str]] = field(default_factory=dict)  # page src → IDs on it
    folder_of_page: dict[str, str] = field(default_factory=dict)
    page_of: dict[str, str] = field(default_factory=dict)  # ID → page src

    def place(self, items: Iterable[tuple[str, str]]) -> None:
        """Lay out (ID, folder) pairs; folder is relative to the requirements folder."""
        by_folder: dict[str, list[str]] = {}
        for rid, folder in items:
            by_folder.setdefault(folder, []).append(rid)
        for folder in sorted(by_folder):
            ids = sorted(by_folder[folder], key=id_sort_key)
            base = posixpath.join(ROOT, "by-folder", folder) if folder else f"{ROOT}/by-folder"
            for n, start in enumerate(range(0, len(ids), PAGE_SIZE), 1):
                src = f"{base}/index.md" if n == 1 else f"{base}/_p{n}.md"
                chunk = ids[start : start + PAGE_SIZE]
                self.pages[src] = chunk
                self.folder_of_page[src] = folder
                for rid in chunk:
                    self.page_of[rid] = src

    def url(self, src: str) -> str:
        """The site-relative URL of a page (or of a static file, unchanged)."""
        if not src.endswith(".md"):
            return src
        stem = src[:-3]
        if not self.directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem[: -len("index")]
        return f"{stem}/"

    def link(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """A relative URL from one page to a page (or file), with an optional anchor."""
        page = self.url(from_src)
        here = page[:-1] if page.endswith("/") else posixpath.dirname(page)
        target = self.url(to_src)
        rel = posixpath.relpath(target or ".", here or ".")
        if target.endswith("/") or target == "":
            rel = "./" if rel == "." else rel + "/"
        return rel + (f"#{anchor}" if anchor else "")

    def req_link(self, from_src: str, rid: str) -> str | None:
        src = self.page_of.get(rid)
        return None if src is None else self.link(from_src, src, rid)
