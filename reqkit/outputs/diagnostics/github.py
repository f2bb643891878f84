"""GitHub Actions workflow commands: annotations on the pull request's diff."""

from __future__ import annotations

from reqkit.diagnostics import CheckResult
from reqkit.outputs.diagnostics.text import summary_line


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: CheckResult) -> str:
    lines = [
        f"::{d.severity} file={_prop(d.path)},line={d.line},col={d.column},"
        f"title={_prop(d.code)}::{_data(d.message)}"
        for d in result.diagnostics
    ]
    lines.append("reqkit: " + summary_line(result))
    return "\n".join(lines) + "\n"
