"""The reference reader: libyaml events → data, positions and YAML-level problems.

It reads the event stream rather than composed nodes so that anchors, aliases and tags
are seen (and refused) before anything is expanded: an alias bomb never grows here.
Scalars are resolved and constructed by PyYAML's own safe resolver and constructors, so
the data is exactly what `yaml.load(..., CSafeLoader)` gives for every file it accepts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from reqkit.loader.positions import KeyPath, Located, Positions
from reqkit.loader.problem import Problem

__all__ = ["Parsed", "Problem", "parse_reference"]

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STD = "tag:yaml.org,2002:"
_SAFE_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_resolver = yaml.SafeLoader("")
# Deeper nesting is refused: libyaml's scanner is quadratic in the flow depth, so
# `[[[[…` would otherwise take hours, and no requirement needs more.
MAX_DEPTH = 200
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # line breaks, as YAML 1.1 counts them


@dataclass
class Parsed:
    data: Any = None
    positions: Positions = field(default_factory=Positions)
    problems: list[Problem] = field(default_factory=list)
    documents: int = 0

    @property
    def usable(self) -> bool:
        """No YAML-level problem: the data is exactly what the file says."""
        return not self.problems


def _construct(ev: ScalarEvent) -> tuple[Any, str | None]:
    """Resolve and construct one scalar as PyYAML's safe loader would."""
    tag = ev.tag
    if tag is None or tag == "!":
        tag = _resolver.resolve(yaml.ScalarNode, ev.value, ev.implicit)  # type: ignore[no-untyped-call]
    if tag not in _SAFE_TAGS:
        if tag in (_STD + "value", _STD + "merge"):
            return ev.value, None  # `=` and `<<` as text; `<<` as a key is refused below
        return None, tag
    node = yaml.ScalarNode(tag, ev.value, None, None, ev.style)
    constructor = _resolver.yaml_constructors[tag]
    try:
        return constructor(_resolver, node), None
    except (ValueError, yaml.YAMLError, OverflowError):
        return ev.value, None  # e.g. an impossible timestamp: keep the text


def _loc(key_mark: Any, value_mark: Any, raw: str | None = None) -> Located:
    return Located(
        key_mark.line + 1, key_mark.column + 1, value_mark.line + 1, value_mark.column + 1, raw
    )


class _Builder:
    """A stack machine over events; iterative so that deep nesting cannot overflow."""

    def __init__(self) -> None:
        self.out = Parsed()

    def problem(self, code: str, mark: Any, message: str) -> None:
        self.out.problems.append(Problem(code, mark.line + 1, mark.column + 1, message))

    def run(self, text: str) -> Parsed:
        out = self.out
        # frames: [container, path, pending_key, key_mark, has_key, seen_keys]
        stack: list[list[Any]] = []
        root: Any = None
        for ev in yaml.parse(text, Loader=_Loader):
            if isinstance(ev, DocumentStartEvent):
                out.documents += 1
                if out.documents == 2:
                    self.problem("RK011", ev.start_mark, "more than one YAML document in a file")
                    break
                continue
            if isinstance(ev, MappingEndEvent | SequenceEndEvent):
                done = stack.pop()
                if not stack:
                    root = done[0]
                continue
            if isinstance(ev, StreamEndEvent) or not isinstance(
                ev, ScalarEvent | MappingStartEvent | SequenceStartEvent | AliasEvent
            ):
                continue
            if isinstance(ev, MappingStartEvent | SequenceStartEvent) and len(stack) >= MAX_DEPTH:
                self.problem(
                    "RK001", ev.start_mark, f"YAML nested too deeply (over {MAX_DEPTH} levels)"
                )
                return out  # data stays None: the file cannot be used
            anchor = getattr(ev, "anchor", None)
            if isinstance(ev, AliasEvent):
                self.problem(
                    "RK005",
                    ev.start_mark,
                    f"alias *{ev.anchor}: anchors and aliases are not allowed",
                )
            elif anchor is not None:
                self.problem(
                    "RK005", ev.start_mark, f"anchor &{anchor}: anchors and aliases are not allowed"
                )
            tag = getattr(ev, "tag", None)
            if isinstance(ev, MappingStartEvent | SequenceStartEvent) and tag not in (
                None,
                "!",
                _STD + "map",
                _STD + "seq",
            ):
                self.problem("RK004", ev.start_mark, f"tag {tag} is not allowed (safe YAML only)")
            value: Any
            if isinstance(ev, ScalarEvent):
                value, bad_tag = _construct(ev)
                if bad_tag is not None:
                    self.problem(
                        "RK004", ev.start_mark, f"tag {bad_tag} is not allowed (safe YAML only)"
                    )
            elif isinstance(ev, MappingStartEvent):
                value = {}
            elif isinstance(ev, SequenceStartEvent):
                value = []
            else:
                value = None
            is_container = isinstance(ev, MappingStartEvent | SequenceStartEvent)
            raw = ev.value if isinstance(ev, ScalarEvent) else None
            if not stack:
                out.positions.by_path[()] = _loc(ev.start_mark, ev.start_mark)
                if is_container:
                    stack.append([value, (), None, None, False, set()])
                else:
                    root = value
                continue
            frame = stack[-1]
            container, path = frame[0], frame[1]
            child_path: KeyPath
            if isinstance(container, list):
                child_path = (*path, len(container))
                container.append(value)
                out.positions.by_path[child_path] = _loc(ev.start_mark, ev.start_mark, raw)
            elif not frame[4]:  # this event is a key
                if is_container:
                    self.problem(
                        "RK001", ev.start_mark, "a key must be a plain value, not a mapping or list"
                    )
                    frame[2], frame[4] = object(), True
                    stack.append([value, (*path, "?"), None, None, False, set()])
                    continue
                if isinstance(ev, ScalarEvent) and ev.value == "<<" and ev.implicit[0]:
                    self.problem("RK005", ev.start_mark, "merge keys (<<) are not allowed")
                key = value
                if not isinstance(key, str):
                    key = str(raw) if raw is not None else str(key)
                frame[2], frame[3], frame[4] = key, ev.start_mark, True
                continue
            else:  # this event is the value of the pending key
                key, key_mark = frame[2], frame[3]
                frame[4] = False
                if not isinstance(key, str):
                    if is_container:
                        stack.append([value, (*path, "?"), None, None, False, set()])
                    continue
                child_path = (*path, key)
                if key in frame[5]:
                    self.problem(
                        "RK003", key_mark, f"duplicate key '{key}' (a YAML reader keeps only one)"
                    )
                    if is_container:
                        stack.append([value, (*path, "?"), None, None, False, set()])
                    continue
                frame[5].add(key)
                container[key] = value
                out.positions.by_path[child_path] = _loc(key_mark, ev.start_mark, raw)
            if is_container:
                stack.append([value, child_path, None, None, False, set()])
        out.data = root
        return out


def _within(text: str, line: int, column: int) -> tuple[int, int]:
    """libyaml puts the end of a file without a final line break on a line past it."""
    breaks = [m.end() for m in _BREAK.finditer(text)]
    if line <= len(breaks) + 1:
        return line, column
    last = text[breaks[-1] :] if breaks else text.lstrip("\ufeff")
    return len(breaks) + 1, len(last) + 1


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    return lines[line][column : column + 1] if line < len(lines) else ""


def parse_reference(text: str) -> Parsed:
    """Parse `text`; YAML errors become problems located where the parser stopped."""
    builder = _Builder()
    try:
        return builder.run(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        line, col = _within(text, line, col)
        message = f"YAML syntax error: {exc.problem or exc.context or 'invalid YAML'}"
        code = "RK001"
        if mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            code, message = "RK002", "a tab where YAML allows only spaces (indentation)"
        builder.out.problems.append(Problem(code, line, col, message))
    except yaml.YAMLError as exc:
        line, col, message = 1, 1, str(exc).splitlines()[0] if str(exc) else "invalid YAML"
        mark = getattr(exc, "position", None)
        if isinstance(mark, int):
            line = text.count("\n", 0, mark) + 1
            col = mark - (text.rfind("\n", 0, mark) + 1) + 1
        builder.out.problems.append(Problem("RK001", line, col, f"YAML error: {message}"))
    except RecursionError:
        builder.out.problems.append(Problem("RK001", 1, 1, "YAML nested too deeply"))
    builder.out.data = None
    return builder.out
