"""`site build` / `site serve`: the published site from the requirements.

This is the site's collect stage: the requirements, findings and history come from
`reqkit.site.collect`, the traceability matrix and the report from their own API
functions, all gathered before a page is written.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reqkit.config import Config, load_config

if TYPE_CHECKING:
    from reqkit.changes.release_notes import ReleaseNotes
    from reqkit.site.build import SiteResult
    from reqkit.site.collect import SiteData

#: Release notes are shown for at most this many of the newest tags.
MAX_RELEASES = 20

__all__ = ["build_site", "serve_site", "site_data"]


def _now(config: Config) -> dt.datetime | None:
    """The moment ages and SLA clocks are measured at, the same for the same commit.

    `SOURCE_DATE_EPOCH` when set (reproducible builds), else the committer date of HEAD;
    outside Git, the current time.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    from reqkit.git.runner import open_runner

    runner = open_runner(config.root)
    stamp = runner.text("log", "-1", "--format=%cI", check=False) if runner else ""
    return dt.datetime.fromisoformat(stamp.strip()) if stamp.strip() else None


def _releases(config: Config) -> list[ReleaseNotes] | None:
    """Release notes per tag reachable from HEAD, newest first; None without tags.

    Each tag's notes cover the range from the previous tag (the first tag: from the
    first commit), as `reqkit release-notes PREVIOUS TAG` would print them.
    """
    from reqkit.api.changes import release_notes
    from reqkit.git.runner import open_runner

    runner = open_runner(config.root)
    if runner is None or runner.head() is None:
        return None
    tags = runner.text("tag", "--merged", "HEAD", "--sort=creatordate", check=False).split()
    if not tags:
        return None
    first = runner.text("rev-list", "--max-parents=0", "--first-parent", "HEAD").split()[-1]
    starts = [first, *tags[:-1]]
    pairs = list(zip(starts, tags, strict=True))[-MAX_RELEASES:]
    return [release_notes(a, b, config=config) for a, b in reversed(pairs)]


def site_data(
    config: Config,
    *,
    repo_url: str | None = None,
    tests: Sequence[str | Path] = (),
    code: Sequence[str | Path] = (),
) -> SiteData:
    """Everything the site shows, gathered in one place before any page is written."""
    from reqkit.api.checking import check
    from reqkit.api.reporting import report
    from reqkit.api.tracing import trace
    from reqkit.site.collect import collect

    matrix = trace(config=config, tests=tests, code=code, history=False)
    status = report(config=config, now=_now(config))
    releases = _releases(config)
    findings = list(check(config=config).diagnostics)  # warm from the check cache
    return collect(
        config,
        repo_url=repo_url,
        trace=matrix,
        report=status,
        releases=releases,
        findings=findings,
    )


def build_site(
    *,
    root: str | Path | None = None,
    output: str | Path | None = None,
    engine: str | None = None,
    strict: bool = False,
    site_config: str | Path | None = None,
    build_dir: str | Path | None = None,
    tests: Sequence[str | Path] = (),
    code: Sequence[str | Path] = (),
) -> SiteResult:
    """Generate the requirement pages and build the static site (default: into `site/`).

    The user's `mkdocs.yml` and docs folder are merged in when present; the generated
    Markdown lives in a temporary build folder (or `build_dir`), never in the project.
    `tests` (JUnit XML) and `code` (folders) feed the matrix and each requirement's
    test results and code references.
    """
    from reqkit.site.build import build_site as build
    from reqkit.site.engine_config import read_user_site

    config = load_config(Path(root) if root else None)
    user = read_user_site(config.root, Path(site_config) if site_config else None)
    repo_url = user.settings.get("repo_url")
    data = site_data(
        config, repo_url=repo_url if isinstance(repo_url, str) else None, tests=tests, code=code
    )
    return build(
        data,
        user,
        output=Path(output) if output else None,
        engine=engine,
        strict=strict,
        build_dir=Path(build_dir) if build_dir else None,
    )


def serve_site(
    *,
    root: str | Path | None = None,
    engine: str | None = None,
    address: str = "127.0.0.1:8000",
    site_config: str | Path | None = None,
) -> int:
    """Serve the site with live reload; returns the engine's exit code when it stops."""
    from reqkit.site.engine_config import read_user_site
    from reqkit.site.serve import serve

    config = load_config(Path(root) if root else None)
    user = read_user_site(config.root, Path(site_config) if site_config else None)
    if (engine or config.site.get("engine", "mkdocs")) == "zensical":
        repo_url = user.settings.get("repo_url")
        data = site_data(config, repo_url=repo_url if isinstance(repo_url, str) else None)
        return serve(config, user, engine="zensical", address=address, data=data)
    return serve(config, user, engine=engine, address=address, data=None)
