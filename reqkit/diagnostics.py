"""The one currency of `check`: a located problem in a requirement file."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

__all__ = ["CheckResult", "Diagnostic", "Severity", "Summary"]


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at a 1-based line and column (in code points) of a repo-relative path."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    requirement: str | None = field(default=None, compare=False)

    def as_row(self) -> tuple[str, int, int, str, str, str, str | None]:
        """A plain tuple for the cache (marshal stores only built-in types)."""
        return (
            self.path,
            self.line,
            self.column,
            self.code,
            self.severity.value,
            self.message,
            self.requirement,
        )

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Diagnostic:
        path, line, column, code, severity, message, requirement = row
        return cls(path, line, column, code, Severity(severity), message, requirement)

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "requirement": self.requirement,
        }


@dataclass(frozen=True)
class Summary:
    files: int
    requirements: int
    errors: int
    warnings: int

    def as_dict(self) -> dict[str, int]:
        return {
            "files": self.files,
            "requirements": self.requirements,
            "errors": self.errors,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class CheckResult:
    """Everything `check` found, sorted by path, line, column and code."""

    diagnostics: tuple[Diagnostic, ...]
    files: int
    requirements: int

    @property
    def summary(self) -> Summary:
        errors = sum(1 for d in self.diagnostics if d.severity is Severity.ERROR)
        return Summary(
            files=self.files,
            requirements=self.requirements,
            errors=errors,
            warnings=len(self.diagnostics) - errors,
        )

    def exit_code(self, *, strict: bool = False) -> int:
        """0 clean, 1 errors (or warnings under `--strict`)."""
        s = self.summary
        return 1 if s.errors or (strict and s.warnings) else 0
