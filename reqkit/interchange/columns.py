"""Rows ↔ requirements: column names, the seed template's headers, and cell text.

One row per requirement; a column per field, `source.channel` for nested fields.
Every value is written as text a person can read and edit, and read back to exactly
what was written (export → import is lossless): lists are `; `-joined unless an item
would not survive that, then they are a JSON list; see `list_cell`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from reqkit.edit.canonical import KEY_ORDER, NESTED_ORDER

__all__ = [
    "FIELD_COLUMNS",
    "HEADERS_EN",
    "HEADERS_ZH",
    "LIST_COLUMNS",
    "VALUES_ZH",
    "cell_text",
    "columns_for",
    "flatten",
    "header_field",
    "neutralise",
    "restore",
    "unflatten",
]

#: Every built-in column, in the order the files show the fields (`fmt`'s order).
FIELD_COLUMNS = tuple(
    column
    for key in KEY_ORDER
    for column in (
        (f"{key}.{inner}" for inner in NESTED_ORDER[key]) if key in NESTED_ORDER else (key,)
    )
)
LIST_COLUMNS = frozenset(
    {
        "links.parent",
        "links.depends_on",
        "links.conflicts_with",
        "links.duplicates",
        "verified_by",
        "tags",
    }
)
_NESTED = ("source", "feasibility", "links", "evaluation", "decision")

#: The seed template's columns (seed 000), in its order, with their fields.
HEADERS_ZH: dict[str, str] = {
    "需求编号": "id",
    "需求来源": "source.detail",
    "提出方信息": "source.requester",
    "需求类型": "type",
    "需求描述": "description",
    "优先级": "priority",
    "紧急程度": "urgency",
    "状态": "status",
    "负责人": "owner",
    "责任部门": "department",
    "计划完成时间": "due",
    # also seen in the seeds and in Chinese trackers
    "需求标题": "title",
    "标题": "title",
    "来源渠道": "source.channel",
    "重要程度": "importance",
    "验收标准": "acceptance",
    "父需求": "links.parent",
    "标签": "tags",
    "创建时间": "created",
    "版本": "release",
}
HEADERS_EN: dict[str, str] = {
    "requirement id": "id",
    "id": "id",
    "source": "source.detail",
    "requester": "source.requester",
    "requirement type": "type",
    "description": "description",
    "priority": "priority",
    "urgency": "urgency",
    "status": "status",
    "owner": "owner",
    "department": "department",
    "responsible department": "department",
    "planned completion": "due",
    "due date": "due",
    "title": "title",
    "summary": "title",
}
#: Seed column order for `--headers zh|en` exports: the template first, then the rest.
SEED_COLUMNS = (
    "id",
    "title",
    "source.channel",
    "source.detail",
    "source.requester",
    "type",
    "description",
    "priority",
    "urgency",
    "status",
    "owner",
    "department",
    "due",
)
ZH_FOR_FIELD = {
    "id": "需求编号",
    "title": "需求标题",
    "source.channel": "来源渠道",
    "source.detail": "需求来源",
    "source.requester": "提出方信息",
    "type": "需求类型",
    "description": "需求描述",
    "priority": "优先级",
    "urgency": "紧急程度",
    "status": "状态",
    "owner": "负责人",
    "department": "责任部门",
    "due": "计划完成时间",
}
EN_FOR_FIELD = {
    "id": "Requirement ID",
    "title": "Title",
    "source.channel": "Channel",
    "source.detail": "Source",
    "source.requester": "Requester",
    "type": "Requirement type",
    "description": "Description",
    "priority": "Priority",
    "urgency": "Urgency",
    "status": "Status",
    "owner": "Owner",
    "department": "Responsible department",
    "due": "Planned completion",
}
#: Seed values in Chinese (and the English words of the template) → field values.
VALUES_ZH: dict[str, dict[str, str]] = {
    "type": {
        "功能需求": "functional",
        "体验需求": "experience",
        "问题反馈": "bug",
        "其他": "other",
        "性能需求": "performance",
        "安全需求": "security",
        "合规需求": "compliance",
        "bug feedback": "bug",
    },
    "priority": {"必须有": "must", "应该有": "should", "可以有": "could", "暂不需要": "wont"},
    "urgency": {"紧急": "urgent", "重要": "important", "常规": "routine"},
    "importance": {"关键": "key", "重要": "important", "一般": "normal"},
    "status": {
        "待分析": "analysis",
        "评审中": "review",
        "开发中": "development",
        "测试中": "testing",
        "已上线": "released",
        "已关闭": "closed",
        "暂缓": "deferred",
        "未通过": "rejected",
    },
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def header_field(header: str, mapping: Mapping[str, str], known: Iterable[str]) -> str | None:
    """The field a column header names: `--map` first, then field names, then the seed's."""
    text = header.strip()
    if text in mapping:
        return mapping[text]
    if text in known:
        return text
    if text in HEADERS_ZH:
        return HEADERS_ZH[text]
    return HEADERS_EN.get(text.lower())


def neutralise(text: str) -> str:
    """Text a spreadsheet will never run as a formula; `restore` gives it back exactly.

    A leading `=`, `+`, `-`, `@`, tab or CR gets a `'` in front; so does a leading `'`
    that `restore` would otherwise take away.
    """
    if text.startswith(_FORMULA_START) or (
        text.startswith("'") and text[1:2] in (*_FORMULA_START, "'") and len(text) > 1
    ):
        return "'" + text
    return text


def restore(text: str) -> str:
    """The inverse of `neutralise`."""
    if text.startswith("'") and len(text) > 1 and text[1] in (*_FORMULA_START, "'"):
        return text[1:]
    return text


def _splittable(items: list[str]) -> bool:
    return (
        bool(items)
        and all(
            item and item == item.strip() and ";" not in item and "\n" not in item for item in items
        )
        and not items[0].startswith(("[", '"'))
    )


def list_cell(items: list[Any]) -> str:
    """`a; b` when that reads back the same, else a JSON list."""
    texts = [str(v) for v in items]
    if all(isinstance(v, str) for v in items) and _splittable(texts):
        return "; ".join(texts)
    return json.dumps(items, ensure_ascii=False, default=str)


def read_list(text: str) -> list[Any]:
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list):
            return value
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def _acceptance_cell(value: Any) -> str:
    """A list as `1. item` lines when that reads back the same; a text as itself."""
    if isinstance(value, list):
        if value and all(
            isinstance(v, str) and v and v == v.strip() and "\n" not in v for v in value
        ):
            return "\n".join(f"{i}. {v}" for i, v in enumerate(value, start=1))
        return json.dumps(value, ensure_ascii=False)
    text = str(value)
    if text.startswith(("[", '"')) or _looks_like_items(text):
        return json.dumps(text, ensure_ascii=False)
    return text


def _items_of(text: str) -> list[str] | None:
    """The items of `1. a` / `2. b` lines numbered from 1, else None."""
    items = []
    for i, line in enumerate(text.split("\n"), start=1):
        head = f"{i}. "
        item = line[len(head) :]
        if not line.startswith(head) or not item or item != item.strip():
            return None
        items.append(item)
    return items


def _looks_like_items(text: str) -> bool:
    return _items_of(text) is not None


def read_acceptance(text: str) -> Any:
    if text.startswith(("[", '"')):
        try:
            value = json.loads(text)
        except ValueError:
            value = None
        if isinstance(value, list | str):
            return value
    items = _items_of(text)
    return items if items is not None else text


def cell_text(column: str, value: Any) -> str:
    """The text of one cell (before neutralising)."""
    if value is None:
        return ""
    if column == "acceptance":
        return _acceptance_cell(value)
    if column in LIST_COLUMNS or isinstance(value, list):
        return list_cell(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return _quoted_if_needed(str(value))


def _quoted_if_needed(text: str) -> str:
    """An empty text as `""`; a text that itself looks like `"..."` as a JSON string."""
    if text == "" or (len(text) >= 2 and text[0] == text[-1] == '"'):
        return json.dumps(text, ensure_ascii=False)
    return text


def _unquoted(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        try:
            value = json.loads(text)
        except ValueError:
            return text
        if isinstance(value, str):
            return value
    return text


def flatten(data: Mapping[str, Any]) -> dict[str, str]:
    """A requirement as column → cell text (nested fields as `source.channel`)."""
    row: dict[str, str] = {}
    for key, value in data.items():
        if key in _NESTED and isinstance(value, dict):
            for inner, v in value.items():
                row[f"{key}.{inner}"] = cell_text(f"{key}.{inner}", v)
        else:
            row[key] = cell_text(key, value)
    return row


def columns_for(rows: Iterable[Mapping[str, str]]) -> list[str]:
    """Built-in columns in file order, then custom ones sorted; only those in use."""
    used = {c for row in rows for c, v in row.items() if v != ""}
    fixed = [
        c
        for c in FIELD_COLUMNS
        if c in used or c in ("id", "title", "type", "status", "description")
    ]
    return fixed + sorted(used - set(FIELD_COLUMNS))


def unflatten(row: Mapping[str, str], custom: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Column → text back into a requirement's fields; empty cells are absent fields."""
    data: dict[str, Any] = {}
    for column, text in row.items():
        if text == "":
            continue
        value = _value(column, text, custom)
        if "." in column and column.split(".", 1)[0] in (*_NESTED, "lint"):
            outer, inner = column.split(".", 1)
            data.setdefault(outer, {})[inner] = value
        else:
            data[column] = value
    return data


def _value(column: str, text: str, custom: Mapping[str, Mapping[str, Any]]) -> Any:
    if column == "acceptance":
        return read_acceptance(text)
    if column in LIST_COLUMNS:
        return read_list(text)
    if column == "lint.ignore":
        try:
            return json.loads(text)
        except ValueError:
            return text
    text = _unquoted(text)
    words = VALUES_ZH.get(column)
    if words is not None:
        return words.get(text.strip(), words.get(text.strip().lower(), text.strip()))
    kind = custom.get(column, {}).get("type")
    if kind == "array":
        return read_list(text)
    if kind in ("integer", "number", "boolean", "object"):
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text
