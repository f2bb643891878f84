"""Coverage: the summary (traced % and verified %) and the project's rules, judged.

A rule is judged only against evidence that was given: `require = "verified"` and
`min_verified` need test results, `require = "implemented"` needs a code search.
Without it the rule is listed as not judged rather than failing every requirement
(or passing them all). Findings are located `Diagnostic`s (RK701-RK704) at the
requirement's `verified_by` key, the `<testcase>`, the comment, or the config file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reqkit.config import Config, Coverage, CoverageRule
from reqkit.diagnostics import Diagnostic, Severity
from reqkit.errors import ConfigError
from reqkit.model.reqset import Entry, RequirementSet
from reqkit.tracing.matrix import Row, Tally, UnknownRef, tally

__all__ = ["RuleResult", "Threshold", "TraceMatrix", "effective_coverage", "judge"]


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule: CoverageRule
    judged: bool
    failing: tuple[str, ...] = ()  # requirement IDs

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.rule.name,
            "require": self.rule.require,
            "where": {k: list(v) for k, v in self.rule.where},
            "judged": self.judged,
            "failing": list(self.failing),
        }


@dataclass(frozen=True, slots=True)
class Threshold:
    name: str  # min_traced | min_verified
    minimum: float
    actual: float | None
    judged: bool

    @property
    def ok(self) -> bool:
        return not self.judged or (self.actual or 0.0) >= self.minimum

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "minimum": self.minimum,
            "actual": self.actual,
            "judged": self.judged,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class TraceMatrix:
    """What `reqkit trace` shows: rows, the coverage summary, rules, findings, inputs."""

    rows: tuple[Row, ...]
    unknown: tuple[UnknownRef, ...]
    rules: tuple[RuleResult, ...]
    thresholds: tuple[Threshold, ...]
    findings: tuple[Diagnostic, ...]
    tests: tuple[str, ...] = ()  # the JUnit files read
    test_cases: int = 0
    code: tuple[str, ...] = ()  # the folders searched
    code_refs: int = 0
    shipped: tuple[str, ...] = field(default=("released", "closed"))

    @property
    def overall(self) -> Tally:
        return tally(self.rows)

    def by(self, attribute: str) -> dict[str, Tally]:
        groups: dict[str, list[Row]] = {}
        for row in self.rows:
            groups.setdefault(getattr(row, attribute) or "(none)", []).append(row)
        return {key: tally(rows) for key, rows in sorted(groups.items())}

    @property
    def uncovered(self) -> list[str]:
        return [r.id for r in self.rows if not r.traced]

    @property
    def released_without_passing_test(self) -> list[str]:
        """Requirements in a shipped state (released, closed) that are not verified."""
        return [r.id for r in self.rows if r.status in self.shipped and not r.verified]

    @property
    def ok(self) -> bool:
        """What `trace --strict` asks: no error among the findings."""
        return not any(d.severity is Severity.ERROR for d in self.findings)

    def as_dict(self) -> dict[str, Any]:
        """The documented JSON shape (docs/traceability.md); tests pin it."""
        return {
            "version": 1,
            "requirements": [r.as_dict() for r in self.rows],
            "coverage": {
                "overall": self.overall.as_dict(),
                "by_type": {k: v.as_dict() for k, v in self.by("type").items()},
                "by_status": {k: v.as_dict() for k, v in self.by("status").items()},
            },
            "uncovered": self.uncovered,
            "released_without_passing_test": self.released_without_passing_test,
            "unknown": {
                "tests": [u.as_dict() for u in self.unknown if u.kind == "test"],
                "code": [u.as_dict() for u in self.unknown if u.kind == "code"],
            },
            "rules": [r.as_dict() for r in self.rules],
            "thresholds": [t.as_dict() for t in self.thresholds],
            "findings": [d.as_dict() for d in self.findings],
            "inputs": {
                "tests": list(self.tests),
                "test_cases": self.test_cases,
                "code": list(self.code),
                "code_refs": self.code_refs,
            },
            "ok": self.ok,
        }


def effective_coverage(config: Config) -> Coverage:
    """The config's `[coverage]`, or the default: every shipped requirement is verified."""
    if config.coverage is not None:
        _validate_values(config.coverage)
        return config.coverage
    shipped = tuple(s.name for s in config.states if s.shipped)
    return Coverage((CoverageRule("shipped-verified", "verified", (("status", shipped),)),))


def _validate_values(coverage: Coverage) -> None:
    """Filter values the model cannot hold would make a rule silently match nothing."""
    from typing import get_args

    from reqkit.model.requirement import Requirement

    for i, rule in enumerate(coverage.rules, start=1):
        for key, values in rule.where:
            if key not in ("type", "priority", "urgency"):
                continue
            allowed = [a for a in get_args(Requirement.model_fields[key].annotation) if a]
            flat = [x for a in allowed for x in (get_args(a) or (a,))]
            bad = [v for v in values if v not in flat]
            if bad:
                raise ConfigError(
                    f"config key 'coverage.rules[{i}].{key}': '{bad[0]}' is not a {key}; "
                    f"expected one of {', '.join(map(str, flat))}"
                )


def _applies(rule: CoverageRule, row: Row) -> bool:
    for key, values in rule.where:
        value = row.data.get(key)
        if key == "tags":
            if not (isinstance(value, list) and any(t in values for t in value)):
                return False
        elif value not in values:
            return False
    return True


def _meets(rule: CoverageRule, row: Row) -> bool:
    if rule.require == "traced":
        return row.traced
    if rule.require == "verified":
        return row.verified
    return bool(row.code)


def _why(rule: CoverageRule, row: Row) -> str:
    if rule.require == "implemented":
        return "no `Implements:` comment names it"
    if not row.tests:
        return "it has no test"
    bad = [t for t in row.tests if t.outcome != "passed"]
    parts = [f"{t.name} {t.outcome}" + (f" ({t.message})" if t.message else "") for t in bad[:3]]
    more = f"; and {len(bad) - 3} more" if len(bad) > 3 else ""
    return "; ".join(parts) + more


def _key_position(entry: Entry, key: str) -> tuple[int, int]:
    """Where a top-level key is: a plain `key:` line is found in the text without parsing
    (hundreds of failing requirements are common); anything else asks the YAML reader."""
    text = entry.source() or ""
    found = re.search(rf"^{re.escape(key)}[ \t]*:", text, re.MULTILINE)
    if found is not None and text.count("\n---", 0, found.start()) == 0:
        return text.count("\n", 0, found.start()) + 1, 1
    return entry.positions().key((key,))


def judge(
    rows: Sequence[Row],
    unknown: Sequence[UnknownRef],
    reqs: RequirementSet,
    config: Config,
    *,
    has_tests: bool,
    has_code: bool,
    severities: Mapping[str, Severity | None],
    config_path: str,
) -> tuple[list[RuleResult], list[Threshold], list[Diagnostic]]:
    """Rules and minimums against the rows; the findings, at their locations."""
    coverage = effective_coverage(config)
    results: list[RuleResult] = []
    found: list[Diagnostic] = []
    rule_severity = severities.get("RK701")
    for rule in coverage.rules:
        judged = (rule.require != "verified" or has_tests) and (
            rule.require != "implemented" or has_code
        )
        failing = [r for r in rows if judged and _applies(rule, r) and not _meets(rule, r)]
        results.append(RuleResult(rule, judged, tuple(r.id for r in failing)))
        if rule_severity is None:
            continue
        for row in failing:
            entry = reqs.by_id[row.id]
            key = "verified_by" if "verified_by" in row.data else "status"
            line, column = _key_position(entry, key)
            found.append(
                Diagnostic(
                    row.path,
                    line,
                    column,
                    "RK701",
                    rule_severity,
                    f"coverage rule '{rule.name}' requires it {rule.require}: {_why(rule, row)}",
                    row.id,
                )
            )
    for ref in unknown:
        code = "RK702" if ref.kind == "test" else "RK703"
        severity = severities.get(code)
        if severity is None:
            continue
        what = f"test {ref.test}" if ref.kind == "test" else "`Implements:` comment"
        found.append(
            Diagnostic(
                ref.path,
                ref.line,
                ref.column,
                code,
                severity,
                f"{what} names unknown requirement '{ref.id}'",
            )
        )
    overall = tally(rows)
    thresholds = []
    for name, minimum, actual, judged in (
        ("min_traced", coverage.min_traced, overall.traced_pct, True),
        ("min_verified", coverage.min_verified, overall.verified_pct, has_tests),
    ):
        if minimum is None:
            continue
        limit = Threshold(name, minimum, actual, judged)
        thresholds.append(limit)
        severity = severities.get("RK704")
        if not limit.ok and severity is not None:
            found.append(
                Diagnostic(
                    config_path,
                    1,
                    1,
                    "RK704",
                    severity,
                    f"{name.removeprefix('min_')} coverage {actual or 0.0}% is below "
                    f"coverage.{name} = {minimum:g}%",
                )
            )
    return results, thresholds, sorted(found)
