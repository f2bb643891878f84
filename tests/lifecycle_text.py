"""The fields a requirement needs in each state (RK401), as YAML lines, for test files
that must be valid whatever status they are written with. Imported by name from the test
folders' helpers (`tests/` is on the path through its conftest)."""

from __future__ import annotations

__all__ = ["state_fields"]


def state_fields(status: str) -> str:
    """acceptance for released/closed, evaluation for closed, decision.reason for
    rejected/deferred: what `reqkit check` asks of a file in `status`."""
    text = ""
    if status in ("released", "closed"):
        text += "acceptance:\n  - Given a report, when I export it, then a file downloads.\n"
    if status == "closed":
        text += "evaluation:\n  date: 2024-07-20\n  result: met\n"
    if status in ("rejected", "deferred"):
        text += "decision:\n  reason: Covered elsewhere, told the requester.\n"
    return text
