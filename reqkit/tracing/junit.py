"""Any JUnit XML file → one `TestCase` per `<testcase>`, read safely.

The dialects differ (pytest, Maven Surefire, jest-junit, gotestsum, ctest) but agree on
`<testcase classname name>` with an optional `<failure>`, `<error>` or `<skipped>` child
and `<properties>`. The file comes from a build, so it is untrusted: it is read with expat
directly and any DTD is refused outright, so entity tricks (XXE, billion laughs) never
get a chance; JUnit files never need one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from xml.parsers import expat

from reqkit.errors import UsageError

__all__ = ["Outcome", "TestCase", "read_junit", "requirement_ids"]

Outcome = Literal["passed", "failed", "skipped", "error"]
REQUIREMENT_PROPERTIES = ("requirement", "requirements")
_MESSAGE_LIMIT = 300
_CTEST_SKIPPED = {"notrun", "disabled"}


@dataclass(frozen=True, slots=True)
class TestCase:
    """One test's result, where it was read from, and the requirement IDs it declares."""

    __test__ = False  # not a pytest test class, despite the name

    classname: str
    name: str
    outcome: Outcome
    source: str  # the JUnit file as given
    line: int  # of the `<testcase>` element in that file
    requirements: tuple[str, ...] = ()
    message: str | None = None

    @property
    def key(self) -> str:
        """`classname.name`, how `verified_by` names a JUnit test."""
        return f"{self.classname}.{self.name}" if self.classname else self.name


def requirement_ids(value: str) -> list[str]:
    """IDs in a `requirement(s)` property: comma- or whitespace-separated."""
    return [part for part in value.replace(",", " ").split() if part]


class _Reader:
    """Expat callbacks that build TestCase records with bounded memory per test."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cases: list[TestCase] = []
        self.depth_in_case = 0
        self.case: dict[str, str] | None = None
        self.case_line = 0
        self.outcome: Outcome = "passed"
        self.message: str | None = None
        self.text: list[str] | None = None  # body of a failure without a message attribute
        self.ids: list[str] = []
        self.root: str | None = None
        self.parser = expat.ParserCreate()
        p = self.parser
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.StartDoctypeDeclHandler = self.refuse_dtd
        p.EntityDeclHandler = self.refuse_entity
        p.StartElementHandler = self.start
        p.EndElementHandler = self.end
        p.buffer_text = True  # text is collected only inside a failure without a message

    def refuse_dtd(self, *_: object) -> None:
        raise UsageError(f"{self.source}: a DOCTYPE is not allowed in JUnit XML (refused)")

    def refuse_entity(self, *_: object) -> None:
        raise UsageError(f"{self.source}: an entity declaration is not allowed in JUnit XML")

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if self.root is None:
            self.root = tag
        if self.case is None:
            if tag == "testcase":
                self.case = attrs
                self.case_line = self.parser.CurrentLineNumber
                self.depth_in_case = 0
                status = attrs.get("status", "").lower()
                self.outcome = "skipped" if status in _CTEST_SKIPPED else "passed"
                self.message = None
                self.ids = []
            return
        self.depth_in_case += 1
        if self.depth_in_case == 1 and tag in ("failure", "error", "skipped"):
            outcome: Outcome = "failed" if tag == "failure" else tag  # type: ignore[assignment]
            if _rank(outcome) > _rank(self.outcome):
                self.outcome = outcome
                self.message = attrs.get("message") or None
                self.text = [] if self.message is None and outcome != "skipped" else None
                self.parser.CharacterDataHandler = self.data if self.text is not None else None
        elif tag == "property" and attrs.get("name", "").lower() in REQUIREMENT_PROPERTIES:
            self.ids.extend(requirement_ids(attrs.get("value", "")))

    def data(self, text: str) -> None:
        if self.text is not None and sum(map(len, self.text)) < _MESSAGE_LIMIT:
            self.text.append(text)

    def end(self, tag: str) -> None:
        if self.case is None:
            return
        if self.depth_in_case == 0:  # </testcase>
            self.close()
            return
        if self.depth_in_case == 1 and self.text is not None:
            first = "".join(self.text).strip().splitlines()
            self.message = first[0] if first else None
            self.text = None
            self.parser.CharacterDataHandler = None
        self.depth_in_case -= 1

    def close(self) -> None:
        case = self.case
        assert case is not None
        message = self.message
        if message:
            if len(message) > _MESSAGE_LIMIT:
                message = message[: _MESSAGE_LIMIT - 1] + "…"
            message = " ".join(message.split())
        else:
            message = None
        ids = self.ids
        self.cases.append(
            TestCase(  # positional: 30k test cases, and keywords cost
                case.get("classname", "").strip(),
                case.get("name", "").strip(),
                self.outcome,
                self.source,
                self.case_line,
                tuple(dict.fromkeys(ids)) if ids else (),
                message,
            )
        )
        self.case = None


def _rank(outcome: Outcome) -> int:
    return {"passed": 0, "skipped": 1, "failed": 2, "error": 3}[outcome]


def read_junit(path: str | Path) -> list[TestCase]:
    """Every `<testcase>` of one JUnit XML file, in document order.

    A file that cannot be read or is not well-formed XML is a UsageError naming it and,
    where expat knows it, the line: the caller asked for this file, so reqkit cannot run.
    """
    shown = os.fspath(path)
    reader = _Reader(shown)
    try:
        with open(path, "rb") as fh:
            reader.parser.ParseFile(fh)
    except OSError as exc:
        raise UsageError(f"cannot read test results {shown}: {exc.strerror or exc}") from None
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) if exc.code else str(exc)
        raise UsageError(f"{shown}:{exc.lineno}: not well-formed JUnit XML: {reason}") from None
    if reader.root not in ("testsuites", "testsuite", "testrun"):
        raise UsageError(f"{shown}: not a JUnit XML file (its root is <{reader.root}>)")
    return reader.cases
