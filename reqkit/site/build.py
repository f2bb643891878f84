"""build_site: collect every fact, write the build folder, then run the engine.

The build folder (the user's docs, the generated Markdown, JSON and assets, and the
engine config) lives in a temporary directory outside the working tree, so generated
pages never land in the user's repository.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from reqkit.errors import UsageError
from reqkit.site import layout as places
from reqkit.site.collect import SiteData
from reqkit.site.engine import engine_named, run_build
from reqkit.site.engine_config import UserSite, dump_config
from reqkit.site.layout import Layout
from reqkit.site.nav import engine_settings, requirements_nav
from reqkit.site.overview import findings_page, list_data, list_page, matrix_page, overview_page
from reqkit.site.reportpage import releases_page, reports_page
from reqkit.site.reqpage import folder_page

__all__ = ["Generated", "SiteResult", "build_site", "generate", "pages_for", "write_pages"]


@dataclass(frozen=True)
class Generated:
    config_file: Path  # the engine config in the build folder
    pages: int
    requirements: int


@dataclass(frozen=True)
class SiteResult:
    output: Path
    engine: str
    pages: int
    requirements: int
    findings: int
    log: str


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")


def _copy_user_docs(user: UserSite, docs: Path) -> bool:
    """Copy the user's docs; True when they have their own home page."""
    if user.docs_dir is None:
        docs.mkdir(parents=True, exist_ok=True)
        return False
    if (user.docs_dir / places.ROOT).exists():
        raise UsageError(
            f"{user.docs_dir.name}/{places.ROOT}/ exists: reqkit generates that folder of the site"
        )
    shutil.copytree(user.docs_dir, docs, symlinks=False, dirs_exist_ok=True)
    return any((docs / name).is_file() for name in ("index.md", "README.md"))


def _strip_self(settings: dict[str, Any]) -> None:
    """The reqkit MkDocs plugin would generate the pages a second time."""
    plugins = settings.get("plugins")
    if isinstance(plugins, list):
        settings["plugins"] = [
            p for p in plugins if p != "reqkit" and not (isinstance(p, dict) and "reqkit" in p)
        ]
    elif isinstance(plugins, dict):
        plugins.pop("reqkit", None)


def pages_for(site: SiteData, layout: Layout) -> dict[str, str]:
    """Every generated file: source path in the docs folder → its text."""
    lab = site.labels
    out = {src: folder_page(site, layout, src) for src in layout.pages}
    charts: list[tuple[str, str]] = []
    if site.report is not None:
        from reqkit.outputs.report.figures import report_charts

        for name, svg in sorted(report_charts(site.report).items()):
            path = f"{places.ROOT}/charts/{name}.svg"
            out[path] = svg
            charts.append((lab(f"chart.{name}"), path))
    home_charts = [c for c in charts if c[1].endswith(("/status.svg", "/cumulative-flow.svg"))]
    out[layout.home] = overview_page(site, layout, layout.home, home_charts)
    out[places.LIST] = list_page(site, layout, places.LIST, mode="list", title=lab("site.index"))
    out[places.LIST_DATA] = json.dumps(
        list_data(site, layout), ensure_ascii=False, separators=(",", ":")
    )
    out[places.MATRIX] = matrix_page(site, layout, places.MATRIX)
    out[places.REPORTS] = reports_page(site, layout, places.REPORTS, charts)
    out[places.RELEASES] = releases_page(site, layout, places.RELEASES)
    out[places.FINDINGS] = findings_page(site, layout, places.FINDINGS)
    return out


def write_pages(site: SiteData, layout: Layout, docs: Path) -> list[str]:
    """Write every generated file and the assets under `docs`; their relative paths."""
    files = pages_for(site, layout)
    for rel, text in files.items():
        _write(docs / rel, text)
    assets = resources.files("reqkit.site") / "assets"
    for name in ("reqkit.css", "reqkit.js"):
        _write(docs / places.ASSETS / name, (assets / name).read_text(encoding="utf-8"))
        files[f"{places.ASSETS}/{name}"] = ""
    return sorted(files)


def generate(site: SiteData, user: UserSite, build_dir: Path, *, site_dir: Path) -> Generated:
    """Write the docs folder and the engine config for `site` into `build_dir`."""
    docs = build_dir / "docs"
    has_home = _copy_user_docs(user, docs)
    directory_urls = user.settings.get("use_directory_urls", True) is not False
    layout = Layout(directory_urls=directory_urls, home=places.OVERVIEW if has_home else "index.md")
    layout.place((v.rid, v.folder) for v in site.reqs)
    files = write_pages(site, layout, docs)
    section = requirements_nav(layout, site.labels, site.config.requirements)
    settings = engine_settings(
        user.settings,
        docs_dir=docs,
        site_dir=site_dir,
        section=section,
        section_title=site.labels("site.requirements"),
        user_docs=user.docs_dir,
        labels=site.labels,
        home_is_overview=not has_home,
    )
    _strip_self(settings)
    settings["docs_dir"] = "docs"  # beside the config: engines resolve it from there
    if site_dir == build_dir / "site":
        settings["site_dir"] = "site"
    config_file = build_dir / "mkdocs.yml"
    _write(config_file, dump_config(settings))
    return Generated(config_file, sum(1 for f in files if f.endswith(".md")), len(site.reqs))


def build_site(
    site: SiteData,
    user: UserSite,
    *,
    output: Path | None = None,
    engine: str | None = None,
    strict: bool = False,
    build_dir: Path | None = None,
) -> SiteResult:
    """Write the build folder for `site` and run the engine (default output: `site/`)."""
    config = site.config
    chosen = engine_named(engine or str(config.site.get("engine", "mkdocs")))
    base = user.path.parent if user.path else config.root
    site_dir = (output or base / str(user.settings.get("site_dir", "site"))).resolve()
    keep = build_dir is not None
    folder = build_dir.resolve() if build_dir else Path(tempfile.mkdtemp(prefix="reqkit-site-"))
    try:
        if keep and (folder / "docs").exists():
            shutil.rmtree(folder / "docs")
        into = site_dir if chosen.supports_site_dir else folder / "site"
        generated = generate(site, user, folder, site_dir=into)
        log = run_build(chosen, generated.config_file, strict=strict, cwd=folder)
        if into != site_dir:
            shutil.rmtree(site_dir, ignore_errors=True)
            shutil.copytree(into, site_dir)
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)
    return SiteResult(
        site_dir, chosen.name, generated.pages, generated.requirements, len(site.findings), log
    )
