"""The fast path (yaml-rs) may answer only where it agrees with the reference readers.

For every text `fast_load` answers, its data must equal what PyYAML's safe loader gives
and what `parse_reference` gives (after the date normalisation both paths apply), with
the same types and key order, and the reference must see no problem in the file (a
duplicate key, a tag, ...) that the fast answer would hide.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reqkit.loader.files import DATE_PATHS, normalize_dates, parse_text
from reqkit.loader.yaml_fast import fast_load
from reqkit.loader.yaml_reference import parse_reference

SETTINGS = settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def typed(value: Any) -> Any:
    """A comparable form that keeps types (True != 1, date != datetime) and key order."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    if isinstance(value, dt.datetime):
        return ("datetime", value, value.utcoffset())
    return (type(value).__name__, value)


def normalized(data: Any) -> Any:
    data = copy.deepcopy(data)
    return typed(normalize_dates(data) if isinstance(data, dict) else data)


def check_agreement(text: str) -> bool:
    """Assert the fast answer (if any) equals both references; True when it answered."""
    fast = fast_load(text, DATE_PATHS)
    if fast is None:
        return False
    try:
        expected = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        pytest.fail(f"fast path answered {fast!r} for a file PyYAML refuses: {exc}\n{text!r}")
    assert normalized(fast) == normalized(expected), f"fast path differs from PyYAML for {text!r}"
    reference = parse_reference(text)
    assert reference.problems == [], f"fast path hides problems for {text!r}"
    assert normalized(fast) == normalized(reference.data), (
        f"fast path differs from the reference reader for {text!r}"
    )
    return True


# --- a strategy for realistic requirement files with nasty values -------------------------

# Values YAML 1.1 reads as something else than text (the fast path must decline them
# outside date fields), words that are plain text in both readers, and text that is not
# valid as a plain scalar or that YAML reads in a special way.
TRAPS = [
    *("no", "yes", "on", "off", "y", "n", "Yes", "NO", "true", "False", "~", "null"),
    *("010", "0o10", "0x1F", "1_000", "1:20", "1.10", ".5", "+12", "-0", "1e3", ".inf", ".NaN"),
    *("=", "<<", "2024-05-06", "2024-05-06T10:00:00+08:00", "2024-05-06 10:00:00"),
    *("2024-05-06T10:00:00Z", "2024-5-6", "2024-02-30"),
]
SAFE_WORDS = [
    "analysis",
    "functional",
    "202405-001",
    "Batch export on the report page",
    "中文需求，系统应在 2 秒内完成。",
    "R&D",
    "a#b",
    "it's",
    "v2.4",
    "100%",
    "a|b",
    "Ünïcödé ✓",
    "emoji 😀",
    "see [1] for more",
    "one, two",
    "why?",
]
ODD_WORDS = [
    "**bold** and *italic*",
    "!important",
    "see #12",
    "a # comment",
    'say "hi"',
    "x: y",
    "- item",
    "? maybe",
    "[draft]",
    "{x}",
    "@alice",
    "`code`",
    "|",
    ">",
    "",
    " padded ",
    "a\tb",
]
SAFE_LINES = [
    "Customers want to export several reports at once.",
    "当用户在报表页面选中多条记录时，系统应在 2 秒内完成导出。",
    "# not a comment inside a block",
    "    indented code",
    "key: value",
    "[link](https://example.com) and {braces}",
    "",
    " ",
    *TRAPS,
]
ODD_LINES = ["- a list item with **bold** and *italic*", "R&D asked: why? !important", "|", "---"]


def quote_single(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def quote_double(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


@st.composite
def scalar_text(draw: st.DrawFn, nasty: bool) -> str:
    """One scalar as written after `key: `: plain or quoted."""
    pool = SAFE_WORDS + TRAPS + ODD_WORDS if nasty else SAFE_WORDS
    value = draw(st.sampled_from(pool))
    style = draw(st.sampled_from(["plain", "plain", "plain", "single", "double"]))
    if style == "single":
        return quote_single(value)
    if style == "double":
        return quote_double(value)
    return value


@st.composite
def value_text(draw: st.DrawFn, indent: int, nasty: bool) -> str:
    """What follows `key:` on its line (and the lines below it)."""
    pad = " " * (indent + 2)
    kind = draw(st.sampled_from(["scalar", "scalar", "scalar", "block", "flow", "list"]))
    if kind == "scalar":
        return " " + draw(scalar_text(nasty))
    if kind == "block":
        header = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+"]))
        lines = draw(st.lists(st.sampled_from(SAFE_LINES + ODD_LINES if nasty else SAFE_LINES)))
        return (
            " " + header + "".join("\n" + (pad + line if line.strip() else line) for line in lines)
        )
    items = draw(st.lists(scalar_text(nasty), max_size=3))
    if kind == "flow":
        return " [" + ", ".join(items) + "]"
    dash = draw(st.sampled_from([pad, " " * indent]))
    return "".join(f"\n{dash}- {item}" for item in items) if items else " []"


@st.composite
def mapping_lines(draw: st.DrawFn, keys: list[str], indent: int, nasty: bool) -> list[str]:
    pad = " " * indent
    chosen = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=len(keys), unique=True))
    if nasty and draw(st.integers(0, 9)) == 0:
        chosen.append(chosen[0])  # a duplicate key
    out = []
    for key in chosen:
        out.append(pad + key + ":" + draw(value_text(indent, nasty)))
        if draw(st.integers(0, 9)) == 0:
            out.append(pad + draw(st.sampled_from(["# a comment: [x]", "# R&D *note*", ""])))
    return out


TOP_KEYS = ["id", "title", "type", "status", "description", "release", "created", "due", "tags"]
ODD_KEYS = ["yes", "'no'", "on", "2024-05-06", "'2024-05-06'", "1.10", "~", "<<", '"x y"']


@st.composite
def requirement_texts(draw: st.DrawFn) -> str:
    """A requirement file; half of them also use YAML 1.1 traps and odd text."""
    nasty = draw(st.booleans())
    lines = draw(mapping_lines(TOP_KEYS, 0, nasty))
    if draw(st.booleans()):
        lines.append("source:")
        lines += draw(mapping_lines(["channel", "received", "detail"], 2, nasty))
    if draw(st.booleans()):
        lines.append("links:")
        lines += draw(mapping_lines(["parent", "depends_on"], 2, nasty))
    if nasty and draw(st.booleans()):
        lines.append(draw(st.sampled_from(ODD_KEYS)) + ":" + draw(value_text(0, nasty)))
    end = draw(st.sampled_from(["\n", "\n", "\n", "", "\n\n", "\n  \n"]))
    text = "\n".join(lines) + end
    if draw(st.integers(0, 9)) == 0:
        text = text.replace("\n", "\r\n")
    return text


@SETTINGS
@given(requirement_texts())
def test_fast_path_agrees_on_generated_requirements(text: str) -> None:
    check_agreement(text)


YAMLISH = st.lists(
    st.sampled_from([*":-[]{}&*!|>'\"#\n ,?abc01", "\n  ", "\n- ", "k: ", "中", "\r\n"]),
    max_size=16,
).map("".join)
BEFORE = ["", "k: ", "k: [", "k: {", "- ", "k:\n  - [", "k: x\n  [", "k: |", "k: >\n  ", "k:\n  "]
AFTER = ["", "\n", "]\n", "}\n", "\nz: y\n"]


@SETTINGS
@given(st.sampled_from(BEFORE), YAMLISH, st.sampled_from(AFTER))
def test_fast_path_agrees_on_yamlish_noise(before: str, body: str, after: str) -> None:
    check_agreement(before + body + after)


@st.composite
def date_texts(draw: st.DrawFn) -> str:
    """ISO-ish dates and date-times, valid and not, in the spellings people type."""
    year = draw(st.sampled_from(["2024", "1999", "0000", "9999"]))
    month = draw(st.sampled_from(["05", "5", "12", "13", "00"]))
    day = draw(st.sampled_from(["06", "6", "30", "31", "29"]))
    text = f"{year}-{month}-{day}"
    if draw(st.booleans()):
        sep = draw(st.sampled_from(["T", "t", " ", "  "]))
        hour = draw(st.sampled_from(["10", "1", "00", "23", "24"]))
        text += f"{sep}{hour}:{draw(st.sampled_from(['00', '59', '60']))}"
        text += draw(st.sampled_from(["", ":00", ":00.5", ":00.123456789", ":60"]))
        text += draw(
            st.sampled_from(
                ["", "Z", "z", "+08:00", "+8:00", "+08", "+8", "-0530", " +08:00", " Z"]
            )
        )
    return text


@SETTINGS
@given(
    st.sampled_from(["created", "due", "source:\n  received", "evaluation:\n  date", "title"]),
    date_texts(),
    st.sampled_from(["", "'", '"']),
)
def test_fast_path_agrees_on_date_spellings(field: str, value: str, quote: str) -> None:
    check_agreement(f"id: 202405-001\n{field}: {quote}{value}{quote}\n")


def test_quoted_or_plain_dates_in_date_fields_are_the_same_date() -> None:
    for quote in ("", "'", '"'):
        text = f"created: {quote}2024-05-06{quote}\nsource:\n  received: {quote}2024-05-07{quote}\n"
        data = parse_text(text).data
        assert data == {"created": dt.date(2024, 5, 6), "source": {"received": dt.date(2024, 5, 7)}}
        check_agreement(text)


# --- real and generated corpora ---------------------------------------------------------------


def test_fast_path_agrees_on_the_doorstop_corpus(doorstop_files: list[Path]) -> None:
    for path in doorstop_files:
        check_agreement(path.read_text(encoding="utf-8"))


def test_fast_path_agrees_and_answers_on_benchmark_files(
    tmp_path: Path, generate_repo: Any
) -> None:
    generate_repo(tmp_path, 300)
    files = sorted((tmp_path / "reqs").rglob("*.yaml"))
    assert len(files) == 300
    answered = sum(check_agreement(f.read_text(encoding="utf-8")) for f in files)
    # Otherwise the differential test proves nothing and `check` runs at reference speed.
    assert answered > len(files) // 2, f"the fast path answered only {answered} of {len(files)}"


# --- traps: the fast path must step aside ----------------------------------------------------

MUST_DECLINE = {
    "boolean no": "id: 202405-001\nstatus: no\n",
    "float release": "release: 1.10\n",
    "anchor": "a: &x 1\n",
    "alias": "a: &x 1\nb: *x\n",
    "tag": "a: !!str 1\n",
    "date outside a date field": "title: 2024-05-06\n",
    "octal": "n: 010\n",
    "tab indentation": "source:\n\tchannel: phone\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "duplicate key": "title: a\ntitle: b\n",
    "merge key": "base: {a: 1}\nx:\n  <<: {a: 2}\n",
    "unsafe tag": "a: !!python/object/apply:os.system ['true']\n",
}


@pytest.mark.parametrize("text", MUST_DECLINE.values(), ids=MUST_DECLINE.keys())
def test_fast_path_declines_yaml_traps(text: str) -> None:
    assert fast_load(text, DATE_PATHS) is None


# Each of these once made the fast path answer something PyYAML reads differently (or
# refuses); the fast path may answer them only if it now agrees.
KNOWN_DISAGREEMENTS = {
    "line separator (a YAML 1.1 line break)": "title: foo\u2028bar\n",
    "NEL (a YAML 1.1 line break)": "title: foo\x85bar\n",
    "control character": "title: foo\x7fbar\n",
    "BOM inside the text": "\ufeffid: x\n",
    "block scalar without final newline": "id: x\ndescription: |\n  line one\n  line two",
    "empty block scalar at the end": "id: x\ndescription: |\n",
    "keep chomping at the end": "id: x\ndescription: |+\n  x\n\n  ",
    "folded block scalar without final newline": "id: x\ndescription: >\n  x",
    "question mark in flow": "tags: [?b]\n",
    "colon in flow": "tags: [:b]\n",
    "colon before flow end": "tags: [x:]\n",
    "multi-line implicit key in flow": "links: {parent\n  x: y}\n",
    "block indicator in flow": "tags: [|]\n",
    "quoted date-time with a short offset": "created: '2024-05-06T10:00:00+8:00'\n",
    "block scalar header on its own line": "k: \n  >\n  [1b",
}


@pytest.mark.parametrize("text", KNOWN_DISAGREEMENTS.values(), ids=KNOWN_DISAGREEMENTS.keys())
def test_fast_path_never_disagrees_on_known_corner_cases(text: str) -> None:
    check_agreement(text)


def test_fast_path_answers_plain_requirements() -> None:
    """The guards above must not make the fast path decline everything."""
    text = (
        "id: 202405-001\ntitle: Batch export on the report page\ntype: functional\n"
        "status: analysis\ncreated: 2024-05-06\nrelease: '2.4'\n"
        "description: |\n  Customers want to export several reports at once.\n\n  中文需求。\n"
        "links:\n  parent: [202404-010]\ntags: [reports, export]\n"
    )
    assert check_agreement(text)


@SETTINGS
@given(
    st.text(
        alphabet=st.characters(codec="utf-8")
        | st.sampled_from(
            [
                "\x00",
                "\t",
                "\r",
                "\n",
                "\x7f",
                "\x85",
                "\x9f",
                "\xa0",
                "\u2028",
                "\u2029",
                "\ufeff",
                "\ufffe",
                "\uffff",
                "\ud800",
                " ",
                "-",
                "?",
                ":",
                "é",
                "应",
            ]
        ),
        max_size=300,
    ),
    st.integers(min_value=0, max_value=70),
    st.sampled_from([" ", "- ", "? ", ": ", "-", " ?"]),
)
def test_byte_level_guard_equals_the_regular_expressions(text: str, depth: int, unit: str) -> None:
    """The bytes version of the odd-character and nesting guards answers as the regexes."""
    from reqkit.loader import yaml_fast as y

    for candidate in (
        text,
        (unit * depth) + text,
        text + "\n" + (unit * depth) + "x",
        text + "\r" + " " * depth,
    ):
        expected = bool(
            y._ODD_CHAR.search(candidate)
            or y._DEEP_PREFIX.match(candidate)
            or y._DEEP_LINE.search(candidate)
        )
        assert y._odd_or_deep(candidate) == expected, repr(candidate)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "[",
                "]",
                "{",
                "}",
                ",",
                ", ",
                " ",
                "a",
                "Z",
                "0",
                "9",
                "_",
                ".",
                "-",
                ":",
                "#",
                "'",
                '"',
                "é",
                "\n",
                "\r",
                "\t",
                "?",
                "&",
                "*",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_the_id_list_shortcut_accepts_only_what_the_full_flow_pattern_accepts(text: str) -> None:
    """`_ID_LIST` may answer before `_SIMPLE_FLOW` only because it is the narrower one."""
    from reqkit.loader import yaml_fast as y

    for candidate in (text, "[" + text, "[a, " + text, "[" + text + "]", "[" + text + "]\n"):
        if y._ID_LIST.match(candidate):
            assert y._SIMPLE_FLOW.match(candidate), repr(candidate)


@pytest.mark.parametrize("line", ["[202405-001]", "[a.b, c_d, e-f]  ", "[x]\r", "[v1.2, 3]"])
def test_the_id_list_shortcut_takes_the_usual_lists(line: str) -> None:
    from reqkit.loader import yaml_fast as y

    assert y._ID_LIST.match(line + "\nnext: 1\n")


def test_the_copied_resolver_table_is_pyyamls() -> None:
    """yaml_fast copies PyYAML's implicit resolvers (to spare importing PyYAML): a PyYAML
    upgrade that changes them must fail here, not silently disagree with the reference."""
    from yaml.resolver import Resolver

    from reqkit.loader import yaml_fast as y

    theirs = {
        first: [(r.pattern, r.flags) for tag, r in resolvers if tag != "tag:yaml.org,2002:str"]
        for first, resolvers in Resolver.yaml_implicit_resolvers.items()
        if first is not None
    }
    theirs[""] = theirs.get("~", [])
    ours = {first: [(r.pattern, r.flags) for r in found] for first, found in y._BY_FIRST.items()}
    assert ours == theirs


def test_a_clean_file_is_read_without_importing_pyyaml() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from reqkit.loader.files import parse_text\n"
        "fd = parse_text('id: 202405-001\\ntitle: Export\\ntags: [a, b]\\n')\n"
        "assert fd.data is not None and fd.positions is None\n"
        "print('yaml' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
