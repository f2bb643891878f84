"""A GitHub issue filed with the requirement issue form → one requirement.

Input is what `gh issue view N --json title,body,author,labels,url` prints. GitHub
writes a form's answers into the body as `### Label` sections (`_No response_` when
left empty); each label is matched by its English or Chinese part. The issue URL is
the source detail unless the form names one, the author the requester unless the
form names one, the labels the tags.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from reqkit.errors import UsageError
from reqkit.interchange.columns import HEADERS_EN, HEADERS_ZH, VALUES_ZH
from reqkit.interchange.source import Incoming, Source

__all__ = ["form_answers", "read_issue"]

_FORM = {
    "requirement type": "type",
    "description": "description",
    "source channel": "source.channel",
    "source": "source.detail",
    "requester": "source.requester",
    "priority": "priority",
    "urgency": "urgency",
    "acceptance criteria": "acceptance",
}
_SECTION = re.compile(r"^###[ \t]+(.+?)[ \t]*$", re.M)
_TAG = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _field(label: str) -> str | None:
    for part in (p.strip() for p in label.split("/")):
        found = _FORM.get(part.lower()) or HEADERS_ZH.get(part) or HEADERS_EN.get(part.lower())
        if found:
            return found
    return None


def form_answers(body: str) -> dict[str, str]:
    """`### Label` sections → field → answer (empty answers left out)."""
    answers: dict[str, str] = {}
    marks = list(_SECTION.finditer(body))
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(body)
        text = body[mark.end() : end].strip()
        name = _field(mark.group(1))
        if name and text and text != "_No response_":
            answers[name] = text
    return answers


def _choice(name: str, text: str) -> str:
    """`functional / 功能需求` → `functional`; a Chinese value alone is translated."""
    first = text.split("/", 1)[0].strip()
    return VALUES_ZH.get(name, {}).get(first, first)


def read_issue(path: Path) -> Source:
    try:
        issue: Any = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not the JSON of `gh issue view N --json ...` ({exc})") from None
    if not isinstance(issue, dict) or not isinstance(issue.get("body"), str):
        raise UsageError(
            f"{path}: expected `gh issue view N --json title,body,author,labels,url` output"
        )
    url = str(issue.get("url") or "")
    number = url.rstrip("/").rsplit("/", 1)[-1] if url else "?"
    answers = form_answers(issue["body"])
    data: dict[str, Any] = {}
    title = re.sub(r"^\[(Requirement|需求)\]\s*", "", str(issue.get("title") or "")).strip()
    if title:
        data["title"] = title
    source: dict[str, Any] = {}
    for name, text in answers.items():
        if name in ("type", "priority", "urgency", "source.channel"):
            text = _choice(name, text)
        if name == "acceptance":
            items = [re.sub(r"^([-*]|\d+[.)])\s+", "", line).strip() for line in text.splitlines()]
            data["acceptance"] = [item for item in items if item]
        elif name.startswith("source."):
            source[name.split(".", 1)[1]] = text
        else:
            data[name] = text
    source.setdefault("channel", "ticket")
    if url:
        source.setdefault("detail", url)
    author = issue.get("author")
    login = author.get("login") if isinstance(author, dict) else None
    if login:
        source.setdefault("requester", str(login))
    data["source"] = source
    tags = [
        str(label.get("name")) for label in issue.get("labels") or [] if isinstance(label, dict)
    ]
    tags = [t for t in tags if _TAG.match(t) and t != "requirement"]
    if tags:
        data["tags"] = tags
    result = Source(items=[Incoming(f"issue #{number}", data)])
    if "description" not in answers and issue["body"].strip():
        data["description"] = issue["body"].strip()
        result.notes.append(
            "no Description section (not from the issue form?): the body is the description"
        )
    return result
