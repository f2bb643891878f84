"""The collect stage: every fact the site shows, gathered before any page is written.

Each source degrades on its own: outside Git there is no history (the pages say so),
without test results or code references there is no traceability data, and so on. A
source that fails to run is a `ReqkitError` for the user, never a half-built site.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reqkit.config import Config
from reqkit.diagnostics import Diagnostic
from reqkit.model.reqset import Entry, RequirementSet
from reqkit.site.host import Host, host_from
from reqkit.site.labels import Labels, labels_for
from reqkit.site.layout import id_sort_key

if TYPE_CHECKING:
    from reqkit.changes.release_notes import ReleaseNotes
    from reqkit.git.history import History, Timeline
    from reqkit.reports.build import Report
    from reqkit.tracing.coverage import TraceMatrix
    from reqkit.tracing.matrix import Row

__all__ = ["ReqView", "SiteData", "collect"]


@dataclass
class ReqView:
    """One requirement as the site shows it."""

    rid: str
    path: str  # repository-relative, for the edit link
    folder: str  # relative to the requirements folder ("" at its top)
    data: dict[str, Any]
    valid: bool  # the file validates against the model


@dataclass
class SiteData:
    config: Config
    labels: Labels
    reqs: list[ReqView]
    findings: list[Diagnostic]
    children: dict[str, list[str]] = field(default_factory=dict)
    dependants: dict[str, list[str]] = field(default_factory=dict)
    history: History | None = None  # None: not in Git, or no commits yet
    host: Host | None = None
    suspects: dict[str, list[str]] = field(default_factory=dict)  # ID → changed links
    trace: TraceMatrix | None = None  # tests with their results, code references
    report: Report | None = None  # counts, SLA, flow metrics and their charts
    releases: list[ReleaseNotes] | None = None  # per tag, newest first; None without tags

    def __post_init__(self) -> None:
        self.by_id = {r.rid: r for r in self.reqs}
        self.rows: dict[str, Row] = {r.id: r for r in self.trace.rows} if self.trace else {}

    def timeline(self, rid: str) -> Timeline | None:
        return self.history.get(rid) if self.history is not None else None


def _entries(config: Config) -> tuple[Path, list[Entry]]:
    from reqkit.errors import ConfigError
    from reqkit.loader.discover import discover, git_top
    from reqkit.loader.files import read_files

    folder = config.requirements_dir
    if not folder.is_dir():
        raise ConfigError(f"requirements folder '{config.requirements}' does not exist")
    boundary = (git_top(config.root) or config.root).resolve()
    paths = [found.path for found in discover(folder, boundary) if not found.escapes]
    files = read_files(paths, max_size=config.max_file_size)  # on every core
    entries = [
        Entry(os.path.relpath(os.path.abspath(p), boundary).replace(os.sep, "/"), p, fd)
        for p, fd in zip(paths, files, strict=True)
    ]
    return boundary, entries


def _findings(config: Config, entries: list[Entry]) -> list[Diagnostic]:
    """What `reqkit check` reports, from the same rules (without its cache)."""
    from reqkit.checks.context import CheckContext
    from reqkit.checks.engine import check_entry, check_set

    ctx = CheckContext(config)
    found: list[Diagnostic] = []
    for entry in entries:
        found.extend(check_entry(entry, ctx))
    found.extend(check_set(RequirementSet(entries), ctx))
    return sorted(set(found))


def _views(config: Config, entries: list[Entry], findings: list[Diagnostic]) -> list[ReqView]:
    broken = {d.path for d in findings if d.severity.value == "error"}
    top = os.path.realpath(config.requirements_dir)
    views: dict[str, ReqView] = {}
    for entry in entries:
        if entry.data is None:
            continue
        folder = os.path.relpath(os.path.dirname(os.path.realpath(entry.abspath)), top)
        folder = "" if folder == "." else folder.replace(os.sep, "/")
        view = ReqView(entry.known_id, entry.path, folder, entry.data, entry.path not in broken)
        views.setdefault(entry.known_id, view)  # a duplicate ID is a finding; first file wins
    return sorted(views.values(), key=lambda v: id_sort_key(v.rid))


def _reverse_links(reqs: list[ReqView]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    children: dict[str, list[str]] = {}
    dependants: dict[str, list[str]] = {}
    for view in reqs:
        links = view.data.get("links")
        if not isinstance(links, dict):
            continue
        for kind, into in (("parent", children), ("depends_on", dependants)):
            targets = links.get(kind)
            if isinstance(targets, list):
                for target in targets:
                    if isinstance(target, str):
                        into.setdefault(target, []).append(view.rid)
    return children, dependants


def _suspects(config: Config, history: History) -> dict[str, list[str]]:
    """Links whose target changed its meaning after the requirement was last reviewed.

    The same judgement as `check --base` (RK603), review commits included, so the badge
    and the finding never disagree.
    """
    from reqkit.changes.repo import Repo
    from reqkit.changes.suspect import suspect_links

    repo = Repo.open(config)
    head = repo.head()
    at_head = repo.versions(head)
    versions, edited = repo.work_tree(head, at_head)
    out: dict[str, list[str]] = {}
    for link in suspect_links(repo, history, versions, edited, at_head):
        out.setdefault(link.child, []).append(link.parent)
    return out


def _git(config: Config, repo_url: str | None) -> tuple[History | None, Host | None]:
    from reqkit.git.history import load_history
    from reqkit.git.runner import open_runner

    runner = open_runner(config.root)
    if runner is None:
        return None, host_from(repo_url, None, None)
    branch = runner.text("symbolic-ref", "--short", "-q", "HEAD", check=False) or None
    host = host_from(repo_url, runner.remote_url("origin"), branch)
    history = load_history(config)
    return (history if history.head is not None else None), host


def collect(
    config: Config,
    *,
    repo_url: str | None = None,
    git: bool = True,
    trace: TraceMatrix | None = None,
    report: Report | None = None,
    releases: list[ReleaseNotes] | None = None,
    findings: list[Diagnostic] | None = None,
) -> SiteData:
    """Load, check and (in Git) read the history of every requirement.

    The traceability matrix, the report, the release notes and the findings of `check`
    (warm from its cache) come from their own API functions (a layer above this one),
    computed by the caller and passed in; findings are computed here when not given.
    """
    _, entries = _entries(config)
    if findings is None:
        findings = _findings(config, entries)
    reqs = _views(config, entries, findings)
    children, dependants = _reverse_links(reqs)
    history, host = _git(config, repo_url) if git else (None, host_from(repo_url, None, None))
    data = SiteData(
        config,
        labels_for(config),
        reqs,
        findings,
        children,
        dependants,
        history,
        host,
        trace=trace,
        report=report,
        releases=releases,
    )
    if history is not None:
        data.suspects = _suspects(config, history)
    return data
