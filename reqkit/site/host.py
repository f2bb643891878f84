"""Links to the Git host: commits, pull requests, and the file to edit.

From the site config's `repo_url` when the user set one, else from the `origin` remote
when it is a GitHub or GitLab URL (semantics.md). Anything else gives no links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Host", "host_from"]

_SCP = re.compile(r"^(?:[\w.-]+@)?([\w.-]+):(?!//)(.+?)(?:\.git)?/?$")
_URL = re.compile(r"^(?:https?|ssh|git)://(?:[^@/]+@)?([\w.-]+)(?::\d+)?/(.+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class Host:
    web: str  # https://github.com/owner/repo
    kind: str  # "github" | "gitlab"
    branch: str

    def commit(self, sha: str) -> str:
        return f"{self.web}/-/commit/{sha}" if self.kind == "gitlab" else f"{self.web}/commit/{sha}"

    def pr(self, number: int) -> str:
        if self.kind == "gitlab":
            return f"{self.web}/-/merge_requests/{number}"
        return f"{self.web}/pull/{number}"

    def edit(self, path: str) -> str:
        if self.kind == "gitlab":
            return f"{self.web}/-/edit/{self.branch}/{path}"
        return f"{self.web}/edit/{self.branch}/{path}"


def _web(url: str) -> tuple[str, str] | None:
    url = url.strip()
    match = _URL.match(url) or _SCP.match(url)
    if not match:
        return None
    server, path = match.group(1).lower(), match.group(2).strip("/")
    if "github" in server:
        kind = "github"
    elif "gitlab" in server:
        kind = "gitlab"
    else:
        return None
    if not re.fullmatch(r"[\w.-]+(?:/[\w.-]+)+", path):
        return None
    return f"https://{server}/{path}", kind


def host_from(repo_url: str | None, remote: str | None, branch: str | None) -> Host | None:
    """The host of the site's `repo_url`, else of the remote; None when neither is known."""
    for candidate in (repo_url, remote):
        found = _web(candidate) if candidate else None
        if found:
            return Host(found[0], found[1], branch or "main")
    return None
