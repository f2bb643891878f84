"""JUnit XML from five runners, read into one outcome per test; hostile files refused."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from reqkit.errors import UsageError
from reqkit.tracing.junit import read_junit

Run = Callable[..., subprocess.CompletedProcess[str]]
MakeRepo = Callable[..., Path]


def _outcomes(path: Path) -> dict[str, str]:
    return {case.key: case.outcome for case in read_junit(path)}


@pytest.mark.req("REQ-082")
def test_surefire_report_outcomes_and_suite_properties(data: Path) -> None:
    cases = read_junit(data / "surefire.xml")
    assert {c.key: c.outcome for c in cases} == {
        "com.example.shop.CartTest.addsAnItem": "passed",
        "com.example.shop.CartTest.appliesACoupon": "failed",
        "com.example.shop.CartTest.parsesTheSku": "error",
        "com.example.shop.CartTest.checksOutOffline": "skipped",
        "com.example.shop.CartTest.retriesTheGateway": "passed",  # flaky, passed on rerun
    }
    failed = next(c for c in cases if c.outcome == "failed")
    assert failed.message == "expected: <90> but was: <100>"
    assert failed.line == 9
    assert all(c.requirements == () for c in cases)  # suite-level properties are not a test's


@pytest.mark.req("REQ-082")
def test_jest_junit_report_with_its_default_names_and_a_body_only_failure(data: Path) -> None:
    cases = read_junit(data / "jest-junit.xml")
    by_name = {c.name: c for c in cases}
    assert {n: c.outcome for n, c in by_name.items()} == {
        "Cart adds an item": "passed",
        "Cart applies a coupon": "failed",
        "Cart checks out offline": "skipped",
        "Checkout sends the receipt": "passed",
    }
    assert by_name["Cart applies a coupon"].message == (
        "Error: expect(received).toBe(expected) // Object.is equality"
    )
    assert by_name["Checkout sends the receipt"].requirements == ("REQ-003",)


@pytest.mark.req("REQ-082")
def test_gotestsum_report_with_subtests(data: Path) -> None:
    assert _outcomes(data / "gotestsum.xml") == {
        "example.com/shop/cart.TestAdd": "passed",
        "example.com/shop/cart.TestCoupon/ten_percent": "failed",
        "example.com/shop/cart.TestCoupon": "failed",
        "example.com/shop/cart.TestOffline": "skipped",
    }


@pytest.mark.req("REQ-082")
def test_ctest_report_with_status_attributes(data: Path) -> None:
    assert _outcomes(data / "ctest.xml") == {
        "calc_add.calc_add": "passed",
        "calc_div.calc_div": "failed",
        "calc_gpu.calc_gpu": "skipped",
    }


@pytest.mark.req("REQ-082")
def test_requirements_property_lists_several_ids(tmp_path: Path) -> None:
    junit = tmp_path / "r.xml"
    junit.write_text(
        '<testsuites><testsuite name="s"><testcase classname="c" name="t">'
        '<properties><property name="requirements" value="REQ-1, REQ-2 REQ-3"/>'
        '<property name="Requirement" value="REQ-1"/></properties>'
        "</testcase></testsuite></testsuites>",
        encoding="utf-8",
    )
    (case,) = read_junit(junit)
    assert case.requirements == ("REQ-1", "REQ-2", "REQ-3")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<testsuite><testcase classname="a" name="&lol3;"/></testsuite>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<testsuite><testcase classname="a" name="b"><failure message="&secret;"/></testcase></testsuite>
"""


@pytest.mark.req("REQ-083")
@pytest.mark.parametrize("text", [BILLION_LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_a_doctype_is_refused_before_any_entity_is_expanded(text: str, tmp_path: Path) -> None:
    junit = tmp_path / "evil.xml"
    junit.write_text(text, encoding="utf-8")
    with pytest.raises(UsageError, match="DOCTYPE is not allowed"):
        read_junit(junit)


@pytest.mark.req("REQ-083")
@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("<testsuite><testcase name='a'></testsuite>", "bad.xml:1: not well-formed JUnit XML"),
        ("", "bad.xml:1: not well-formed JUnit XML: no element found"),
        ("<html><body/></html>", "not a JUnit XML file (its root is <html>)"),
        (b"\xff\xfe<\x00a", "not well-formed JUnit XML"),
    ],
    ids=["unclosed", "empty", "html", "garbage"],
)
def test_a_bad_results_file_is_exit_2_with_its_name_and_line(
    content: str | bytes, reason: str, make: MakeRepo, run: Run, tmp_path: Path
) -> None:
    repo = make(tmp_path / "repo", {"reqs/.keep": ""})
    bad = repo / "bad.xml"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")
    result = run(repo, "trace", "--tests", "bad.xml")
    assert result.returncode == 2
    assert reason in result.stderr
    assert result.stderr.count("\n") == 1
    missing = run(repo, "trace", "--tests", "nope.xml")
    assert missing.returncode == 2
    assert "cannot read test results nope.xml" in missing.stderr


@pytest.mark.req("REQ-082")
def test_an_empty_run_is_valid_junit(tmp_path: Path) -> None:
    junit = tmp_path / "empty.xml"
    junit.write_text('<?xml version="1.0"?>\n<testsuites/>\n', encoding="utf-8")
    assert read_junit(junit) == []
