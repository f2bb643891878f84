"""The import plan: which files to write, which rows are bad and why, what the config needs.

Nothing is written while planning. Every planned file is checked in memory against the
tree as it will be (with the extended config), so what `apply_plan` writes passes
`check`; a row linking to a bad row is bad too ("links to row N").
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reqkit.checks.context import CheckContext
from reqkit.checks.engine import check_entry, check_set
from reqkit.config import Config, parse_config
from reqkit.diagnostics import Severity
from reqkit.edit.atomic import atomic_write
from reqkit.edit.canonical import render
from reqkit.edit.config_edit import extend_config_text, read_config_text
from reqkit.edit.new import next_id
from reqkit.edit.roundtrip import merge_fields
from reqkit.errors import ConfigError, UsageError
from reqkit.ids import ID_CHARS, IdPattern
from reqkit.interchange.source import Incoming, Source
from reqkit.loader.discover import discover, git_top
from reqkit.loader.files import normalize_dates, parse_text, read_file
from reqkit.model.reqset import Entry, RequirementSet

__all__ = ["Bad", "ImportPlan", "Planned", "apply_plan", "make_plan"]


@dataclass(frozen=True)
class Planned:
    """One file to write: `action` is create, update or unchanged."""

    label: str
    id: str
    path: str  # relative to the project root
    action: str
    text: str


@dataclass(frozen=True)
class Bad:
    label: str
    reason: str


@dataclass(frozen=True)
class ImportPlan:
    files: tuple[Planned, ...]
    bad: tuple[Bad, ...]
    config_path: str | None = None
    config_text: str | None = None
    config_changes: tuple[str, ...] = ()
    defaults: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    assets: tuple[tuple[str, bytes], ...] = ()
    root: Path = field(default=Path("."))
    schema: tuple[str, str] | None = None  # the editor schema, regenerated for new fields

    @property
    def written(self) -> tuple[Planned, ...]:
        return tuple(p for p in self.files if p.action != "unchanged")


def _infer_pattern(rid: str) -> str | None:
    """`JIRA-12` → `JIRA-{seq:01}`: literal prefix, then the digits as the sequence."""
    match = re.fullmatch(r"(.*?)(\d+)", rid)
    if not match or not ID_CHARS.match(rid) or "{" in rid:
        return None
    prefix, digits = match.groups()
    width = len(digits) if digits.startswith("0") else 1
    try:
        return IdPattern(f"{prefix}{{seq:0{width}}}").text
    except ValueError:
        return None


def _needed_patterns(config: Config, source: Source) -> list[str]:
    patterns = [IdPattern(p) for p in (*config.ids, *source.ids)]
    needed = list(source.ids)
    for item in source.items:
        rid = item.data.get("id")
        if not isinstance(rid, str) or any(p.matches(rid) for p in patterns):
            continue
        guess = _infer_pattern(rid)
        if guess is not None:
            patterns.append(IdPattern(guess))
            needed.append(guess)
    return [p for p in dict.fromkeys(needed) if p not in config.ids]


def _title_from(description: str) -> str:
    first = re.split(r"(?<=[。！？!?])|(?<=\.)(?=\s)|\n", description.strip(), maxsplit=1)[0]
    first = first.strip().rstrip("。.") or description.strip()
    return first if len(first) <= 80 else first[:79].rstrip() + "…"


def _extended(config: Config, source: Source) -> tuple[Config, str | None, list[str]]:
    ids = _needed_patterns(config, source)
    fields = {k: v for k, v in source.fields.items() if k not in config.fields}
    if not ids and not fields:
        return config, None, []
    if config.source is None:
        raise UsageError("the project has no config file to extend")
    table = "tool.reqkit" if config.source.name == "pyproject.toml" else ""
    text = extend_config_text(
        read_config_text(config.source), table=table, raw=config.raw, ids=ids, fields=fields
    )
    from reqkit.edit.config_edit import extended_raw

    try:
        new = parse_config(
            extended_raw(config.raw, ids=ids, fields=fields), root=config.root, source=config.source
        )
    except ConfigError as exc:
        raise UsageError(f"the data needs a config the project cannot take: {exc}") from None
    changes = [f"ids += {p}" for p in ids]
    changes += [f"fields.{k} = {v}" for k, v in sorted(fields.items())]
    return new, text, changes


def _existing(config: Config) -> tuple[Path, list[Entry]]:
    boundary = (git_top(config.root) or config.root).resolve()
    folder = config.requirements_dir
    found = discover(folder, boundary) if folder.is_dir() else []
    entries = [
        Entry(
            os.path.relpath(os.path.abspath(f.path), config.root).replace(os.sep, "/"),
            f.path,
            read_file(Path(f.path), max_size=config.max_file_size),
        )
        for f in found
        if not f.escapes
    ]
    return boundary, entries


def _with_defaults(item: Incoming, config: Config, counts: Counter[str]) -> None:
    data = item.data
    if "type" not in data:
        data["type"] = "other"
        counts["type: other"] += 1
    if "status" not in data:
        data["status"] = config.states[0].name
        counts[f"status: {config.states[0].name}"] += 1
    if "title" not in data and isinstance(data.get("description"), str):
        data["title"] = _title_from(data["description"])
        counts["title: the first sentence of the description"] += 1
    normalize_dates(data)


def make_plan(
    source: Source,
    config: Config,
    *,
    into: Path,
    update: bool = False,
    today: dt.date | None = None,
) -> ImportPlan:
    """Plan an import into the folder `into` (inside the requirements folder)."""
    new_config, config_text, changes = _extended(config, source)
    _, existing = _existing(config)
    by_id = {e.known_id: e for e in existing}
    lowered = {e.known_id.lower(): e for e in existing}
    counts: Counter[str] = Counter()
    bad: dict[str, str] = {}
    owner: dict[str, str] = {}  # ID → label of the incoming item that has it
    taken = set(by_id) | {i.data["id"] for i in source.items if isinstance(i.data.get("id"), str)}
    if any("id" not in i.data for i in source.items):
        from reqkit.git.branch_ids import ids_on_branches

        taken |= ids_on_branches(config.requirements_dir)  # as `new` does
    today = today or dt.datetime.now(dt.UTC).date()
    planned: dict[str, tuple[Incoming, Path, str, str]] = {}
    for item in source.items:
        if item.problem:
            bad[item.label] = item.problem
            continue
        rid = item.data.get("id")
        if rid is None:
            rid = next_id(new_config.ids[0], taken, today=today)
            taken.add(rid)
            item.data["id"] = rid
            counts["id: the next free ID"] += 1
        rid = str(rid)
        item.data["id"] = rid
        normalize_dates(item.data)
        if rid in owner:
            bad[item.label] = f"ID {rid} again (first in {owner[rid]})"
            continue
        owner[rid] = item.label
        current = by_id.get(rid) or lowered.get(rid.lower())
        if current is not None and not update:
            bad[item.label] = f"{rid} exists ({current.path}); --update changes it"
            continue
        if current is not None:
            path = Path(current.abspath)
            old = current.source() or ""
            text = merge_fields(old, item.data)
            action = "unchanged" if text == old else "update"
        else:
            _with_defaults(item, new_config, counts)  # only a new file gets defaults
            path = into / item.folder / f"{rid}.yaml"
            if path.exists():
                bad[item.label] = f"{path} exists; --update changes it"
                continue
            text = render(item.data, file=path, root=config.root)
            action = "create"
        planned[item.label] = (item, path, text, action)
    ctx = CheckContext(new_config)
    entries: dict[str, Entry] = {}
    for label, (_item, path, text, _) in planned.items():
        rel = os.path.relpath(path, config.root).replace(os.sep, "/")
        entry = Entry(rel, str(path), parse_text(text))
        errors = [d for d in check_entry(entry, ctx) if d.severity is Severity.ERROR]
        if errors:
            bad[label] = "; ".join(_reason(d.message, d.code) for d in errors[:3])
        else:
            entries[label] = entry
    _settle(entries, existing, bad, owner, ctx)
    files = tuple(
        Planned(label, item.data["id"], entries[label].path, action, text)
        for label, (item, _, text, action) in planned.items()
        if label in entries
    )
    return ImportPlan(
        files=files,
        bad=tuple(Bad(label, reason) for label, reason in _in_order(bad, source)),
        config_path=os.path.relpath(config.source, config.root)
        if config_text and config.source
        else None,
        config_text=config_text,
        config_changes=tuple(changes),
        defaults=tuple(f"{what} ({n}×)" for what, n in sorted(counts.items())),
        notes=tuple(source.notes),
        assets=tuple(
            sorted(
                (os.path.relpath(into / rel, config.root).replace(os.sep, "/"), blob)
                for rel, blob in source.files.items()
            )
        ),
        root=config.root,
        schema=_schema(new_config) if config_text else None,
    )


def _schema(config: Config) -> tuple[str, str] | None:
    """The editor schema again, when the project has one: new custom fields join it."""
    from reqkit.model.schema import SCHEMA_PATH, schema_text

    return (SCHEMA_PATH, schema_text(config)) if (config.root / SCHEMA_PATH).is_file() else None


def _reason(message: str, code: str) -> str:
    return f"{message} ({code})"


def _in_order(bad: dict[str, str], source: Source) -> list[tuple[str, str]]:
    order = {item.label: i for i, item in enumerate(source.items)}
    return sorted(bad.items(), key=lambda kv: order.get(kv[0], len(order)))


def _settle(
    entries: dict[str, Entry],
    existing: list[Entry],
    bad: dict[str, str],
    owner: dict[str, str],
    ctx: CheckContext,
) -> None:
    """Drop items that link to bad ones, then items the whole-tree rules reject; repeat."""
    bad_ids = {rid: label for rid, label in owner.items() if label in bad}
    while True:
        changed = False
        for label, entry in list(entries.items()):
            hit = next((t for _, _, t in entry.links() if t in bad_ids), None)
            if hit is not None:
                bad[label] = f"links to {bad_ids[hit]}, which is not imported"
                bad_ids[entry.known_id] = label
                del entries[label]
                changed = True
        if changed:
            continue
        replaced = {e.path for e in entries.values()}
        tree = [e for e in existing if e.path not in replaced] + list(entries.values())
        by_path = {e.path: label for label, e in entries.items()}
        problems: dict[str, list[str]] = {}
        for d in check_set(RequirementSet(tree), ctx):
            if d.severity is Severity.ERROR and d.path in by_path:
                problems.setdefault(by_path[d.path], []).append(_reason(d.message, d.code))
        if not problems:
            return
        for label, reasons in problems.items():
            bad[label] = "; ".join(reasons[:3])
            bad_ids[entries[label].known_id] = label
            del entries[label]


def apply_plan(plan: ImportPlan, *, root: Path) -> list[str]:
    """Write the config change, the assets and the planned files; return what was written."""
    written: list[str] = []
    if plan.config_text is not None and plan.config_path is not None:
        atomic_write(root / plan.config_path, plan.config_text)
        written.append(plan.config_path)
    if plan.schema is not None:
        atomic_write(root / plan.schema[0], plan.schema[1])
        written.append(plan.schema[0])
    for rel, blob in plan.assets:
        if (root / rel).exists():
            continue
        atomic_write(root / rel, blob, overwrite=False)
        written.append(rel)
    bulk = len(plan.files) <= 50  # flushing each of thousands of files costs minutes
    for p in plan.files:
        if p.action == "unchanged":
            continue
        atomic_write(root / p.path, p.text, overwrite=p.action == "update", durable=bulk)
        written.append(p.path)
    return written
