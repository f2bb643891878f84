"""Export → import gives the same requirements, for CSV, Excel, JSON and ReqIF.

Generated requirements use every field of the format, Chinese and English text,
multi-line Markdown, text that looks like numbers, dates or formulas, and custom fields.
Each example is a real repository on disk; the library runs in-process for speed (the
command-line tests cover the same code from the installed command).
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import reqkit
from reqkit.api.interchange import export, import_file
from reqkit.config import load_config
from reqkit.edit.canonical import render

CONFIG = """\
ids = ["REQ-{seq:03}"]

[fields]
customer_tier = { type = "string" }
score = { type = "integer" }
"""
ALPHABET = (
    "abcXYZ019 .,:;-+=@'\"#[]{}|>*&!%?/\\_()<>需求报表导出中文月度客户反馈，。：；“”！？（）、　"
)
line = st.text(alphabet=ALPHABET, min_size=1, max_size=24)
text = st.text(alphabet=ALPHABET + "\n", min_size=1, max_size=60)
tricky = st.sampled_from(
    ["1.10", "2", "no", "true", "2024-05-06", "=SUM(A1)", "-1", "@x", "'=y", "''", "null", "~"]
)
scalar = st.one_of(line, tricky)
word = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
day = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))


@st.composite
def requirement(draw: Any, rid: str, earlier: list[str]) -> dict[str, Any]:
    status = draw(
        st.sampled_from(
            [
                "analysis",
                "review",
                "development",
                "testing",
                "released",
                "closed",
                "deferred",
                "rejected",
            ]
        )
    )
    data: dict[str, Any] = {
        "id": rid,
        "title": draw(scalar),
        "type": draw(
            st.sampled_from(
                [
                    "functional",
                    "experience",
                    "bug",
                    "performance",
                    "security",
                    "compliance",
                    "other",
                ]
            )
        ),
        "status": status,
        "description": draw(st.one_of(text, scalar)),
    }
    optional: dict[str, Any] = {
        "priority": st.sampled_from(["must", "should", "could", "wont"]),
        "urgency": st.sampled_from(["urgent", "important", "routine"]),
        "importance": st.sampled_from(["key", "important", "normal"]),
        "source": st.fixed_dictionaries(
            {},
            optional={
                "channel": st.sampled_from(["phone", "email", "ticket"]),
                "detail": scalar,
                "requester": scalar,
                "received": day,
            },
        ),
        "owner": st.one_of(word, st.just("")),
        "department": scalar,
        "created": day,
        "due": day,
        "release": st.one_of(tricky, line),
        "rationale": text,
        "acceptance": st.one_of(text, st.lists(st.one_of(line, text), min_size=1, max_size=3)),
        "feasibility": st.fixed_dictionaries(
            {},
            optional={
                "effort": st.sampled_from(["XS", "M", "XL"]),
                "risk": st.sampled_from(["low", "high"]),
                "notes": text,
            },
        ),
        "verified_by": st.lists(
            st.sampled_from(["tests/test_a.py::test_ok", "suite.Case.test_x", "a; b"]),
            min_size=1,
            max_size=2,
        ),
        "tags": st.lists(st.one_of(word, line), min_size=1, max_size=3),
        "customer_tier": scalar,
        "score": st.integers(min_value=-5, max_value=10**6),
    }
    for key, strategy in optional.items():
        if draw(st.booleans()):
            data[key] = draw(strategy)
    if earlier and draw(st.booleans()):
        data["links"] = {"parent": [draw(st.sampled_from(earlier))]}
        if draw(st.booleans()):
            data["links"]["depends_on"] = draw(
                st.lists(st.sampled_from(earlier), min_size=1, max_size=2, unique=True)
            )
    if status in ("released", "closed") and "acceptance" not in data:
        data["acceptance"] = [draw(line)]
    if status == "closed":
        data["evaluation"] = {
            "date": draw(day),
            "result": draw(st.sampled_from(["met", "not-met"])),
            "notes": draw(text),
        }
    if status in ("rejected", "deferred"):
        data["decision"] = {"reason": draw(text), "date": draw(day), "by": draw(scalar)}
    for holder in ("source", "feasibility"):
        if holder in data and not data[holder]:
            del data[holder]
    return data


@st.composite
def requirement_sets(draw: Any) -> list[dict[str, Any]]:
    count = draw(st.integers(min_value=1, max_value=4))
    ids = [f"REQ-{n:03d}" for n in range(1, count + 1)]
    return [draw(requirement(rid, ids[:i])) for i, rid in enumerate(ids)]


def _repo(folder: Path, items: list[dict[str, Any]]) -> Path:
    (folder / "reqs").mkdir(parents=True)
    (folder / "reqkit.toml").write_text(CONFIG, encoding="utf-8")
    for data in items:
        path = folder / "reqs" / f"{data['id']}.yaml"
        path.write_text(render(data, file=path, root=folder), encoding="utf-8")
    return folder


def _loaded(folder: Path) -> dict[str, Any]:
    return {e.rid: e.data for e in reqkit.load(folder).entries}


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "reqif"])
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(items=requirement_sets())
def test_export_then_import_gives_the_same_requirements(
    fmt: str, items: list[dict[str, Any]]
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source = _repo(Path(tmp) / "a", items)
        config = load_config(source)
        errors = [
            d for d in reqkit.check(root=source, cache=False).diagnostics if d.severity == "error"
        ]
        assume(not errors)  # only requirements that pass check can be exported and imported
        blob = export(format=fmt, root=source, config=config)
        exported = Path(tmp) / f"out.{fmt}"
        exported.write_bytes(blob)
        target = Path(tmp) / "b"
        (target / "reqs").mkdir(parents=True)
        (target / "reqkit.toml").write_text(CONFIG, encoding="utf-8")
        result = import_file(exported, root=target)
        assert not result.plan.bad, result.plan.bad
        assert _loaded(target) == _loaded(source)
