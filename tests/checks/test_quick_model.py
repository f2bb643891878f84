"""The quick validity proof (reqkit/model/quick.py) never says yes where the model says no.

`check` skips the pydantic model for data `surely_valid` accepts, so a False positive here
would silently drop a schema diagnostic. Hypothesis feeds both requirement-shaped data with
every kind of wrong value; the table of fields must also match the model's own fields.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import typing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from reqkit.loader.files import parse_text
from reqkit.model import quick
from reqkit.model.requirement import Requirement

SETTINGS = settings(
    max_examples=600, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
VALID = {"id": "202405-001", "title": "T", "type": "bug", "status": "analysis", "description": "D"}


def model_accepts(data: dict[str, Any]) -> bool:
    try:
        Requirement.model_validate(data)
    except ValidationError:
        return False
    return True


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for arg in typing.get_args(annotation) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def test_field_table_matches_the_model() -> None:
    assert set(quick.FIELDS) == set(Requirement.model_fields)
    required = {n for n, f in Requirement.model_fields.items() if f.is_required()}
    assert set(quick.REQUIRED) == required
    for name, field in Requirement.model_fields.items():
        nested = _nested_model(field.annotation)
        if nested is not None:
            assert set(quick.NESTED[name]) == set(nested.model_fields), name


def _literals(annotation: Any) -> list[str]:
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return [x for arg in typing.get_args(annotation) for x in _literals(arg)]


def test_every_choice_of_the_model_is_known_and_nothing_else() -> None:
    """Each Literal value of the model passes the quick check; a near miss does not."""
    for name, field in Requirement.model_fields.items():
        nested = _nested_model(field.annotation)
        pairs = (
            [(name, None, field.annotation)]
            if nested is None
            else [(name, sub, f.annotation) for sub, f in nested.model_fields.items()]
        )
        for top, sub, annotation in pairs:
            for choice in _literals(annotation):
                for value, expected in ((choice, True), (choice + "x", False)):
                    data = dict(VALID)
                    data[top] = value if sub is None else {sub: value}
                    assert quick.surely_valid(data) is expected, (top, sub, value)
                    assert model_accepts(data) is expected, (top, sub, value)


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.floats(allow_nan=False, width=16),
    st.sampled_from(["", " ", "x", "202405-001", "a b", "a/b", "..", "\ud800", "\udc80x", "é"]),
    st.sampled_from([*quick.TYPES, *quick.CHANNELS, "must", "urgent", "key", "met", "XS", "low"]),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2030, 1, 1)),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
    st.datetimes(
        min_value=dt.datetime(2000, 1, 1),
        max_value=dt.datetime(2030, 1, 1),
        timezones=st.just(dt.UTC),
    ),
    st.text(max_size=4),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(
            st.one_of(
                st.sampled_from(
                    [
                        *(k for fields in quick.NESTED.values() for k in fields),
                        "RK204",
                        "x",
                    ]
                ),
                st.integers(0, 2),
            ),
            inner,
            max_size=3,
        ),
    ),
    max_leaves=6,
)
KEYS = st.sampled_from([*quick.FIELDS, "stauts", "custom"])
TEXT = st.one_of(st.text(max_size=4), st.sampled_from(["\ud800", "a\udc80", "x"]))
OPT_TEXT = st.one_of(st.none(), TEXT)
DATE = st.one_of(st.none(), st.dates(), st.sampled_from(["2024-05-06", "x"]))
IDS = st.lists(st.sampled_from(["202405-001", "a.b_c-D", "a b", "", "é"]), max_size=3)


def _choices(*options: str) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.sampled_from([*options, "other", "Must"]))


def _nested(**fields: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.fixed_dictionaries({}, optional=fields))


#: Values near the right shape for each field, so that many cases pass the quick check.
NEAR = {
    "id": st.sampled_from(["202405-001", "A-1", "a b", "A\n", ""]),
    "title": TEXT,
    "type": st.sampled_from([*quick.TYPES, "functionl"]),
    "status": TEXT,
    "description": TEXT,
    "priority": _choices("must", "should", "could", "wont"),
    "urgency": _choices("urgent", "important", "routine"),
    "importance": _choices("key", "important", "normal"),
    "source": _nested(
        channel=_choices(*quick.CHANNELS), detail=OPT_TEXT, requester=OPT_TEXT, received=DATE
    ),
    "owner": OPT_TEXT,
    "department": OPT_TEXT,
    "created": DATE,
    "due": DATE,
    "release": OPT_TEXT,
    "rationale": OPT_TEXT,
    "acceptance": st.one_of(st.none(), TEXT, st.lists(TEXT, max_size=3)),
    "feasibility": _nested(
        effort=_choices("XS", "S", "M", "L", "XL"), risk=_choices("low", "high"), notes=OPT_TEXT
    ),
    "links": _nested(parent=IDS, depends_on=IDS, conflicts_with=IDS, duplicates=IDS),
    "verified_by": st.lists(TEXT, max_size=3),
    "tags": st.lists(TEXT, max_size=3),
    "evaluation": _nested(date=DATE, result=_choices("met", "not-met"), notes=OPT_TEXT),
    "decision": _nested(reason=OPT_TEXT, date=DATE, by=OPT_TEXT),
    "lint": _nested(
        ignore=st.one_of(st.none(), st.dictionaries(st.sampled_from(["RK204", "x"]), TEXT))
    ),
}


@SETTINGS
@given(
    drop=st.lists(st.sampled_from(list(VALID)), max_size=2),
    extra=st.dictionaries(KEYS, VALUES, max_size=4),
    data=st.data(),
)
def test_quick_yes_means_model_yes(
    drop: list[str], extra: dict[str, Any], data: st.DataObject
) -> None:
    near = data.draw(st.dictionaries(st.sampled_from(list(NEAR)), st.none(), max_size=6))
    near = {k: data.draw(NEAR[k], label=k) for k in near}
    for case in (extra, near, {**near, **extra}):
        given_data = {k: v for k, v in VALID.items() if k not in drop} | case
        if quick.surely_valid(given_data):
            assert model_accepts(given_data), given_data


@pytest.mark.parametrize(
    "extra",
    [
        {"title": "\ud800"},
        {"tags": ["a", ""]},
        {"id": "A\n"},
        {"links": None},
        {"links": {"parent": ["a b"]}},
        {"lint": {"ignore": None}},
        {"lint": {"ignore": {"RK204": ""}}},
        {"created": dt.datetime(2024, 5, 6, 10, 0)},
        {"source": {"received": "06/05/2024"}},
        {"release": 1.1},
        {"owner": False},
        {"acceptance": [1]},
    ],
)
def test_quick_says_no_where_the_model_refuses(extra: dict[str, Any]) -> None:
    assert not quick.surely_valid(VALID | extra)
    assert not model_accepts(VALID | extra)


def test_generated_benchmark_files_are_all_proven_quickly() -> None:
    """The fast path is worth having: realistic valid files never need the model."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from generate import requirement_yaml

    rng = random.Random(3)
    for n in range(300):
        data = parse_text(requirement_yaml(rng, f"2024{1 + n % 12:02d}-{n:03d}", None, n, 1)).data
        assert data is not None
        assert quick.surely_valid(data), data
        assert model_accepts(data)
