"""A thin MkDocs plugin: plain `mkdocs build` / `mkdocs serve` generate the pages too.

An entry point like `__main__`, outside the layers: it gathers the site's data through
the API (`reqkit.api.publishing.site_data`) and writes the pages with `reqkit.site`.

    plugins:
      - search
      - reqkit          # optional: root: path/to/project (default: beside mkdocs.yml)

The same generator as `reqkit site build` writes the pages into a temporary folder (never
the working tree) and they are added to MkDocs' files; the nav gets the requirements
section; `mkdocs serve` also watches the requirement files and the reqkit config, so an
edit to a YAML file rebuilds the site. Engines that ignore plugins (Zensical) are served
by `reqkit site build` instead, which needs no plugin.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config as MkConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files

from reqkit.api.publishing import site_data
from reqkit.config import load_config
from reqkit.errors import ReqkitError
from reqkit.site import layout as places
from reqkit.site.build import write_pages
from reqkit.site.engine_config import SEARCH_SEPARATOR_ZH
from reqkit.site.layout import Layout
from reqkit.site.nav import ASSET_CSS, ASSET_JS, merge_nav, requirements_nav

__all__ = ["ReqkitPlugin"]


class _Options(MkConfig):
    root = config_options.Optional(config_options.Type(str))
    tests = config_options.ListOfItems(config_options.Type(str), default=[])
    code = config_options.ListOfItems(config_options.Type(str), default=[])


class ReqkitPlugin(BasePlugin[_Options]):
    def __init__(self) -> None:
        self._folder: Path | None = None
        self._generated: list[str] = []
        self._watch: list[str] = []

    @event_priority(100)  # before the search plugin reads its settings
    def on_config(self, config: Any) -> Any:
        from mkdocs.exceptions import PluginError

        base = Path(config.config_file_path or ".").resolve().parent
        root = Path(self.config.root).resolve() if self.config.root else base
        try:
            project = load_config(root)
            site = site_data(
                project,
                repo_url=config.repo_url or None,
                tests=[str(base / t) for t in self.config.tests],
                code=[str(base / c) for c in self.config.code],
            )
        except ReqkitError as exc:
            raise PluginError(f"reqkit: {exc}") from None
        docs = Path(config.docs_dir)
        has_home = any((docs / n).is_file() for n in ("index.md", "README.md"))
        layout = Layout(
            directory_urls=config.use_directory_urls is not False,
            home=places.OVERVIEW if has_home else "index.md",
        )
        layout.place((v.rid, v.folder) for v in site.reqs)
        self._folder = Path(tempfile.mkdtemp(prefix="reqkit-mkdocs-"))
        self._generated = write_pages(site, layout, self._folder)
        section = requirements_nav(layout, site.labels, project.requirements)
        config.nav = merge_nav(
            config.nav,
            docs,
            section,
            section_title=site.labels("site.requirements"),
            labels=site.labels,
            home_is_overview=not has_home,
        )
        config.extra_css.append(ASSET_CSS)
        config.extra_javascript.append(ASSET_JS)
        self._watch = [str(project.requirements_dir)]
        if project.source is not None:
            self._watch.append(str(project.source))
        search = config.plugins.get("material/search") or config.plugins.get("search")
        if search is not None and search.config.get("separator") in (None, r"[\s\-]+"):
            search.config["separator"] = SEARCH_SEPARATOR_ZH
        return config

    def on_files(self, files: Files, *, config: Any) -> Files:
        from mkdocs.exceptions import PluginError

        assert self._folder is not None
        for rel in self._generated:
            if files.get_file_from_path(rel) is not None:
                raise PluginError(f"reqkit: docs/{rel} exists; reqkit generates that page")
            files.append(
                File(
                    rel,
                    src_dir=str(self._folder),
                    dest_dir=config.site_dir,
                    use_directory_urls=config.use_directory_urls,
                )
            )
        return files

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        for path in self._watch:
            server.watch(path)
        return server

    def on_post_build(self, *, config: Any) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None

    def on_build_error(self, *, error: Exception) -> None:
        self.on_post_build(config=None)
