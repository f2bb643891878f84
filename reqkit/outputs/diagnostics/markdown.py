"""A Markdown summary of a check: counts, then a table of the first problems.

Written for GitHub's job summary (`check --summary "$GITHUB_STEP_SUMMARY"`), readable
anywhere Markdown is. Every message is escaped: requirement text never turns into
markup, links or HTML.
"""

from __future__ import annotations

from reqkit.diagnostics import CheckResult, Diagnostic, Severity
from reqkit.outputs.diagnostics.sarif import DOCS
from reqkit.outputs.diagnostics.text import summary_line

__all__ = ["LIMIT", "render"]

LIMIT = 50
_ESCAPE = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "\\|",
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "~": "\\~",
        "@": "&#64;",  # no mentions
        "\r": " ",
        "\n": " ",
    }
)


def escape(text: str) -> str:
    """Text for a Markdown table cell, shown literally."""
    return text.translate(_ESCAPE)


def _where(d: Diagnostic) -> str:
    where = f"{d.path}:{d.line}:{d.column}"
    return f"`{where}`" if "`" not in where else escape(where)


def _row(d: Diagnostic) -> str:
    mark = "❌ error" if d.severity is Severity.ERROR else "⚠️ warning"
    code = f"[{d.code}]({DOCS}/{d.code}.md)" if d.code.isalnum() else escape(d.code)
    return f"| {mark} | {_where(d)} | {code} | {escape(d.message)} |"


def render(result: CheckResult, *, limit: int = LIMIT, title: str = "reqkit check") -> str:
    """The summary as Markdown, ending with a blank line so several runs can be appended."""
    s = result.summary
    if s.errors:
        verdict = "❌ failed"
    elif s.warnings:
        verdict = "⚠️ passed with warnings"
    else:
        verdict = "✅ passed"
    lines = [f"### {title}: {verdict}", "", summary_line(result), ""]
    if result.diagnostics:
        # errors first, each group in file order
        ordered = sorted(result.diagnostics, key=lambda d: d.severity is not Severity.ERROR)
        lines += ["| Severity | Location | Rule | Message |", "|---|---|---|---|"]
        lines += [_row(d) for d in ordered[:limit]]
        lines.append("")
        rest = len(ordered) - limit
        if rest > 0:
            lines += [
                f"… and {rest} more {'problem' if rest == 1 else 'problems'}: the job log "
                "lists them all.",
                "",
            ]
    return "\n".join(lines) + "\n"
