"""`path:line:column: severity code message`, one a line, then a summary line."""

from __future__ import annotations

from reqkit.diagnostics import CheckResult, Severity

# File content reaches messages (keys, values): control characters must not break the
# one-line-per-problem format or drive the terminal.
_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
_CONTROL.update({0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"})


def printable(text: str) -> str:
    return text.translate(_CONTROL)


_RED, _YELLOW, _BOLD, _DIM, _RESET = "\033[31m", "\033[33m", "\033[1m", "\033[2m", "\033[0m"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    s = result.summary
    return (
        f"{_plural(s.files, 'file')}, {_plural(s.requirements, 'requirement')}: "
        f"{_plural(s.errors, 'error')}, {_plural(s.warnings, 'warning')}"
    )


def render(result: CheckResult, *, color: bool = False) -> str:
    lines = []
    for d in result.diagnostics:
        where = f"{printable(d.path)}:{d.line}:{d.column}:"
        message = printable(d.message)
        if color:
            tint = _RED if d.severity is Severity.ERROR else _YELLOW
            lines.append(
                f"{_BOLD}{where}{_RESET} {tint}{d.severity}{_RESET} {_DIM}{d.code}{_RESET} {message}"
            )
        else:
            lines.append(f"{where} {d.severity} {d.code} {message}")
    s = result.summary
    summary = summary_line(result)
    if color:
        tint = _RED if s.errors else (_YELLOW if s.warnings else "\033[32m")
        summary = f"{tint}{summary}{_RESET}"
    lines.append(summary)
    return "\n".join(lines) + "\n"
