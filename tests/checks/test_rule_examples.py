"""One bad and one good repository per rule code, checked by the installed `reqkit`.

Each bad repository must yield exactly the listed diagnostics, as (path, line, column,
code) from `reqkit check --format json`, with the listed message fragments and severity;
its good twin (the fix) must check clean. Every code in the registry needs a case here.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from reqkit.checks.registry import load_all

P1 = "reqs/202405-001.yaml"
P2 = "reqs/202405-002.yaml"
P3 = "reqs/202405-003.yaml"

DESCRIPTION = "Customers want to export the selected reports in one step."
VALID = f"""\
id: 202405-001
title: Batch export on the report page
type: functional
status: analysis
description: {DESCRIPTION}
"""


def req(rid: str = "202405-001", extra: str = "", **replace: str) -> str:
    """The valid requirement with another ID, lines replaced (`old=new`) and lines added."""
    text = VALID.replace("202405-001", rid)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    return text + extra


def swap(old: str, new: str, rid: str = "202405-001", extra: str = "") -> str:
    return req(rid, extra, **{old: new})


TIER = '[fields]\ncustomer_tier = {type = "string", enum = ["gold", "silver"]}\n'
CASE_IDS = 'ids = ["REQ-{seq:03}", "req-{seq:03}"]\n'
CYCLE = "202405-001 → 202405-002 → 202405-003 → 202405-001"


@dataclass(frozen=True)
class Where:
    """One expected diagnostic: where, which code, and what its message must contain."""

    path: str
    line: int
    column: int
    code: str
    says: tuple[str, ...] = ()
    severity: str = "error"


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    bad: dict[str, str | bytes]
    expect: tuple[Where, ...]
    good: dict[str, str | bytes]
    config: str = ""
    good_config: str | None = None  # None: the same config as the bad repository
    bad_links: dict[str, str] = field(default_factory=dict)
    good_links: dict[str, str] = field(default_factory=dict)

    @property
    def exit_code(self) -> int:
        return 1 if any(w.severity == "error" for w in self.expect) else 0


def described(text: str, rid: str = "202405-001", extra: str = "") -> str:
    """The valid requirement with another description."""
    return swap(f"description: {DESCRIPTION}", f"description: {text}", rid, extra)


def warn(code: str, line: int, column: int, *says: str, path: str = P1) -> Where:
    return Where(path, line, column, code, says, severity="warning")


def one(code: str, line: int, column: int, *says: str, path: str = P1) -> tuple[Where, ...]:
    return (Where(path, line, column, code, says),)


CASES: list[Case] = [
    # ---- RK0xx: reading the file -------------------------------------------------------
    Case(
        "RK001-unclosed-flow-list",
        "RK001",
        {P1: VALID + "tags: [export, reports\n"},
        one("RK001", 7, 1, "YAML syntax error"),
        {P1: VALID + "tags: [export, reports]\n"},
    ),
    Case(
        "RK002-tab-indentation",
        "RK002",
        {P1: VALID + "acceptance:\n\t- Given a report, when I export it, then a file downloads.\n"},
        one("RK002", 7, 1, "tab"),
        # the fix indents with spaces; a tab inside text stays fine
        {
            P1: VALID
            + "acceptance:\n  - Given a report, when I export it, then a file downloads.\n"
            + "rationale: one\ttab inside text\n"
        },
    ),
    Case(
        "RK003-duplicate-key-second-occurrence",
        "RK003",
        {P1: VALID + "status: development\n"},
        one("RK003", 6, 1, "duplicate key 'status'"),
        {P1: swap("status: analysis", "status: development")},
    ),
    Case(
        "RK003-duplicate-nested-key",
        "RK003",
        {P1: VALID + "source:\n  channel: phone\n  channel: email\n"},
        one("RK003", 8, 3, "duplicate key 'channel'"),
        {P1: VALID + "source:\n  channel: email\n"},
    ),
    Case(
        "RK004-python-tag",
        "RK004",
        # a canary: an unsafe loader would run it and create the file `pwned`
        {
            P1: swap(
                "title: Batch export on the report page",
                'title: !!python/object/apply:os.system ["touch pwned"]',
            )
        },
        one("RK004", 2, 8, "python/object/apply", "not allowed"),
        {P1: VALID},
    ),
    Case(
        "RK005-anchor-and-alias",
        "RK005",
        {
            P1: VALID
            + "acceptance: &common\n  - The export finishes within 2 s.\nrationale: *common\n"
        },
        (
            Where(P1, 6, 13, "RK005", ("anchor &common",)),
            Where(P1, 8, 12, "RK005", ("alias *common",)),
        ),
        {P1: VALID + "acceptance:\n  - The export finishes within 2 s.\n"},
    ),
    Case(
        "RK005-merge-key",
        "RK005",
        {P1: VALID + "<<: {owner: alice}\n"},
        one("RK005", 6, 1, "merge keys"),
        {P1: VALID + "owner: alice\n"},
    ),
    Case(
        "RK006-latin1-byte",
        "RK006",
        {P1: swap("Customers want", "Cüstomers want").encode("latin-1")},
        one("RK006", 5, 15, "not UTF-8", "0xfc"),
        # UTF-8 with a BOM and CRLF line ends is fine
        {P1: ("\ufeff" + swap("Customers want", "Cüstomers want")).replace("\n", "\r\n").encode()},
    ),
    Case(
        "RK006-utf16-file",
        "RK006",
        {P1: VALID.encode("utf-16")},
        one("RK006", 1, 1, "binary"),
        {P1: VALID.encode("utf-8")},
    ),
    Case(
        "RK007-only-a-comment",
        "RK007",
        {P1: "# TODO\n"},
        one("RK007", 1, 1, "empty file"),
        {P1: VALID},
    ),
    Case(
        "RK007-zero-bytes",
        "RK007",
        {P1: b""},
        one("RK007", 1, 1, "empty file"),
        {P1: VALID},
    ),
    Case(
        "RK008-top-level-list",
        "RK008",
        {P1: "- id: 202405-001\n- title: Batch export\n"},
        one("RK008", 1, 1, "a list, not a mapping"),
        {P1: VALID},
    ),
    Case(
        "RK009-over-max-file-size",
        "RK009",
        # the big file is not parsed: its typo `stauts:` is never reported
        {P1: VALID + "stauts: review\nrationale: " + "x" * 2000 + "\n"},
        one("RK009", 1, 1, "over the 1,024-byte limit"),
        {P1: VALID + "rationale: See the attached data in the ticket.\n"},
        config='max_file_size = "1 KiB"\n',
    ),
    Case(
        "RK010-symlink-to-etc-passwd",
        "RK010",
        {P1: VALID},
        one("RK010", 1, 1, "outside the repository", path=P2),
        {P1: VALID, "shared/202405-002.yaml": req("202405-002")},
        bad_links={P2: "/etc/passwd"},
        good_links={P2: "../shared/202405-002.yaml"},  # a link inside the repository is fine
    ),
    Case(
        "RK011-second-document",
        "RK011",
        {P1: VALID + "---\nid: 202405-002\n"},
        one("RK011", 6, 1, "more than one YAML document"),
        {P1: VALID, P2: req("202405-002")},
    ),
    # ---- RK1xx: the model --------------------------------------------------------------
    Case(
        "RK101-missing-description",
        "RK101",
        {P1: swap(f"description: {DESCRIPTION}\n", "")},
        one("RK101", 1, 1, "missing required field 'description'"),
        {P1: VALID},
    ),
    Case(
        "RK102-text-where-list-expected",
        "RK102",
        {P1: VALID + "tags: reports\n"},
        one("RK102", 6, 7, "tags", "expected a list"),
        {P1: VALID + "tags: [reports]\n"},
    ),
    Case(
        "RK103-type-typo",
        "RK103",
        {P1: swap("type: functional", "type: functionl")},
        one("RK103", 3, 7, "'functionl'", "did you mean 'functional'"),
        {P1: VALID},
    ),
    Case(
        "RK104-stauts-typo",
        "RK104",
        {P1: swap("status: analysis", "stauts: review")},
        (
            Where(P1, 1, 1, "RK101", ("missing required field 'status'",)),
            Where(P1, 4, 1, "RK104", ("unknown field 'stauts'", "did you mean 'status'")),
        ),
        {P1: swap("status: analysis", "status: review")},
    ),
    Case(
        "RK105-status-no",
        "RK105",
        {P1: swap("status: analysis", "status: no")},
        one("RK105", 4, 9, "`no`", "boolean", 'status: "no"'),
        {P1: swap("status: analysis", "status: review")},
    ),
    Case(
        "RK105-owner-no",
        "RK105",
        {P1: VALID + "owner: no\n"},
        one("RK105", 6, 8, "`no`", 'owner: "no"'),
        {P1: VALID + 'owner: "no"\n'},
    ),
    Case(
        "RK106-release-1.10",
        "RK106",
        {P1: VALID + "release: 1.10\n"},
        one("RK106", 6, 10, '"1.10"', "number 1.1"),
        {P1: VALID + 'release: "1.10"\n'},
    ),
    Case(
        "RK106-release-2",
        "RK106",
        {P1: VALID + "release: 2\n"},
        one("RK106", 6, 10, 'release: "2"'),
        {P1: VALID + "release: '2'\n"},
    ),
    Case(
        "RK107-title-date",
        "RK107",
        {P1: swap("title: Batch export on the report page", "title: 2024-05-06")},
        one("RK107", 2, 8, "date", '"2024-05-06"'),
        {P1: swap("title: Batch export on the report page", 'title: "2024-05-06"')},
    ),
    Case(
        "RK108-day-first-date",
        "RK108",
        {P1: VALID + "due: 30/06/2024\n"},
        one("RK108", 6, 6, "due", "ISO date", "30/06/2024"),
        # ISO dates quoted or not, and a date-time with a zone
        {P1: VALID + 'due: "2024-06-30"\ncreated: 2024-05-06T10:00:00+08:00\n'},
    ),
    Case(
        "RK108-date-time-without-zone",
        "RK108",
        {P1: VALID + "created: 2024-05-06T10:00:00\n"},
        one("RK108", 6, 10, "time zone"),
        {P1: VALID + "created: 2024-05-06\n"},
    ),
    Case(
        "RK109-custom-field-enum",
        "RK109",
        {P1: VALID + "customer_tier: bronze\n"},
        one("RK109", 6, 16, "customer_tier", "'bronze'"),
        {P1: VALID + "customer_tier: silver\n"},
        config=TIER,
    ),
    Case(
        "RK110-unknown-status",
        "RK110",
        {P1: swap("status: analysis", "status: in-review")},
        one("RK110", 4, 9, "'in-review'", "did you mean 'review'"),
        {P1: swap("status: analysis", "status: review")},
    ),
    Case(
        "RK111-empty-title",
        "RK111",
        {P1: swap("title: Batch export on the report page", "title:")},
        one("RK111", 2, 7, "title is empty"),
        {P1: VALID},
    ),
    # ---- RK2xx: text lint (warnings; the docstrings' examples as descriptions) ------------
    Case(
        "RK201-placeholder",
        "RK201",
        {P1: described("The export shall finish within TBD seconds.")},
        (warn("RK201", 5, 45, "'TBD'"),),
        {P1: described("The export shall finish within 5 s.")},
    ),
    Case(
        "RK202-escape-clause",
        "RK202",
        {P1: described("Where possible, the system shall cache search results.")},
        (warn("RK202", 5, 14, "'Where possible'"),),
        {P1: described("The system shall cache the results of the last 20 searches per user.")},
    ),
    Case(
        "RK203-open-ended-list",
        "RK203",
        {P1: described("The report shall export to CSV, Excel, PDF etc.")},
        (warn("RK203", 5, 57, "'etc.'"),),
        {P1: described("The report shall export to CSV, Excel and PDF.")},
    ),
    Case(
        "RK204-vague-term",
        "RK204",
        {P1: described("The report page shall load fast.")},
        (warn("RK204", 5, 41, "'fast'"),),
        {P1: described("The report page shall load within 2 s for 95 % of requests.")},
    ),
    Case(
        "RK205-weak-modal",
        "RK205",
        {P1: described("The system should email the requester when the status changes.")},
        (warn("RK205", 5, 25, "'should'"),),
        {P1: described("When the status changes, the system shall email the requester.")},
    ),
    Case(
        "RK206-and-or",
        "RK206",
        {P1: described("The user shall import and/or export reports.")},
        (warn("RK206", 5, 36, "'and/or'"),),
        {P1: described("The user shall import reports and export reports.")},
    ),
    Case(
        "RK207-two-shalls",
        "RK207",
        {P1: described("The system shall export the report and shall email it to the owner.")},
        (warn("RK207", 5, 53, "second 'shall'"),),
        # two requirements, one for the export and one for the email, linked by parent
        {
            P1: described("The system shall export the report."),
            P2: described(
                "The system shall email the exported report to the owner.",
                "202405-002",
                "links:\n  parent: [202405-001]\n",
            ),
        },
    ),
    Case(
        "RK208-absolute",
        "RK208",
        {P1: described("The service shall always be available.")},
        (warn("RK208", 5, 32, "'always'"),),
        {P1: described("The service shall be available 99.9 % of each calendar month.")},
    ),
    Case(
        "RK209-passive-without-actor",
        "RK209",
        {P1: described("The report shall be exported every night.")},
        (warn("RK209", 5, 25, "'shall be exported'"),),
        {P1: described("Every night at 02:00 UTC, the system shall export the report.")},
    ),
    Case(
        "RK210-negative-statement",
        "RK210",
        {P1: described("The system shall not lose unsaved edits.")},
        (warn("RK210", 5, 25, "'shall not'"),),
        {
            P1: described(
                "When the session expires, the system shall save unsaved edits as a draft."
            )
        },
    ),
    Case(
        "RK211-number-without-unit",
        "RK211",
        {P1: described("The export shall finish within 2.")},
        (warn("RK211", 5, 45, "'2'"),),
        {P1: described("The export shall finish within 2 s.")},
    ),
    Case(
        "RK212-not-ears-when-opted-in",
        "RK212",
        {P1: described("Export of many reports at once for the finance team.")},
        (warn("RK212", 5, 14, "EARS"), warn("RK204", 5, 24, "'many'")),
        {
            P1: described(
                "When the user selects 3 reports, the system shall export them as one .zip file."
            )
        },
        config='[rules]\nRK212 = "warning"\n',
    ),
    Case(
        "RK213-unknown-suppression",
        "RK213",
        {P1: VALID + "lint:\n  ignore:\n    RK2044: industry term\n"},
        (warn("RK213", 8, 5, "RK2044"),),
        {
            P1: described(
                "The charger shall support fast charging at 100 W.",
                extra="lint:\n  ignore:\n    RK204: \"'fast charging' is the product's name\"\n",
            )
        },
    ),
    Case(
        "RK213-safety-rule-cannot-be-suppressed",
        "RK213",
        {P1: VALID + "lint:\n  ignore:\n    RK003: came from a merge\n"},
        (warn("RK213", 8, 5, "RK003", "cannot be suppressed"),),
        {P1: VALID},
    ),
    # ---- RK30x: identity ---------------------------------------------------------------
    Case(
        "RK301-id-differs-from-file-name",
        "RK301",
        {P2: VALID},
        one("RK301", 1, 5, "'202405-001'", "'202405-002.yaml'", path=P2),
        {P2: req("202405-002")},
    ),
    Case(
        "RK302-id-matches-no-pattern",
        "RK302",
        {"reqs/export-feature.yaml": req("export-feature")},
        one(
            "RK302",
            1,
            5,
            "'export-feature'",
            "{yyyy}{mm}-{seq:03}",
            path="reqs/export-feature.yaml",
        ),
        {P1: VALID},
    ),
    Case(
        "RK303-dot-dot-in-id",
        "RK303",
        {"reqs/202405..001.yaml": req("202405..001")},
        one("RK303", 1, 5, "'..'", path="reqs/202405..001.yaml"),
        {P1: VALID},
    ),
    Case(
        "RK303-path-in-id",
        "RK303",
        {P1: req("../secrets")},
        (
            Where(P1, 1, 5, "RK301", ("'../secrets'",)),
            Where(P1, 1, 5, "RK303", ("'../secrets'", "not a valid ID")),
        ),
        {P1: VALID},
    ),
    Case(
        "RK304-duplicate-id-in-two-folders",
        "RK304",
        {"reqs/a/202405-001.yaml": VALID, "reqs/b/202405-001.yaml": VALID},
        (
            Where("reqs/a/202405-001.yaml", 1, 5, "RK304", ("reqs/b/202405-001.yaml",)),
            Where("reqs/b/202405-001.yaml", 1, 5, "RK304", ("reqs/a/202405-001.yaml",)),
        ),
        {"reqs/a/202405-001.yaml": VALID, "reqs/b/202405-002.yaml": req("202405-002")},
    ),
    Case(
        "RK305-ids-differ-only-in-case",
        "RK305",
        {"reqs/a/REQ-001.yaml": req("REQ-001"), "reqs/b/req-001.yaml": req("req-001")},
        (
            Where("reqs/a/REQ-001.yaml", 1, 5, "RK305", ("reqs/b/req-001.yaml",)),
            Where("reqs/b/req-001.yaml", 1, 5, "RK305", ("reqs/a/REQ-001.yaml",)),
        ),
        {"reqs/a/REQ-001.yaml": req("REQ-001"), "reqs/b/REQ-002.yaml": req("REQ-002")},
        config=CASE_IDS,
    ),
    # ---- RK31x: links ------------------------------------------------------------------
    Case(
        "RK311-parent-does-not-exist",
        "RK311",
        {P1: VALID + "links:\n  parent: [202404-999]\n"},
        one("RK311", 7, 12, "'202404-999'"),
        {P1: VALID + "links:\n  parent: [202404-010]\n", "reqs/202404-010.yaml": req("202404-010")},
    ),
    Case(
        "RK312-depends-on-itself",
        "RK312",
        {P1: VALID + "links:\n  depends_on: [202405-001]\n"},
        one("RK312", 7, 16, "depends_on link to itself"),
        {P1: VALID + "links:\n  depends_on: [202405-002]\n", P2: req("202405-002")},
    ),
    Case(
        "RK313-parent-cycle-of-three",
        "RK313",
        {
            P1: VALID + "links:\n  parent: [202405-002]\n",
            P2: req("202405-002", "links:\n  parent:\n    - 202405-003\n"),
            P3: req("202405-003", "links:\n  depends_on: []\n  parent: [202405-001]\n"),
        },
        (
            Where(P1, 7, 12, "RK313", (CYCLE,)),
            Where(P2, 8, 7, "RK313", (CYCLE,)),
            Where(P3, 8, 12, "RK313", (CYCLE,)),
        ),
        {
            P1: VALID + "links:\n  parent: [202405-002]\n",
            P2: req("202405-002", "links:\n  parent:\n    - 202405-003\n"),
            P3: req("202405-003", "links:\n  depends_on: []\n"),
        },
    ),
    Case(
        "RK314-one-sided-conflict-is-a-warning",
        "RK314",
        {P1: VALID + "links:\n  conflicts_with: [202405-002]\n", P2: req("202405-002")},
        (
            Where(
                P1,
                7,
                20,
                "RK314",
                ("202405-002 does not list 202405-001",),
                severity="warning",
            ),
        ),
        {
            P1: VALID + "links:\n  conflicts_with: [202405-002]\n",
            P2: req("202405-002", "links:\n  conflicts_with: [202405-001]\n"),
        },
    ),
    # ---- RK4xx: lifecycle --------------------------------------------------------------
    Case(
        "RK401-rejected-without-reason",
        "RK401",
        {P1: swap("status: analysis", "status: rejected")},
        one("RK401", 4, 9, "'rejected' requires decision.reason"),
        {
            P1: swap(
                "status: analysis",
                "status: rejected",
                extra="decision:\n  reason: Covered by the bulk API in 202404-010.\n",
            )
        },
    ),
    Case(
        "RK401-decision-without-reason",
        "RK401",
        {P1: swap("status: analysis", "status: deferred", extra="decision:\n  by: bob\n")},
        one("RK401", 6, 1, "'deferred' requires decision.reason"),
        {
            P1: swap(
                "status: analysis",
                "status: deferred",
                extra="decision:\n  by: bob\n  reason: After the Q3 release.\n",
            )
        },
    ),
    Case(
        "RK401-closed-without-evaluation",
        "RK401",
        {P1: swap("status: analysis", "status: closed", extra="acceptance:\n  - It exports.\n")},
        one("RK401", 4, 9, "'closed' requires evaluation"),
        {
            P1: swap(
                "status: analysis",
                "status: closed",
                extra="acceptance:\n  - It exports.\nevaluation:\n  date: 2024-07-20\n"
                "  result: met\n",
            )
        },
    ),
    Case(
        "RK401-released-without-acceptance",
        "RK401",
        {P1: swap("status: analysis", "status: released")},
        one("RK401", 4, 9, "'released' requires acceptance"),
        {P1: swap("status: analysis", "status: released", extra="acceptance:\n  - It exports.\n")},
    ),
]


@dataclass(frozen=True)
class Outcome:
    repo: Path
    exit_code: int | None  # None: the file was checked in the shared batch repository
    diagnostics: list[dict[str, Any]]


LEFTOVER = ("batch", "leftover")

#: Rule groups whose findings depend on other files, IDs or file names: never batched.
SOLO_GROUPS = ("identity", "links")


def _side(case: Case, side: str) -> tuple[dict[str, str | bytes], dict[str, str], str]:
    if side == "bad":
        return case.bad, case.bad_links, case.config
    config = case.config if case.good_config is None else case.good_config
    return case.good, case.good_links, config


def _batchable(case: Case, side: str) -> bool:
    """One file at P1, default config, and a rule that judges a file on its own."""
    files, links, config = _side(case, side)
    return (
        set(files) == {P1}
        and not links
        and config == ""
        and load_all()[case.code].group not in SOLO_GROUPS
    )


def _renamed(content: str | bytes, rid: str) -> str | bytes:
    if isinstance(content, bytes):
        return content.replace(b"202405-001", rid.encode())
    return content.replace("202405-001", rid)


@pytest.fixture(scope="module")
def outcomes(
    tmp_path_factory: pytest.TempPathFactory,
    make_repo_fn: Callable[..., Path],
    run_reqkit_fn: Callable[..., subprocess.CompletedProcess[str]],
) -> dict[tuple[str, str], Outcome]:
    """Every case's bad and good example, each checked by the real command.

    Examples that judge one file on its own (YAML, schema, lint, lifecycle) share one
    batch repository: each keeps its content in its own folder under an ID of the same
    length (202405-101, ...), and its findings are read back by path. Examples that
    involve IDs, file names, links, several files or a config get a repository of their
    own; identical ones are checked once. The runs go a few at a time.
    """
    base = tmp_path_factory.mktemp("rules")
    batch: dict[str, str | bytes] = {}
    batched: dict[tuple[str, str], str] = {}
    repos: dict[tuple[Any, ...], Path] = {}
    solo: dict[tuple[str, str], tuple[Any, ...]] = {}
    for case in CASES:
        for side in ("bad", "good"):
            files, links, config = _side(case, side)
            if _batchable(case, side):
                rid = f"202405-{101 + len(batched):03d}"
                path = f"reqs/{case.name}-{side}/{rid}.yaml"
                batch[path] = _renamed(files[P1], rid)
                batched[(case.name, side)] = path
                continue
            key = (tuple(sorted(files.items())), tuple(sorted(links.items())), config)
            if key not in repos:
                repos[key] = make_repo_fn(
                    base / f"{case.name}-{side}", files, config, symlinks=links
                )
            solo[(case.name, side)] = key
    batch_repo = make_repo_fn(base / "batch", batch)
    repos[("batch",)] = batch_repo

    def run(repo: Path) -> subprocess.CompletedProcess[str]:
        return run_reqkit_fn(repo, "check", "--format", "json")

    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(repos, pool.map(run, repos.values()), strict=True))
    out = {
        name: Outcome(repos[key], done[key].returncode, _diagnostics(done[key]))
        for name, key in solo.items()
    }
    everything = _diagnostics(done[("batch",)])
    for name, path in batched.items():
        mine = [{**d, "path": P1} for d in everything if d["path"] == path]
        out[name] = Outcome(batch_repo, None, mine)
    owned = set(batched.values())
    out[LEFTOVER] = Outcome(batch_repo, None, [d for d in everything if d["path"] not in owned])
    return out


def _diagnostics(result: subprocess.CompletedProcess[str]) -> list[dict[str, Any]]:
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)["diagnostics"]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_example_yields_the_code_at_its_position(
    case: Case, outcomes: dict[tuple[str, str], Outcome]
) -> None:
    outcome = outcomes[(case.name, "bad")]
    found = outcome.diagnostics
    got = {(d["path"], d["line"], d["column"], d["code"]) for d in found}
    want = {(w.path, w.line, w.column, w.code) for w in case.expect}
    assert got == want, json.dumps(found, indent=1, ensure_ascii=False)
    if outcome.exit_code is not None:
        assert outcome.exit_code == case.exit_code
    for where in case.expect:
        (diag,) = [
            d
            for d in found
            if (d["path"], d["line"], d["column"], d["code"])
            == (where.path, where.line, where.column, where.code)
        ]
        assert diag["severity"] == where.severity
        for fragment in where.says:
            assert fragment in diag["message"], diag["message"]
    assert not (outcome.repo / "pwned").exists()  # RK004: nothing in a file is ever run


#: Fixes, taken from a rule's own "Use instead:", that another rule still flags.
GOOD_BUGS: dict[str, str] = {}  # case name -> "BUG: ..." for a known-bad fix (xfail strict)


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(strict=True, reason=GOOD_BUGS[c.name])]
            if c.name in GOOD_BUGS
            else [],
        )
        for c in CASES
    ],
)
def test_good_example_checks_clean(case: Case, outcomes: dict[tuple[str, str], Outcome]) -> None:
    outcome = outcomes[(case.name, "good")]
    assert outcome.diagnostics == []
    assert outcome.exit_code in (0, None)


def test_the_batch_repository_has_no_finding_outside_the_examples(
    outcomes: dict[tuple[str, str], Outcome],
) -> None:
    """Sharing a repository adds nothing: no finding lands on a path no example owns."""
    assert outcomes[LEFTOVER].diagnostics == []
    assert sum(o.exit_code is None for o in outcomes.values()) > 40


def test_every_registry_code_has_an_example() -> None:
    # history rules (`check --base`) need real commits: tests/history/test_base_rules.py;
    # coverage rules (`check --tests/--code`) need results: tests/tracing/test_coverage_rules.py
    own_tests = ("history", "coverage")
    assert {c.code for c in CASES} == {c for c, r in load_all().items() if r.group not in own_tests}


def test_every_bad_example_yields_its_own_code() -> None:
    for case in CASES:
        assert case.code in {w.code for w in case.expect}, case.name


@pytest.mark.parametrize("code", sorted(load_all()))
def test_rule_docstring_has_the_documented_sections(code: str) -> None:
    doc = load_all()[code].doc
    for section in ("## What it does", "## Why is this bad?", "## Example", "Use instead:"):
        assert section in doc, f"{code} lacks {section!r}"
    assert doc.index("## What it does") < doc.index("## Why is this bad?")
    assert doc.index("## Why is this bad?") < doc.index("## Example") < doc.index("Use instead:")
    assert load_all()[code].summary
