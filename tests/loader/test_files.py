"""File-level reading: encoding, emptiness, top-level shape, size, dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reqkit.loader.files import (
    decode,
    normalize_dates,
    parse_bytes,
    parse_text,
    read_bytes,
    read_file,
)

VALID = "id: 202405-001\ntitle: Batch export\ntype: functional\nstatus: analysis\n"


def codes(raw: bytes) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in parse_bytes(raw).problems]


def test_valid_file_gives_data_and_no_problem() -> None:
    fd = parse_bytes(VALID.encode())
    assert fd.problems == []
    assert fd.data == {
        "id": "202405-001",
        "title": "Batch export",
        "type": "functional",
        "status": "analysis",
    }


def test_nul_bytes_are_rk006() -> None:
    fd = parse_bytes(b"id: x\ntitle: a\x00b\n")
    assert fd.data is None
    assert [p.code for p in fd.problems] == ["RK006"]


@pytest.mark.parametrize(
    ("raw", "line", "column"),
    [
        (b"id: x\ntitle: y\ndescription: caf\xe9\n", 3, 17),  # Latin-1, third line
        (b"id: x\ntitle: y\n\xe4\xb8\n", 3, 1),  # a cut UTF-8 sequence
        (b"a: \xc3\xa9\xff\n", 1, 5),  # after one valid two-byte character
        (b"\xff\xfe", 1, 1),
        (b"\xef\xbb\xbfa: \xff\n", 1, 4),  # after a BOM: the BOM is no column
        (b"\xef\xbb\xbfab\n\xff", 2, 1),
    ],
)
def test_invalid_utf8_is_rk006_located_at_the_bad_byte(raw: bytes, line: int, column: int) -> None:
    assert codes(raw) == [("RK006", line, column)]
    assert parse_bytes(raw).data is None


def test_the_bad_byte_after_a_bom_is_the_one_named() -> None:
    (problem,) = parse_bytes(b"\xef\xbb\xbfab\n\xff").problems
    assert "byte 0xff" in problem.message


def test_utf16_is_rk006() -> None:
    assert [c for c, _, _ in codes(VALID.encode("utf-16"))] == ["RK006"]
    assert [c for c, _, _ in codes("标题: 中文\n".encode("utf-16"))] == ["RK006"]


def test_decode_accepts_utf8_with_bom() -> None:
    assert decode(b"\xef\xbb\xbfid: x\n") == ("id: x\n", None)


def test_bom_and_crlf_are_fine() -> None:
    raw = b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode()
    fd = parse_bytes(raw)
    assert fd.problems == []
    assert fd.data is not None and fd.data["status"] == "analysis"
    # Positions (when the reference reader is involved) are not shifted by BOM or CR.
    fd = parse_bytes(b"\xef\xbb\xbfid: x\r\nid: y\r\n")
    assert [(p.code, p.line, p.column) for p in fd.problems] == [("RK003", 2, 1)]


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\n\n",
        b"   \n",
        b"# only a comment\n# and another\n",
        b"---\n",
        b"---\n...\n",
        b"\xef\xbb\xbf",
    ],
    ids=[
        "empty",
        "blank lines",
        "spaces",
        "comments only",
        "document start only",
        "markers only",
        "BOM only",
    ],
)
def test_empty_files_are_rk007(raw: bytes) -> None:
    fd = parse_bytes(raw)
    assert fd.data is None
    assert [(p.code, p.line, p.column) for p in fd.problems] == [("RK007", 1, 1)]


@pytest.mark.parametrize(
    "raw", [b"- a\n- b\n", b"[a, b]\n", b"just some text\n", b"42\n", b"'quoted'\n"]
)
def test_top_level_not_a_mapping_is_rk008(raw: bytes) -> None:
    fd = parse_bytes(raw)
    assert fd.data is None
    assert [(p.code, p.line, p.column) for p in fd.problems] == [("RK008", 1, 1)]


def test_file_over_the_size_limit_is_rk009_and_not_parsed(tmp_path: Path) -> None:
    path = tmp_path / "202405-001.yaml"
    path.write_text(VALID + "description: " + "x" * 200 + "\n", encoding="utf-8")
    fd = read_file(path, max_size=100)
    assert fd.data is None
    assert [(p.code, p.line, p.column) for p in fd.problems] == [("RK009", 1, 1)]
    assert read_file(path, max_size=10_000).problems == []


def test_read_file_reports_an_unreadable_path_instead_of_raising(tmp_path: Path) -> None:
    fd = read_file(tmp_path / "missing.yaml", max_size=1000)
    assert fd.data is None
    assert [p.code for p in fd.problems] == ["RK006"]


def test_read_file_reads_what_parse_bytes_reads(tmp_path: Path) -> None:
    path = tmp_path / "202405-001.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode())
    assert read_file(path, max_size=10_000).data == parse_bytes(path.read_bytes()).data


@pytest.mark.parametrize("size", [0, 1, 100, 70_000, 200_000])
@pytest.mark.parametrize("stat_says", ["same", "smaller", "larger"])
def test_read_bytes_reads_the_whole_file_whatever_stat_said(
    tmp_path: Path, size: int, stat_says: str
) -> None:
    """A file can grow or shrink between `stat` and `read`: every byte is still read."""
    path = tmp_path / "f.yaml"
    raw = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    path.write_bytes(raw)
    told = {"same": size, "smaller": max(0, size // 3), "larger": size * 2 + 5}[stat_says]
    assert read_bytes(path, told) == raw


def test_read_bytes_of_a_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        read_bytes(tmp_path, 10)


@pytest.mark.parametrize("quote", ["", "'", '"'])
def test_dates_quoted_or_not_normalise_to_the_same_date(quote: str) -> None:
    text = (
        f"id: x\ncreated: {quote}2024-05-06{quote}\ndue: {quote}2024-06-30{quote}\n"
        f"source:\n  received: {quote}2024-05-01{quote}\n"
        f"evaluation:\n  date: {quote}2024-07-20{quote}\n"
    )
    data = parse_text(text).data
    assert data is not None
    assert data["created"] == dt.date(2024, 5, 6)
    assert type(data["created"]) is dt.date
    assert data["due"] == dt.date(2024, 6, 30)
    assert data["source"]["received"] == dt.date(2024, 5, 1)
    assert data["evaluation"]["date"] == dt.date(2024, 7, 20)


@pytest.mark.parametrize("quote", ["", "'", '"'])
def test_date_times_quoted_or_not_normalise_to_the_same_value(quote: str) -> None:
    data = parse_text(f"created: {quote}2024-05-06T10:00:00+08:00{quote}\n").data
    tz = dt.timezone(dt.timedelta(hours=8))
    assert data == {"created": dt.datetime(2024, 5, 6, 10, 0, tzinfo=tz)}
    assert data["created"].utcoffset() == dt.timedelta(hours=8)


def test_dates_outside_date_fields_are_not_normalised() -> None:
    assert parse_text("title: '2024-05-06'\n").data == {"title": "2024-05-06"}
    data = parse_text("links:\n  parent: ['2024-05-06']\n").data
    assert data == {"links": {"parent": ["2024-05-06"]}}


def test_normalize_dates_leaves_non_dates_alone() -> None:
    data = {"created": "soon", "due": "2024-13-45", "source": "phone", "evaluation": {"date": 3}}
    assert normalize_dates(dict(data)) == data
