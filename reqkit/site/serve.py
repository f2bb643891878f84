"""`reqkit site serve`: a local preview that follows edits to requirement files.

With MkDocs (and ProperDocs) the preview runs the engine's own server on a generated
config that adds the reqkit plugin, so each rebuild regenerates the pages from the YAML
files it watches. Zensical ignores plugins: it serves a build folder generated once.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from reqkit.config import Config
from reqkit.site.build import generate
from reqkit.site.collect import SiteData
from reqkit.site.engine import engine_named, run_serve
from reqkit.site.engine_config import UserSite, dump_config

__all__ = ["serve"]


def _without_reqkit(plugins: object) -> object:
    if isinstance(plugins, list):
        return [p for p in plugins if p != "reqkit" and not (isinstance(p, dict) and "reqkit" in p)]
    if isinstance(plugins, dict):
        return {k: v for k, v in plugins.items() if k != "reqkit"}
    return plugins


def serve(
    config: Config, user: UserSite, *, engine: str | None, address: str, data: SiteData | None
) -> int:
    """Run the engine's server until interrupted; `data` only for engines without plugins."""
    chosen = engine_named(engine or str(config.site.get("engine", "mkdocs")))
    base = user.path.parent if user.path else config.root
    folder = Path(tempfile.mkdtemp(prefix="reqkit-serve-"))
    try:
        if data is not None:
            generated = generate(data, user, folder, site_dir=folder / "site")
            return run_serve(chosen, generated.config_file, address=address, cwd=folder)
        settings = dict(user.settings)
        docs = user.docs_dir or folder / "docs"
        docs.mkdir(parents=True, exist_ok=True)
        settings.setdefault("site_name", "Requirements")
        settings.setdefault("theme", {"name": "material", "font": False})
        settings["docs_dir"] = str(docs)
        settings["site_dir"] = str(folder / "site")
        mine = {"reqkit": {"root": str(config.root)}}
        plugins = _without_reqkit(settings.get("plugins"))
        if isinstance(plugins, dict):
            settings["plugins"] = {**plugins, **mine}
        else:
            settings["plugins"] = [*(plugins if isinstance(plugins, list) else ["search"]), mine]
        if user.path is not None:
            settings["watch"] = [*(settings.get("watch") or []), str(user.path)]
        config_file = folder / "mkdocs.yml"
        config_file.write_text(dump_config(settings), encoding="utf-8")
        return run_serve(chosen, config_file, address=address, cwd=base)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
