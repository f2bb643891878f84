"""The canonical shape of a requirement file: key order, styles, the schema modeline.

`new`, `import` and `fmt` all write through here, so a file reqkit wrote and a file
`fmt` tidied look the same. ruamel.yaml is imported lazily (start-up budget).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from pathlib import Path
from typing import Any

__all__ = [
    "KEY_ORDER",
    "NESTED_ORDER",
    "modeline",
    "ordered",
    "render",
    "yaml_rt",
]

#: Top-level keys in the order format.md shows them; custom fields follow, sorted.
KEY_ORDER = (
    "id",
    "title",
    "type",
    "status",
    "priority",
    "urgency",
    "importance",
    "source",
    "owner",
    "department",
    "created",
    "due",
    "release",
    "description",
    "rationale",
    "acceptance",
    "feasibility",
    "links",
    "verified_by",
    "tags",
    "evaluation",
    "decision",
    "lint",
)
NESTED_ORDER: dict[str, tuple[str, ...]] = {
    "source": ("channel", "detail", "requester", "received"),
    "feasibility": ("effort", "risk", "notes"),
    "links": ("parent", "depends_on", "conflicts_with", "duplicates"),
    "evaluation": ("date", "result", "notes"),
    "decision": ("reason", "date", "by"),
    "lint": ("ignore",),
}
SCHEMA_FILE = "schema/requirement.schema.json"
MODELINE_PREFIX = "# yaml-language-server: $schema="
_SIMPLE_ITEM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
#: Characters a YAML block scalar cannot carry; such text is written double-quoted.
_UNBLOCKABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029\ufeff]|[ \t]\n|\r")


def modeline(file: Path, root: Path) -> str:
    """The `$schema` modeline for a file at `file` in the project at `root`."""
    target = os.path.relpath(root / SCHEMA_FILE, file.parent).replace(os.sep, "/")
    return f"{MODELINE_PREFIX}{target}"


def _key_rank(key: Any, order: tuple[str, ...]) -> tuple[int, str]:
    return (order.index(key), "") if key in order else (len(order), str(key))


def ordered(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with keys in canonical order, nested mappings of the format too."""
    out: dict[str, Any] = {}
    for key in sorted(data, key=lambda k: _key_rank(k, KEY_ORDER)):
        value = data[key]
        inner = NESTED_ORDER.get(key)
        if inner is not None and isinstance(value, dict):
            value = {k: value[k] for k in sorted(value, key=lambda k: _key_rank(k, inner))}
        out[key] = value
    return out


def yaml_rt() -> Any:
    """A round-trip ruamel YAML that keeps quotes and never re-wraps long lines."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def styled(value: Any, *, flow_ok: bool = True, quote_blocks: bool = False) -> Any:
    """Plain data → ruamel nodes in the canonical style.

    Multi-line text becomes a literal block (`|`), lists of short words a flow list
    (`[a, b]`), dates stay unquoted; text that YAML would read as something else is
    quoted by ruamel itself.
    """
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = styled(v, quote_blocks=quote_blocks)
        return node
    if isinstance(value, list):
        seq = CommentedSeq([styled(v, flow_ok=False, quote_blocks=quote_blocks) for v in value])
        if flow_ok and all(isinstance(v, str) and _SIMPLE_ITEM.match(v) for v in value):
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str) and "\n" in value:
        if quote_blocks or _UNBLOCKABLE.search(value) or value[:1] in (" ", "\t"):
            return DoubleQuotedScalarString(value)
        return LiteralScalarString(value)
    if isinstance(value, dt.datetime):
        return DoubleQuotedScalarString(value.isoformat())
    if isinstance(value, str) and _implicit_non_text(value):
        return DoubleQuotedScalarString(value)  # `release: "1.10"`, as format.md writes it
    return value


def _implicit_non_text(value: str) -> bool:
    from reqkit.edit.emit import implicit_non_text

    return implicit_non_text(value)


def dump(node: Any) -> str:
    out = io.StringIO()
    yaml_rt().dump(node, out)
    return out.getvalue()


def render(data: dict[str, Any], *, file: Path, root: Path, comment: str | None = None) -> str:
    """The canonical text of a requirement: modeline, optional comment line, ordered keys.

    Written by the fast emitter, then read back with reqkit's own loader; when any value
    would not come back the same, ruamel writes it, multi-line text double-quoted.
    """
    import copy

    from reqkit.edit.emit import Unsupported, emit
    from reqkit.loader.files import normalize_dates, parse_text

    head = modeline(file, root) + "\n"
    if comment:
        head += "".join(f"# {line}\n" for line in comment.splitlines())
    body = ordered(data)
    expected = normalize_dates(copy.deepcopy(body))
    try:
        text = head + emit(body)
        if parse_text(text).data == expected:
            return text
    except Unsupported:
        pass
    text = head + dump(styled(body))
    if parse_text(text).data == expected:
        return text
    return head + dump(styled(body, quote_blocks=True))
