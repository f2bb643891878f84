"""The traceability matrix: requirement ↔ parents/children ↔ tests with results ↔ code.

Pure: it takes what was read (requirements, JUnit test cases, code references, the last
change of each requirement) and returns data. "Traced" means at least one test names
the requirement; "verified" means every one of its tests ran and passed in the results
given. A test the results do not hold is "not run", never "passed".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from reqkit.model.reqset import RequirementSet
from reqkit.tracing.coderefs import CodeRef
from reqkit.tracing.junit import TestCase

__all__ = [
    "LastChange",
    "Row",
    "Tally",
    "TestLink",
    "UnknownRef",
    "Verdict",
    "build_rows",
    "junit_key",
    "tally",
    "verdict_of",
]

Verdict = Literal["passed", "failed", "not run", "untested"]
LinkOutcome = Literal["passed", "failed", "skipped", "error", "not run"]
_PARAMS = re.compile(r"\[[^\[\]]*\]$")


@dataclass(frozen=True, slots=True)
class TestLink:
    """A test of one requirement, with its combined result over all its cases."""

    __test__ = False

    name: str  # the `verified_by` entry, or the JUnit `classname.name` of a property
    via: Literal["verified_by", "property"]
    outcome: LinkOutcome
    cases: int = 0  # test cases in the results (parameters, repeated runs)
    message: str | None = None  # the first failure's message

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "via": self.via,
            "outcome": self.outcome,
            "cases": self.cases,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class LastChange:
    """The last commit that changed a requirement's file (from the history engine)."""

    commit: str
    date: str  # ISO 8601, UTC
    pr: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"commit": self.commit, "date": self.date, "pr": self.pr}


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    title: str | None
    type: str | None
    status: str | None
    priority: str | None
    path: str
    parents: tuple[str, ...]
    children: tuple[str, ...]
    tests: tuple[TestLink, ...]
    code: tuple[CodeRef, ...]
    last_change: LastChange | None
    data: Mapping[str, Any]  # the file's fields, for coverage-rule filters
    verdict: Verdict = "untested"  # computed once from `tests` (see `verdict_of`)

    @property
    def traced(self) -> bool:
        return bool(self.tests)

    @property
    def verified(self) -> bool:
        return self.verdict == "passed"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "type": self.type,
            "status": self.status,
            "priority": self.priority,
            "path": self.path,
            "parents": list(self.parents),
            "children": list(self.children),
            "tests": [t.as_dict() for t in self.tests],
            "code": [{"path": c.path, "line": c.line, "column": c.column} for c in self.code],
            "last_change": self.last_change.as_dict() if self.last_change else None,
            "traced": self.traced,
            "verified": self.verified,
            "verdict": self.verdict,
        }


@dataclass(frozen=True, slots=True)
class UnknownRef:
    """A test result or code comment naming a requirement this repository does not have."""

    id: str
    kind: Literal["test", "code"]
    path: str  # the JUnit file, or the source file (repository-relative)
    line: int
    column: int = 1
    test: str | None = None  # the test's `classname.name`

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "path": self.path, "line": self.line}
        if self.kind == "test":
            out["test"] = self.test
        else:
            out["column"] = self.column
        return out


@dataclass(frozen=True, slots=True)
class Tally:
    requirements: int
    traced: int
    verified: int
    implemented: int

    @staticmethod
    def _pct(part: int, whole: int) -> float | None:
        return round(100.0 * part / whole, 1) if whole else None

    @property
    def traced_pct(self) -> float | None:
        return self._pct(self.traced, self.requirements)

    @property
    def verified_pct(self) -> float | None:
        return self._pct(self.verified, self.requirements)

    def as_dict(self) -> dict[str, Any]:
        return {
            "requirements": self.requirements,
            "traced": self.traced,
            "verified": self.verified,
            "implemented": self.implemented,
            "traced_pct": self.traced_pct,
            "verified_pct": self.verified_pct,
        }


def verdict_of(tests: Sequence[TestLink]) -> Verdict:
    """`failed` if a test failed or errored, else `not run` if one was skipped or missing."""
    if not tests:
        return "untested"
    outcomes = {t.outcome for t in tests}
    if outcomes & {"failed", "error"}:
        return "failed"
    if outcomes & {"not run", "skipped"}:
        return "not run"
    return "passed"


def tally(rows: Iterable[Row]) -> Tally:
    n = traced = verified = implemented = 0
    for row in rows:
        n += 1
        traced += row.traced
        verified += row.verified
        implemented += bool(row.code)
    return Tally(n, traced, verified, implemented)


def junit_key(entry: str) -> str:
    """A `verified_by` entry as JUnit names the test: `classname.name`.

    A pytest node ID `tests/a/test_b.py::TestC::test_d[x]` becomes
    `tests.a.test_b.TestC.test_d[x]`, as pytest's JUnit report writes it; anything else
    is already a JUnit name.
    """
    if "::" not in entry:
        return entry
    path, *names = entry.split("::")
    module = path[:-3] if path.endswith(".py") else path
    return ".".join([module.replace("/", "."), *names])


def _base(key: str) -> str:
    return _PARAMS.sub("", key) if key.endswith("]") else key


class _Index:
    """Test cases by `classname.name`, and by that name without `[parameters]`."""

    def __init__(self, cases: Sequence[TestCase]) -> None:
        self.exact: dict[str, list[TestCase]] = defaultdict(list)
        self.base: dict[str, list[TestCase]] = defaultdict(list)
        for case in cases:
            key = case.key
            keys = (key, case.name) if case.classname == case.name else (key,)  # jest, ctest
            for key in keys:
                self.exact[key].append(case)
                if key.endswith("]"):
                    self.base[_base(key)].append(case)

    def find(self, entry: str) -> list[TestCase]:
        key = junit_key(entry)
        return self.exact.get(key) or self.base.get(key) or []


def _combined(
    name: str, via: Literal["verified_by", "property"], cases: Sequence[TestCase]
) -> TestLink:
    """One link for many cases: any error or failure wins, then any pass, else skipped."""
    if len(cases) == 1:  # the common case, the same answer as the loop below
        return TestLink(name, via, cases[0].outcome, 1, cases[0].message or None)
    if not cases:
        return TestLink(name, via, "not run")
    outcomes = {c.outcome for c in cases}
    outcome: LinkOutcome
    for outcome in ("error", "failed", "passed", "skipped"):
        if outcome in outcomes:
            break
    message = next((c.message for c in cases if c.outcome == outcome and c.message), None)
    return TestLink(name, via, outcome, len(cases), message)


def build_rows(
    reqs: RequirementSet,
    cases: Sequence[TestCase],
    refs: Sequence[CodeRef],
    *,
    last_changes: Mapping[str, LastChange] | None = None,
) -> tuple[list[Row], list[UnknownRef]]:
    """One row per requirement ID (sorted), and the references to IDs that do not exist."""
    index = _Index(cases)
    known = reqs.by_id
    unknown: list[UnknownRef] = []
    by_property: dict[str, dict[str, list[TestCase]]] = defaultdict(lambda: defaultdict(list))
    for case in cases:
        for rid in case.requirements:
            if rid in known:
                by_property[rid][_base(case.key)].append(case)
            else:
                unknown.append(UnknownRef(rid, "test", case.source, case.line, test=case.key))
    code: dict[str, list[CodeRef]] = defaultdict(list)
    for ref in refs:
        if ref.id in known:
            code[ref.id].append(ref)
        else:
            unknown.append(UnknownRef(ref.id, "code", ref.path, ref.line, ref.column))
    parents: dict[str, tuple[str, ...]] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for rid, entry in known.items():
        up = parents[rid] = tuple(t for k, _, t in entry.links() if k == "parent")
        for target in up:
            children[target].append(rid)
    last = last_changes or {}
    find = index.find
    rows = []
    for rid in sorted(known):
        entry = known[rid]
        data = entry.data or {}
        tests: list[TestLink] = []
        listed = data.get("verified_by")
        seen: set[int] = set()
        for name in listed if isinstance(listed, list) else ():
            if isinstance(name, str) and (name := name.strip()):
                found = find(name)
                seen.update(map(id, found))
                tests.append(_combined(name, "verified_by", found))
        mine = by_property.get(rid)
        for name, group in sorted(mine.items()) if mine else ():
            rest = [c for c in group if id(c) not in seen]
            if rest:
                tests.append(_combined(name, "property", rest))
        down = children.get(rid)
        rows.append(
            Row(
                rid,
                _text(data.get("title")),
                _text(data.get("type")),
                _text(data.get("status")),
                _text(data.get("priority")),
                entry.path,
                parents[rid],
                tuple(sorted(set(down))) if down else (),
                tuple(tests),
                tuple(code.get(rid, ())),
                last.get(rid),
                data,
                verdict_of(tests),
            )
        )
    unknown.sort(key=lambda u: (u.kind, u.path, u.line, u.column, u.id))
    return rows, unknown


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
