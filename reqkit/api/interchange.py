"""`import` and `export`: requirements in from spreadsheets, Doorstop, ReqIF, issue forms; out
to CSV, Excel, JSON and ReqIF. Export → import gives the same requirements."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reqkit.api.project import load
from reqkit.config import Config, load_config
from reqkit.errors import UsageError
from reqkit.interchange.plan import ImportPlan, apply_plan, make_plan
from reqkit.interchange.source import Source

__all__ = [
    "EXPORT_FORMATS",
    "IMPORT_FORMATS",
    "ImportResult",
    "export",
    "import_file",
    "plan_import",
]

IMPORT_FORMATS = ("csv", "xlsx", "json", "reqif", "doorstop", "github-issue")
EXPORT_FORMATS = ("csv", "xlsx", "json", "reqif")


@dataclass(frozen=True)
class ImportResult:
    """The plan, and (unless a dry run) the paths written, relative to the project root."""

    plan: ImportPlan
    written: tuple[str, ...]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.plan.bad


def detect_format(path: Path) -> str:
    """The format a file's name and first bytes say it is."""
    if path.is_dir():
        return "doorstop"
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        return "csv"
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix in (".reqif", ".reqifz", ".xml"):
        return "reqif"
    if suffix == ".json":
        try:
            head = path.read_text(encoding="utf-8-sig").lstrip()[:1]
        except (OSError, UnicodeDecodeError):
            head = ""
        return "github-issue" if head == "{" else "json"
    raise UsageError(f"cannot tell the format of {path.name}; pass --format")


def read_source(path: Path, fmt: str, *, config: Config, maps: Sequence[str] = ()) -> Source:
    """Read `path` in format `fmt` into what the import plan takes."""
    from reqkit.interchange.tabular import parse_maps

    parsed_maps = parse_maps(maps)
    if fmt == "csv":
        from reqkit.interchange.csv_io import read_csv

        return read_csv(path, maps=parsed_maps, custom=config.fields)
    if fmt == "xlsx":
        from reqkit.interchange.xlsx import read_xlsx

        return read_xlsx(path, maps=parsed_maps, custom=config.fields)
    if fmt == "json":
        from reqkit.interchange.json_io import read_json

        return read_json(path, custom=config.fields)
    if fmt == "reqif":
        from reqkit.interchange.reqif_in import read_reqif

        return read_reqif(path, custom=config.fields)
    if fmt == "doorstop":
        from reqkit.interchange.doorstop import read_doorstop

        return read_doorstop(path)
    if fmt == "github-issue":
        from reqkit.interchange.issue_form import read_issue

        return read_issue(path)
    raise UsageError(f"unknown import format '{fmt}'; expected one of {', '.join(IMPORT_FORMATS)}")


def plan_import(
    file: str | Path,
    *,
    format: str | None = None,
    into: str | Path | None = None,
    update: bool = False,
    maps: Sequence[str] = (),
    root: str | Path | None = None,
    config: Config | None = None,
) -> ImportPlan:
    """What `import_file` would do, writing nothing."""
    config = config or load_config(Path(root) if root else None)
    path = Path(file)
    if not path.exists():
        raise UsageError(f"{file}: no such file")
    fmt = format or detect_format(path)
    target = Path(into).resolve() if into is not None else config.requirements_dir
    reqs = config.requirements_dir.resolve()
    if target != reqs and reqs not in target.parents:
        raise UsageError(f"--into must be inside the requirements folder '{config.requirements}'")
    source = read_source(path, fmt, config=config, maps=maps)
    return make_plan(source, config, into=target, update=update)


def import_file(
    file: str | Path,
    *,
    format: str | None = None,
    into: str | Path | None = None,
    update: bool = False,
    dry_run: bool = False,
    maps: Sequence[str] = (),
    root: str | Path | None = None,
) -> ImportResult:
    """Import requirements: good rows written, bad rows reported, nothing overwritten
    without `update`. The config is extended where the data needs it (shown in the plan).
    """
    config = load_config(Path(root) if root else None)
    plan = plan_import(file, format=format, into=into, update=update, maps=maps, config=config)
    if dry_run:
        return ImportResult(plan, (), True)
    written = apply_plan(plan, root=config.root)
    return ImportResult(plan, tuple(written), False)


def _items(config: Config) -> list[dict[str, Any]]:
    reqs = load(config=config)
    items = [
        e.data for e in reqs.entries if e.data is not None and isinstance(e.data.get("id"), str)
    ]
    return sorted(items, key=lambda d: str(d["id"]))


def export(
    *,
    format: str,
    headers: str = "fields",
    root: str | Path | None = None,
    config: Config | None = None,
) -> bytes:
    """Every requirement in `format` (csv, xlsx, json, reqif), as the bytes of a file."""
    config = config or load_config(Path(root) if root else None)
    if headers not in ("fields", "zh", "en"):
        raise UsageError("--headers expects fields, zh or en")
    items = _items(config)
    if format == "csv":
        from reqkit.interchange.csv_io import write_csv

        return write_csv(items, headers=headers)
    if format == "xlsx":
        from reqkit.interchange.xlsx import write_xlsx

        return write_xlsx(items, headers=headers)
    if format == "json":
        from reqkit.interchange.json_io import write_json

        return write_json(items)
    if format == "reqif":
        from reqkit.interchange.reqif_out import write_reqif

        title = os.path.basename(os.path.abspath(config.root))
        return write_reqif(items, title=title)
    raise UsageError(
        f"unknown export format '{format}'; expected one of {', '.join(EXPORT_FORMATS)}"
    )
