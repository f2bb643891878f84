"""A quick proof that data is a valid requirement, without importing pydantic.

Validating with the pydantic model costs ~0.2 s to import (per process: every worker of
a cold check pays it) and tens of microseconds a file, while almost every file of a real
tree is valid. `surely_valid` answers True only for data the model accepts for certain:
exact types, no coercion, no value a validator would have to judge (a date-time, a
surrogate in constrained text). Anything else is False, and the caller asks the model,
which also explains each refusal. Nothing here may ever say True where the model says no:
tests/checks/test_quick_model.py checks that (and that this table matches the model).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

__all__ = ["FIELDS", "REQUIRED", "surely_valid"]

Check = Callable[[Any], bool]

_ID = re.compile(r"[A-Za-z0-9._-]+")


def _unicode(v: str) -> bool:
    """No lone surrogate, which constrained text refuses (string_unicode): the strict
    UTF-8 encoder finds one at 2.5x the speed of a regular expression looking for it."""
    try:
        v.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _text(v: Any) -> bool:
    """`Text`: a non-empty str that pydantic can read as Unicode."""
    return type(v) is str and v != "" and (v.isascii() or _unicode(v))


def _opt_str(v: Any) -> bool:
    return v is None or type(v) is str


def _opt_date(v: Any) -> bool:
    return v is None or type(v) is dt.date  # a date-time needs the validator (time zone)


def _rid(v: Any) -> bool:
    return type(v) is str and _ID.fullmatch(v) is not None


# Loops rather than `all(generator)`: a generator and a call per item cost more than
# the checks themselves, and these run for every file of a cold check.
def _ids(v: Any) -> bool:
    if type(v) is not list:
        return False
    fullmatch = _ID.fullmatch
    for x in v:  # noqa: SIM110 - the loop is the point (see above)
        if type(x) is not str or fullmatch(x) is None:
            return False
    return True


def _texts(v: Any) -> bool:
    if type(v) is not list:
        return False
    for x in v:  # noqa: SIM110
        if not _text(x):
            return False
    return True


def _choice(*options: str, optional: bool = True) -> Check:
    allowed = frozenset(options)
    if optional:
        return lambda v: v is None or (type(v) is str and v in allowed)
    return lambda v: type(v) is str and v in allowed


def _mapping(fields: dict[str, Check], *, optional: bool = True) -> Check:
    def check(v: Any) -> bool:
        if v is None:
            return optional
        if type(v) is not dict:
            return False
        for k, x in v.items():
            field_check = fields.get(k)
            if field_check is None or not field_check(x):
                return False
        return True

    return check


def _ignore(v: Any) -> bool:
    return type(v) is dict and all(type(k) is str and _text(x) for k, x in v.items())


TYPES = ("functional", "experience", "bug", "performance", "security", "compliance", "other")
CHANNELS = (
    "interview",
    "survey",
    "ticket",
    "community",
    "sales",
    "support",
    "conference",
    "phone",
    "email",
    "internal",
    "other",
)

#: Nested models, by field name: the checks of their fields.
NESTED: dict[str, dict[str, Check]] = {
    "source": {
        "channel": _choice(*CHANNELS),
        "detail": _opt_str,
        "requester": _opt_str,
        "received": _opt_date,
    },
    "feasibility": {
        "effort": _choice("XS", "S", "M", "L", "XL"),
        "risk": _choice("low", "medium", "high"),
        "notes": _opt_str,
    },
    "links": {"parent": _ids, "depends_on": _ids, "conflicts_with": _ids, "duplicates": _ids},
    "evaluation": {
        "date": _opt_date,
        "result": _choice("met", "partly-met", "not-met"),
        "notes": _opt_str,
    },
    "decision": {"reason": _opt_str, "date": _opt_date, "by": _opt_str},
    "lint": {"ignore": _ignore},
}

#: Every top-level field of the model and the check of its value.
FIELDS: dict[str, Check] = {
    "id": _rid,
    "title": _text,
    "type": _choice(*TYPES, optional=False),
    "status": _text,
    "description": _text,
    "priority": _choice("must", "should", "could", "wont"),
    "urgency": _choice("urgent", "important", "routine"),
    "importance": _choice("key", "important", "normal"),
    "source": _mapping(NESTED["source"]),
    "owner": _opt_str,
    "department": _opt_str,
    "created": _opt_date,
    "due": _opt_date,
    "release": _opt_str,
    "rationale": _opt_str,
    "acceptance": lambda v: v is None or _text(v) or _texts(v),
    "feasibility": _mapping(NESTED["feasibility"]),
    "links": _mapping(NESTED["links"], optional=False),
    "verified_by": _texts,
    "tags": _texts,
    "evaluation": _mapping(NESTED["evaluation"]),
    "decision": _mapping(NESTED["decision"]),
    "lint": _mapping(NESTED["lint"]),
}
REQUIRED = ("id", "title", "type", "status", "description")


def surely_valid(data: dict[str, Any]) -> bool:
    """True only when the model certainly accepts `data` (False: ask the model)."""
    fields = FIELDS
    for key in REQUIRED:
        if key not in data:
            return False
    for key, value in data.items():
        check = fields.get(key) if type(key) is str else None
        if check is None or not check(value):
            return False
    return True
