"""Whatever a file holds, reading it never raises: it gives data or says why not."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reqkit.loader.files import FileData, parse_bytes, parse_text

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# What YAML 1.1 (libyaml) counts as a line break; a problem's line can be at most one past.
YAML_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
YAMLISH = st.text(alphabet=":-[]{}&*!|>'\"#\n\t ,?abc01", max_size=60)


def assert_well_formed(fd: FileData, text: str | None) -> None:
    if fd.data is not None:
        assert isinstance(fd.data, dict)
        assert fd.problems == []
    else:
        assert fd.problems, "no data and no problem saying why"
    lines = len(YAML_BREAKS.findall(text)) + 1 if text is not None else None
    for problem in fd.problems:
        assert re.fullmatch(r"RK\d{3}", problem.code)
        assert problem.message
        assert problem.line >= 1
        assert problem.column >= 1
        if lines is not None:
            assert problem.line <= lines, problem


@SETTINGS
@given(st.text())
def test_parse_text_never_raises(text: str) -> None:
    assert_well_formed(parse_text(text), text)


@SETTINGS
@given(st.binary())
def test_parse_bytes_never_raises(raw: bytes) -> None:
    assert_well_formed(parse_bytes(raw), None)


@SETTINGS
@given(YAMLISH)
def test_parse_text_never_raises_on_yamlish_text(text: str) -> None:
    assert_well_formed(parse_text(text), text)
    assert_well_formed(parse_text("id: x\ntitle: " + text), None)


@SETTINGS
@given(YAMLISH)
def test_parse_bytes_never_raises_on_yamlish_bytes(text: str) -> None:
    assert_well_formed(parse_bytes(text.encode("utf-8")), text)
    assert_well_formed(parse_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")), None)
