"""The reference reader: every YAML-level problem, with its code and exact location.

Lines and columns are 1-based and count code points (cli.md, "Diagnostics").
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import reqkit
from reqkit.loader.files import parse_text
from reqkit.loader.yaml_reference import parse_reference


def where(text: str) -> list[tuple[str, int, int]]:
    return [(p.code, p.line, p.column) for p in parse_reference(text).problems]


def test_clean_file_has_data_positions_and_no_problem() -> None:
    parsed = parse_reference("id: 202405-001\ntags: [a, b]\nsource:\n  channel: phone\n")
    assert parsed.problems == []
    assert parsed.usable
    assert parsed.documents == 1
    assert parsed.data == {
        "id": "202405-001",
        "tags": ["a", "b"],
        "source": {"channel": "phone"},
    }
    assert parsed.positions.key(("source", "channel")) == (4, 3)
    assert parsed.positions.value(("source", "channel")) == (4, 12)
    assert parsed.positions.value(("tags", 1)) == (2, 11)


def test_yaml_11_values_are_read_as_pyyaml_reads_them() -> None:
    """The reference must see the traps the checks report (`status: no`, `1.10`)."""
    parsed = parse_reference("status: no\nrelease: 1.10\ncreated: 2024-05-06\nn: 010\nq: 'no'\n")
    assert parsed.data == {
        "status": False,
        "release": 1.1,
        "created": dt.date(2024, 5, 6),
        "n": 8,
        "q": "no",
    }
    assert parsed.positions.raw(("release",)) == "1.10"


def test_duplicate_key_located_at_second_occurrence() -> None:
    text = "id: 202405-001\ntitle: A\nstatus: analysis\n\ntitle: B\n"
    assert where(text) == [("RK003", 5, 1)]
    assert "title" in parse_reference(text).problems[0].message


def test_nested_duplicate_key_located_at_second_occurrence() -> None:
    assert where("source:\n  channel: phone\n  detail: x\n  channel: email\n") == [("RK003", 4, 3)]
    assert where("links: {parent: [a], parent: [b]}\n") == [("RK003", 1, 22)]


def test_anchor_and_alias_are_refused_and_located() -> None:
    text = "id: x\nbase: &b\n  a: 1\nother: *b\n"
    assert where(text) == [("RK005", 2, 7), ("RK005", 4, 8)]


def test_merge_key_is_refused() -> None:
    assert where("x:\n  <<: {a: 2}\n  b: 1\n") == [("RK005", 2, 3)]


def test_python_tag_is_refused_and_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"id: x\ncmd: !!python/object/apply:os.system ['touch {marker}']\n"
    assert where(text) == [("RK004", 2, 6)]
    assert parse_text(text).data is None
    assert not marker.exists()


def test_unknown_local_tag_is_refused() -> None:
    assert where("title: !important text\n") == [("RK004", 1, 8)]


def test_billion_laughs_is_refused_without_expansion() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(1, 9):
        refs = ",".join([f"*a{n - 1}"] * 9)
        lines.append(f"a{n}: &a{n} [{refs}]")
    text = "\n".join(lines) + "\n"
    started = time.perf_counter()
    parsed = parse_reference(text)
    assert time.perf_counter() - started < 5
    assert {p.code for p in parsed.problems} == {"RK005"}
    assert (parsed.problems[0].line, parsed.problems[0].column) == (1, 5)
    # Nothing was expanded: the data is no bigger than the text.
    assert len(repr(parsed.data)) < 2 * len(text)
    assert parse_text(text).data is None


def test_syntax_error_located_where_the_parser_stops() -> None:
    assert where("id: x\ntitle: [unclosed\nstatus: analysis\n") == [("RK001", 3, 7)]
    assert where("id: x\ntitle: a\n  b: c\n") == [("RK001", 3, 4)]


def test_syntax_error_at_the_end_of_a_file_without_final_newline_stays_in_the_file() -> None:
    # libyaml reports such an end on the (missing) next line; a diagnostic must point
    # into the file, at the end of its last line.
    assert where("id: x\ntitle: [a") == [("RK001", 2, 10)]
    assert where('id: x\ntitle: "中文') == [("RK001", 2, 11)]


def test_tab_indentation_is_rk002() -> None:
    assert where("source:\n\tchannel: phone\n") == [("RK002", 2, 1)]
    assert where("description: |\n\tx\n") == [("RK002", 2, 1)]


def test_tabs_inside_text_are_fine() -> None:
    parsed = parse_reference('title: "a\tb"\nplain: a\tb\ndescription: |\n  col1\tcol2\n')
    assert parsed.problems == []
    assert parsed.data == {"title": "a\tb", "plain": "a\tb", "description": "col1\tcol2\n"}


def test_bom_and_crlf_file_parses_with_correct_positions() -> None:
    parsed = parse_reference("\ufeffid: x\r\ntitle: y\r\nstatus: no\r\n")
    assert parsed.problems == []
    assert parsed.data == {"id": "x", "title": "y", "status": False}
    assert parsed.positions.key(("id",)) == (1, 1)
    assert parsed.positions.value(("status",)) == (3, 9)


def test_columns_count_code_points_in_chinese_text() -> None:
    parsed = parse_reference("标题: 中文\n说明: 需求\n重复: 1\n重复: 2\n")
    assert parsed.positions.value(("标题",)) == (1, 5)
    assert parsed.positions.value(("说明",)) == (2, 5)
    assert [(p.code, p.line, p.column) for p in parsed.problems] == [("RK003", 4, 1)]


def test_columns_count_code_points_beyond_the_basic_plane() -> None:
    # An emoji is one code point (two UTF-16 units, four UTF-8 bytes).
    parsed = parse_reference("a: 😀😀\nb: [😀, x]\n")
    assert parsed.positions.value(("b", 1)) == (2, 8)


def test_multiple_documents_are_rk011() -> None:
    parsed = parse_reference("id: a\n---\nid: b\n")
    assert [(p.code, p.line, p.column) for p in parsed.problems] == [("RK011", 2, 1)]
    assert parsed.documents == 2
    assert parse_text("id: a\n---\nid: b\n").data is None


def test_explicit_document_markers_alone_are_one_document() -> None:
    parsed = parse_reference("---\nid: a\n...\n")
    assert parsed.problems == []
    assert parsed.data == {"id": "a"}


def test_complex_key_is_a_problem() -> None:
    assert where("? [1]\n: x\n") == [("RK001", 1, 3)]
    assert parse_text("? [1]\n: x\n").data is None


def test_non_string_keys_keep_their_text() -> None:
    parsed = parse_reference("1: a\ntrue: b\n")
    assert parsed.problems == []
    assert list(parsed.data) == ["1", "true"]


def test_impossible_date_stays_text() -> None:
    parsed = parse_reference("created: 2024-02-30\n")
    assert parsed.problems == []
    assert parsed.data == {"created": "2024-02-30"}


def test_deep_nesting_is_a_problem_not_an_exception() -> None:
    for text in ("[" * 100_000, "a: " + "{" * 100_000, "a:\n" + "- " * 50_000 + "x\n"):
        started = time.perf_counter()
        parsed = parse_reference(text)
        assert time.perf_counter() - started < 5, text[:10]
        assert parsed.problems, text[:10]
        assert parsed.problems[0].code == "RK001"
        assert parsed.data is None


def test_deep_nesting_never_crashes_or_hangs_the_process(tmp_path: Path) -> None:
    """The whole reading path (fast reader included) on hostile nesting, in a child.

    A crash (a native stack overflow) would kill the test run itself, so it runs apart.
    """
    script = (
        "from reqkit.loader.files import parse_text\n"
        "for text in ['a:\\n' + '- ' * 20000 + 'x\\n', '- ' * 20000 + 'x', '[' * 100000,\n"
        "             'a:\\r' + '- ' * 20000 + 'x\\r', 'a: ' + '{' * 100000,\n"
        "             'a:\\n' + ''.join(' ' * i + 'k:\\n' for i in range(1, 400))]:\n"
        "    r = parse_text(text)\n"
        "    assert (r.data is None) != (not r.problems), text[:20]\n"
        "print('ok')\n"
    )
    package_root = Path(reqkit.__file__).resolve().parents[1]  # the reqkit under test
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(package_root)},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
