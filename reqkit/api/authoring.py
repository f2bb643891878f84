"""`new`, `set` and `fmt`: write requirement files that pass `check`, or write nothing."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from reqkit.api.project import boundary_of, found_files, rel_path
from reqkit.checks.context import CheckContext
from reqkit.checks.engine import check_entry, check_set
from reqkit.config import Config, load_config
from reqkit.diagnostics import Diagnostic, Severity
from reqkit.edit.atomic import atomic_write
from reqkit.edit.canonical import modeline
from reqkit.errors import UsageError
from reqkit.loader.files import parse_text, read_files
from reqkit.model.reqset import Entry, RequirementSet

__all__ = [
    "FmtResult",
    "NewResult",
    "SetResult",
    "check_texts",
    "fmt",
    "new_requirement",
    "set_fields",
]


@dataclass(frozen=True)
class NewResult:
    """The requirement `new` wrote: its ID, its path (repository-relative) and findings."""

    id: str
    path: str
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class SetResult:
    """What `set` did: `written` is False when the result would not pass `check`."""

    id: str
    path: str
    written: bool
    changed: bool
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class FmtResult:
    """Files `fmt` changed (or, with `check`, would change), and files it could not read."""

    changed: tuple[str, ...]
    unreadable: tuple[tuple[str, str], ...] = ()
    checked: int = 0


def _entries(config: Config, skip: set[str]) -> tuple[Path, list[Entry]]:
    boundary, found = found_files(config)
    paths = [f.path for f in found if not f.escapes and os.path.abspath(f.path) not in skip]
    files = read_files(paths, max_size=config.max_file_size)
    return boundary, [
        Entry(rel_path(p, boundary), p, fd) for p, fd in zip(paths, files, strict=True)
    ]


def check_texts(
    config: Config, texts: Mapping[Path, str], *, tree: Sequence[Entry] | None = None
) -> list[Diagnostic]:
    """Check files as if `texts` (absolute path → new text) were on disk; findings in them only.

    The rest of the tree is read from disk (or taken from `tree`, already read) so links
    and duplicate IDs are judged too.
    """
    ctx = CheckContext(config)
    wanted = {os.path.abspath(p) for p in texts}
    if tree is None:
        boundary, entries = _entries(config, wanted)
    else:
        boundary = boundary_of(config)
        entries = [e for e in tree if os.path.abspath(e.abspath) not in wanted]
    fresh = [
        Entry(rel_path(p, boundary), os.path.abspath(p), parse_text(t)) for p, t in texts.items()
    ]
    found: list[Diagnostic] = []
    for entry in fresh:
        found.extend(check_entry(entry, ctx))
    paths = {e.path for e in fresh}
    found.extend(d for d in check_set(RequirementSet([*entries, *fresh]), ctx) if d.path in paths)
    return sorted(set(found))


def _errors(found: Sequence[Diagnostic]) -> list[Diagnostic]:
    return [d for d in found if d.severity is Severity.ERROR]


def _taken(config: Config, entries: Sequence[Entry]) -> set[str]:
    from reqkit.git.branch_ids import ids_on_branches

    taken = {e.stem for e in entries} | {e.known_id for e in entries}
    return taken | ids_on_branches(config.requirements_dir)


def new_requirement(
    *,
    title: str,
    type: str,
    parent: str | None = None,
    sets: Sequence[str] = (),
    root: str | Path | None = None,
    config: Config | None = None,
    today: dt.date | None = None,
) -> NewResult:
    """Write the next free ID's file from the template of `type`; never over a file.

    The ID is free in the working tree and in every local and remote-tracking branch.
    A child goes into its parent's folder. Raises UsageError (nothing written) when the
    result would have errors, e.g. an unknown parent or a bad `--set` value.
    """
    from reqkit.edit.new import new_text, next_id, template_text
    from reqkit.edit.roundtrip import parse_assignment
    from reqkit.model.requirement import TYPES

    config = config or load_config(Path(root) if root else None)
    if type not in TYPES:
        raise UsageError(f"unknown type '{type}'; expected one of {', '.join(TYPES)}")
    if not title.strip():
        raise UsageError("the title is empty")
    assignments = [parse_assignment(s) for s in sets]
    today = today or dt.datetime.now(dt.UTC).date()
    folder = config.requirements_dir
    _, entries = _entries(config, set())
    if parent:
        match = next((e for e in entries if e.known_id == parent), None)
        if match is None:
            raise UsageError(f"no requirement '{parent}' to be the parent{_hint(parent, entries)}")
        folder = Path(match.abspath).parent
    taken = _taken(config, entries)
    status = config.states[0].name
    for _attempt in range(50):
        rid = next_id(config.ids[0], taken, today=today)
        target = folder / f"{rid}.yaml"
        text = new_text(
            template=template_text(type, config.root),
            modeline=modeline(target, config.root),
            rid=rid,
            title=title.strip(),
            status=status,
            today=today,
            parent=parent,
            assignments=assignments,
            custom=config.fields,
        )
        found = check_texts(config, {target: text}, tree=entries)
        errors = _errors(found)
        if errors:
            raise UsageError("not written: " + "; ".join(f"{d.code} {d.message}" for d in errors))
        try:
            atomic_write(target, text, overwrite=False)
        except FileExistsError:
            taken.add(rid)  # written by someone else in the meantime: take the next one
            continue
        return NewResult(rid, rel_path(target, config.root), tuple(found))
    raise UsageError("could not find a free ID after 50 attempts")


def _hint(rid: str, entries: Sequence[Entry]) -> str:
    import difflib

    match = difflib.get_close_matches(rid, [e.known_id for e in entries], n=1, cutoff=0.6)
    return f"; did you mean '{match[0]}'?" if match else ""


def set_fields(
    rid: str,
    assignments: Sequence[str],
    *,
    root: str | Path | None = None,
    config: Config | None = None,
    force: bool = False,
) -> SetResult:
    """Apply `KEY=VALUE` edits to one requirement, keeping everything else as written.

    `status=` must follow the lifecycle (`force` skips that). The new text is checked
    in memory first; when it has errors, nothing is written (`written` is False).
    """
    from reqkit.edit.roundtrip import apply_assignments, parse_assignment

    config = config or load_config(Path(root) if root else None)
    parsed = [parse_assignment(a) for a in assignments]
    if not parsed:
        raise UsageError("nothing to set: give KEY=VALUE")
    _, entries = _entries(config, set())
    entry = next((e for e in entries if e.known_id == rid), None)
    if entry is None:
        raise UsageError(f"no requirement '{rid}'{_hint(rid, entries)}")
    text = entry.source()
    if text is None:
        raise UsageError(f"cannot read {entry.path}")
    for a in parsed:
        if a.key == "status" and not force:
            _check_transition(config, entry, a.value)
    new = apply_assignments(text, parsed, custom=config.fields)
    path = Path(entry.abspath)
    found = check_texts(config, {path: new}, tree=entries)
    if _errors(found):
        return SetResult(rid, entry.path, False, new != text, tuple(found))
    if new != text:
        atomic_write(path, new)
    return SetResult(rid, entry.path, True, new != text, tuple(found))


def _check_transition(config: Config, entry: Entry, target: str) -> None:
    if config.state(target) is None:
        raise UsageError(
            f"unknown status '{target}'; expected one of {', '.join(config.state_names)}"
        )
    current = entry.data.get("status") if entry.data else None
    state = config.state(current) if isinstance(current, str) else None
    if state is None or target == current or target in state.next:
        return
    allowed = ", ".join(state.next) or "nothing"
    raise UsageError(
        f"status '{current}' may move to {allowed}, not to '{target}' (see the lifecycle)"
    )


def fmt(
    paths: Sequence[str | Path] = (),
    *,
    root: str | Path | None = None,
    config: Config | None = None,
    check: bool = False,
) -> FmtResult:
    """Rewrite files in canonical key order and style, comments kept; `check` writes nothing.

    Files that do not parse are left alone and listed in `unreadable`.
    """
    from reqkit.edit.roundtrip import format_text
    from reqkit.edit.shape import looks_canonical

    config = config or load_config(Path(root) if root else None)
    boundary, found = found_files(config)
    wanted = _selected(paths, [f.path for f in found if not f.escapes])
    changed: list[str] = []
    unreadable: list[tuple[str, str]] = []
    for path in wanted:
        rel = rel_path(path, boundary)
        try:
            text = Path(path).read_text(encoding="utf-8")
            line = modeline(Path(path), config.root)
            if looks_canonical(text, modeline=line):
                continue
            new = format_text(text, modeline=line)
        except (OSError, UnicodeDecodeError, UsageError) as exc:
            unreadable.append((rel, str(exc)))
            continue
        if new != text:
            changed.append(rel)
            if not check:
                atomic_write(Path(path), new)
    return FmtResult(tuple(changed), tuple(unreadable), len(wanted))


def _selected(paths: Sequence[str | Path], files: list[str]) -> list[str]:
    if not paths:
        return files
    out: list[str] = []
    for p in paths:
        absolute = os.path.abspath(p)
        if not os.path.exists(absolute):
            raise UsageError(f"{p}: no such file or folder")
        prefix = absolute.rstrip(os.sep) + os.sep
        out.extend(
            f
            for f in files
            if os.path.abspath(f) == absolute or os.path.abspath(f).startswith(prefix)
        )
    return sorted(set(out))
