"""What a rule may look at, and the one way it turns a finding into a Diagnostic."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from reqkit.checks.registry import REGISTRY, by_name_or_code, load_all
from reqkit.config import Config
from reqkit.diagnostics import Diagnostic, Severity
from reqkit.errors import ConfigError
from reqkit.loader.positions import KeyPath
from reqkit.model.reqset import Entry

__all__ = ["CheckContext", "did_you_mean", "effective_severities"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean `x`?)' for a near miss, else ''."""
    import difflib  # only when something is misspelt

    match = difflib.get_close_matches(word.lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def effective_severities(config: Config) -> dict[str, Severity | None]:
    """code → severity after the config's overrides; None means off."""
    table: dict[str, Severity | None] = {
        code: r.severity if r.enabled else None for code, r in load_all().items()
    }
    for key, value in config.rules.items():
        found = by_name_or_code(key)
        if found is None:
            raise ConfigError(
                f"config key 'rules.{key}': no rule has this code or name"
                f"{did_you_mean(key, [*REGISTRY, *(r.name for r in REGISTRY.values())])}"
            )
        if not found.configurable:
            raise ConfigError(
                f"config key 'rules.{key}': {found.code} is a YAML safety rule and always an error"
            )
        table[found.code] = None if value == "off" else Severity(value)
    return table


def _refuse_builtin_names(config: Config) -> None:
    """A custom field may not redefine a field of the format (it would hide its checks)."""
    from reqkit.model.requirement import Requirement

    for name in config.fields:
        if name in Requirement.model_fields:
            raise ConfigError(f"config key 'fields.{name}': '{name}' is a built-in field")


@dataclass
class CheckContext:
    config: Config
    severities: dict[str, Severity | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.severities:
            self.severities = effective_severities(self.config)
        if self.config.fields:
            _refuse_builtin_names(self.config)

    def enabled(self, code: str) -> bool:
        return self.severities.get(code) is not None

    def at(
        self,
        entry: Entry,
        path: KeyPath | Sequence[str | int],
        code: str,
        message: str,
        *,
        on: Literal["key", "value"] = "value",
    ) -> Diagnostic:
        """A diagnostic located at a key path of `entry` (nearest ancestor if missing)."""
        positions = entry.positions()
        line, column = positions.key(tuple(path)) if on == "key" else positions.value(tuple(path))
        return self.make(entry, line, column, code, message)

    def make(self, entry: Entry, line: int, column: int, code: str, message: str) -> Diagnostic:
        return Diagnostic(
            path=entry.path,
            line=line,
            column=column,
            code=code,
            severity=self.severities.get(code) or REGISTRY[code].severity,
            message=message,
            requirement=entry.rid,
        )
