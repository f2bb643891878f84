"""Edit requirement text in place with ruamel.yaml, keeping comments, order and quoting.

`set` changes values; `fmt` reorders keys, fixes the modeline and the indentation.
Both work on text and return text: the caller checks the result before writing it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reqkit.edit.canonical import KEY_ORDER, MODELINE_PREFIX, NESTED_ORDER, styled, yaml_rt
from reqkit.errors import UsageError

__all__ = [
    "LIST_FIELDS",
    "Assignment",
    "apply_assignments",
    "format_text",
    "load_rt",
    "merge_fields",
    "parse_assignment",
    "reorder",
]

#: Fields whose value is a list: `KEY+=x` appends, `KEY-=x` removes.
LIST_FIELDS = frozenset(
    {
        "acceptance",
        "verified_by",
        "tags",
        "links.parent",
        "links.depends_on",
        "links.conflicts_with",
        "links.duplicates",
    }
)
DATE_FIELDS = frozenset({"created", "due", "source.received", "evaluation.date", "decision.date"})
_ASSIGN = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_.-]*?)(?P<op>\+=|-=|=)(?P<value>.*)$", re.S)
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 0), (4, 6, 4), (2, 3, 1), (4, 4, 2), (3, 3, 0))


@dataclass(frozen=True)
class Assignment:
    """One `KEY=VALUE`, `KEY+=VALUE` or `KEY-=VALUE` from the command line."""

    key: str
    op: str
    value: str

    @property
    def path(self) -> tuple[str, ...]:
        return tuple(self.key.split("."))


def parse_assignment(text: str) -> Assignment:
    match = _ASSIGN.match(text)
    if not match:
        raise UsageError(f"expected KEY=VALUE, KEY+=VALUE or KEY-=VALUE, got {text!r}")
    return Assignment(match["key"], match["op"], match["value"])


class _Doc:
    """A loaded document with the indentation it was written in."""

    def __init__(self, text: str) -> None:
        from ruamel.yaml.error import YAMLError

        self.source = text
        self.yaml = yaml_rt()
        try:
            self.data = self.yaml.load(text)
        except YAMLError as exc:
            raise UsageError(
                f"the file is not valid YAML; fix it first ({_one_line(exc)})"
            ) from None
        if not _is_map(self.data):
            raise UsageError("the file does not hold a mapping of fields; fix it first")
        self._guess_indent()

    def _guess_indent(self) -> None:
        best: tuple[int, tuple[int, int, int]] | None = None
        for mapping, sequence, offset in _INDENTS:
            self.yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
            out = self.dump()
            if out == self.source:
                return
            score = sum(
                1
                for a, b in zip(out.splitlines(), self.source.splitlines(), strict=False)
                if a != b
            )
            if best is None or score < best[0]:
                best = (score, (mapping, sequence, offset))
        assert best is not None
        mapping, sequence, offset = best[1]
        self.yaml.indent(mapping=mapping, sequence=sequence, offset=offset)

    def dump(self) -> str:
        out = io.StringIO()
        self.yaml.dump(self.data, out)
        return out.getvalue()

    def minimal(self) -> str:
        """The new text, with every top-level field whose value did not change taken
        byte for byte from the source: an edit touches only the lines it must."""
        new = self.dump()
        try:
            before = self.yaml.load(self.source)
            after = self.yaml.load(new)
        except Exception:  # pragma: no cover - both texts were just parsed or written
            return new
        old_blocks = _blocks(self.source, before)
        new_blocks = _blocks(new, after)
        if old_blocks is None or new_blocks is None:
            return new
        parts = [old_blocks[0]]
        for key, block in new_blocks[1].items():
            same = key in before and _plain(before[key]) == _plain(after[key])
            parts.append(old_blocks[1][key] if same else block)
        return "".join(parts)


def _blocks(text: str, doc: Any) -> tuple[str, dict[Any, str]] | None:
    """(head, top-level key → its lines) of `text`; None if positions are missing."""
    lines = text.splitlines(keepends=True)
    keys = list(doc)
    try:
        starts = [doc.lc.key(k)[0] for k in keys]
    except (AttributeError, KeyError, TypeError):
        return None
    if starts != sorted(starts):
        return None
    ends = [*starts[1:], len(lines)]
    head = "".join(lines[: starts[0]]) if starts else text
    return head, {k: "".join(lines[a:b]) for k, a, b in zip(keys, starts, ends, strict=True)}


def _plain(value: Any) -> Any:
    """A comparable plain form (ruamel scalars and containers as builtins, with style)."""
    if isinstance(value, dict):
        return [(k, _plain(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return (type(value).__name__, value)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())


def _is_map(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap

    return isinstance(value, CommentedMap)


def load_rt(text: str) -> Any:
    """The round-trip document of `text` (a ruamel CommentedMap)."""
    return _Doc(text).data


def _typed(key: str, raw: str, custom: dict[str, dict[str, Any]]) -> Any:
    """The value a command-line string stands for, by the field's type."""
    if key in DATE_FIELDS and raw:
        try:
            return dt.date.fromisoformat(raw) if len(raw) == 10 else raw
        except ValueError:
            raise UsageError(
                f"{key}: expected an ISO date such as 2024-05-06, got {raw!r}"
            ) from None
    kind = custom.get(key, {}).get("type")
    if kind in ("integer", "number", "boolean"):
        import yaml

        value = yaml.safe_load(raw)
        ok = {
            "integer": isinstance(value, int) and not isinstance(value, bool),
            "number": isinstance(value, int | float) and not isinstance(value, bool),
            "boolean": isinstance(value, bool),
        }[kind]
        if not ok:
            raise UsageError(f"{key}: expected a {kind}, got {raw!r}")
        return value
    return raw.replace("\\n", "\n") if "\\n" in raw and "\n" not in raw else raw


def _list_value(raw: str) -> list[str]:
    """`[a, b]` (YAML flow) or `a,b` → a list of text; one item otherwise."""
    if raw.startswith("["):
        import yaml

        try:
            value = yaml.safe_load(raw)
        except yaml.YAMLError:
            raise UsageError(f"cannot read {raw!r} as a list like [a, b]") from None
        if not isinstance(value, list):
            raise UsageError(f"cannot read {raw!r} as a list like [a, b]")
        return [str(v) for v in value]
    return [part.strip() for part in raw.split(",") if part.strip()]


def _holder(root: Any, path: tuple[str, ...], *, create: bool) -> Any:
    from ruamel.yaml.comments import CommentedMap

    node = root
    for part in path[:-1]:
        child = node.get(part)
        if child is None:
            if not create:
                return None
            child = CommentedMap()
            _insert_ordered(node, part, child)
        if not _is_map(child):
            raise UsageError(f"{part} is not a mapping of fields; cannot set {'.'.join(path)}")
        node = child
    return node


def _insert_ordered(node: Any, key: str, value: Any, parent: str | None = None) -> None:
    """Add `key` where the canonical order puts it among the keys already there."""
    order = KEY_ORDER if parent is None else NESTED_ORDER.get(parent, ())
    if key in node:
        node[key] = value
        return
    if key in order:
        rank = order.index(key)
        for i, existing in enumerate(node):
            if existing in order and order.index(existing) > rank:
                node.insert(i, key, value)
                return
    node[key] = value


def _parent_name(path: tuple[str, ...]) -> str | None:
    return path[-2] if len(path) >= 2 else None


def apply_assignments(
    text: str,
    assignments: Sequence[Assignment],
    *,
    custom: dict[str, dict[str, Any]],
    allow_id: bool = False,
) -> str:
    """`text` with each assignment applied, everything else as it was written."""
    doc = _Doc(text)
    for a in assignments:
        if a.path[0] == "id" and not allow_id:
            raise UsageError("the ID is the file name; rename the file to change it")
        holder = _holder(doc.data, a.path, create=a.op != "-=" and a.value != "")
        leaf = a.path[-1]
        if a.key in LIST_FIELDS or a.op != "=":
            _apply_list(holder, a, doc)
            continue
        if a.value == "":  # `KEY=` removes an optional field
            if holder is not None and leaf in holder:
                del holder[leaf]
                _drop_empty(doc.data, a.path[:-1])
            continue
        _insert_ordered(holder, leaf, styled(_typed(a.key, a.value, custom)), _parent_name(a.path))
    return doc.minimal()


def _apply_list(holder: Any, a: Assignment, doc: _Doc) -> None:
    from ruamel.yaml.comments import CommentedSeq

    leaf = a.path[-1]
    if a.key not in LIST_FIELDS and not isinstance(holder.get(leaf) if holder else None, list):
        raise UsageError(f"{a.key} is not a list; use {a.key}=VALUE")
    if holder is None:
        return
    current = holder.get(leaf)
    if a.key == "acceptance" and isinstance(current, str):
        current = CommentedSeq([current])
        holder[leaf] = current
    if a.op == "=":
        items = [a.value] if a.key == "acceptance" else _list_value(a.value)
        if not items:
            del holder[leaf]
            _drop_empty(doc.data, a.path[:-1])
            return
        _insert_ordered(
            holder, leaf, styled(items, flow_ok=a.key != "acceptance"), _parent_name(a.path)
        )
        return
    if current is None:
        current = styled([], flow_ok=a.key != "acceptance")
        _insert_ordered(holder, leaf, current, _parent_name(a.path))
    if a.op == "+=":
        if a.value not in current:
            current.append(a.value)
        return
    if a.value not in current:
        raise UsageError(f"{a.key} does not hold {a.value!r}")
    current.remove(a.value)
    if not current:
        del holder[leaf]
        _drop_empty(doc.data, a.path[:-1])


def _drop_empty(root: Any, path: tuple[str, ...]) -> None:
    """Remove a mapping the last edit left empty (`links: {}` says nothing)."""
    if not path:
        return
    parent = root
    for part in path[:-1]:
        parent = parent[part]
    child = parent.get(path[-1])
    if _is_map(child) and len(child) == 0:
        del parent[path[-1]]


def merge_fields(text: str, data: dict[str, Any]) -> str:
    """`text` with each field of `data` set (nested mappings key by key), the rest kept."""
    doc = _Doc(text)
    for key, value in data.items():
        current = doc.data.get(key)
        if isinstance(value, dict) and _is_map(current):
            for inner, v in value.items():
                if current.get(inner) != v:
                    _insert_ordered(current, inner, styled(v), key)
        elif current != value:
            _insert_ordered(doc.data, key, styled(value))
    return doc.dump()


def reorder(node: Any, order: tuple[str, ...], nested: bool = True) -> None:
    """Reorder a CommentedMap in place, each key keeping its own comments."""
    keys = list(node)
    wanted = sorted(
        keys, key=lambda k: (order.index(k), "") if k in order else (len(order), str(k))
    )
    if nested:
        for key in keys:
            inner = NESTED_ORDER.get(key)
            if inner is not None and _is_map(node[key]):
                reorder(node[key], inner, nested=False)
    if wanted == keys:
        return
    items = [(k, node[k], node.ca.items.get(k)) for k in wanted]
    for k in keys:
        del node[k]
    for i, (k, v, comment) in enumerate(items):
        node.insert(i, k, v)
        if comment is not None:
            node.ca.items[k] = comment


def format_text(text: str, *, modeline: str) -> str:
    """The canonical form of `text`: key order, modeline, two-space indentation."""
    doc = _Doc(text)
    reorder(doc.data, KEY_ORDER)
    doc.yaml.indent(mapping=2, sequence=4, offset=2)
    out = doc.dump()
    lines = out.splitlines(keepends=True)
    head = [i for i, line in enumerate(lines) if line.startswith(MODELINE_PREFIX)]
    if head:
        lines[head[0]] = modeline + "\n"
    else:
        lines.insert(0, modeline + "\n")
    return "".join(lines)
