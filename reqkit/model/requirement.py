"""The requirement model. `schema/requirement.schema.json` is generated from it.

Strict on purpose: YAML turns `no` into false and `1.10` into 1.1, and a lax model would
quietly turn them back into the wrong text. Numbers, booleans and dates are refused where
text is expected, and checks/schema.py explains each refusal with the quoted fix.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from reqkit.model.quick import CHANNELS, TYPES

__all__ = [
    "CHANNELS",
    "TYPES",
    "Decision",
    "Evaluation",
    "Feasibility",
    "Links",
    "LintSettings",
    "Requirement",
    "Source",
]


def _date(value: Any) -> dt.date | dt.datetime:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise PydanticCustomError(
                "naive_datetime", "a date-time needs a time zone, e.g. 2024-05-06T10:00:00+08:00"
            )
        return value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            if len(value) == 10:
                return dt.date.fromisoformat(value)
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise PydanticCustomError(
                "date_format", "expected an ISO date such as 2024-05-06"
            ) from None
        return _date(parsed)
    raise PydanticCustomError("date_type", "expected an ISO date such as 2024-05-06")


DateLike = Annotated[
    dt.date | dt.datetime,
    PlainValidator(_date),
    WithJsonSchema({"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}),
]
Text = Annotated[str, Field(min_length=1)]
RequirementId = Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")]
IdList = list[RequirementId]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Source(_Strict):
    """Where the request came from (seed: 需求来源, 提出方信息)."""

    channel: Literal[CHANNELS] | None = None  # type: ignore[valid-type]
    detail: str | None = None
    requester: str | None = None
    received: DateLike | None = None


class Feasibility(_Strict):
    effort: Literal["XS", "S", "M", "L", "XL"] | None = None
    risk: Literal["low", "medium", "high"] | None = None
    notes: str | None = None


class Links(_Strict):
    """Links to other requirements by ID; `parent` makes the tree."""

    parent: IdList = Field(default_factory=list)
    depends_on: IdList = Field(default_factory=list)
    conflicts_with: IdList = Field(default_factory=list)
    duplicates: IdList = Field(default_factory=list)


class Evaluation(_Strict):
    """Effect evaluation 1–2 weeks after release (seed step 5)."""

    date: DateLike | None = None
    result: Literal["met", "partly-met", "not-met"] | None = None
    notes: str | None = None


class Decision(_Strict):
    """Outcome of review when rejected or deferred, told back to the requester."""

    reason: str | None = None
    date: DateLike | None = None
    by: str | None = None


class LintSettings(_Strict):
    """Per-requirement lint suppressions, each with its reason, reviewed in the PR."""

    ignore: dict[str, Text] = Field(default_factory=dict)


class Requirement(_Strict):
    """One requirement, one file: `reqs/<id>.yaml`."""

    id: RequirementId
    title: Text
    type: Literal[TYPES]  # type: ignore[valid-type]
    status: Text  # the project's states are configurable; checks/ validates the value
    description: Text
    priority: Literal["must", "should", "could", "wont"] | None = None
    urgency: Literal["urgent", "important", "routine"] | None = None
    importance: Literal["key", "important", "normal"] | None = None
    source: Source | None = None
    owner: str | None = None
    department: str | None = None
    created: DateLike | None = None
    due: DateLike | None = None
    release: str | None = None
    rationale: str | None = None
    acceptance: Text | list[Text] | None = None
    feasibility: Feasibility | None = None
    links: Links = Field(default_factory=Links)
    verified_by: list[Text] = Field(default_factory=list)
    tags: list[Text] = Field(default_factory=list)
    evaluation: Evaluation | None = None
    decision: Decision | None = None
    lint: LintSettings | None = None
