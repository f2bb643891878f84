from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console
from reqkit.cli.options import format_option

_FORMATS = ["csv", "xlsx", "json", "reqif", "doorstop", "github-issue"]


@click.command(name="import")
@click.argument("file", type=click.Path(exists=True, path_type=Path))
@format_option(
    _FORMATS,
    help="The input format (default: from the file name; a folder is a Doorstop tree).",
)
@click.option("--dry-run", is_flag=True, help="Show the plan; write nothing.")
@click.option("--update", is_flag=True, help="Change requirements that exist already.")
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write new files here (inside the requirements folder).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar='"Header=field"',
    help='Map a column to a field ("Summary=title"; "Reporter=-" skips it) or a '
    'value ("priority:High=must"). Repeatable.',
)
@click.pass_context
def import_(
    ctx: click.Context,
    file: Path,
    fmt: str | None,
    dry_run: bool,
    update: bool,
    into: Path | None,
    maps: tuple[str, ...],
) -> None:
    """Bring requirements in from CSV, Excel, JSON, ReqIF, a Doorstop tree or an issue form.

    Shows the plan first. Good rows are written; each bad row is reported as `row N`
    with the reason and the exit code is 1. Existing requirements are never changed
    without --update. The config is extended only where the data needs it.
    """
    from reqkit import api

    result = api.import_file(
        file, format=fmt, into=into, update=update, dry_run=dry_run, maps=maps, root=ctx.obj["root"]
    )
    plan = result.plan
    lines = ["plan:" if dry_run else "import:"]
    lines += [f"  config {plan.config_path}: {c}" for c in plan.config_changes]
    lines += [f"  default {d}" for d in plan.defaults]
    lines += [f"  note: {n}" for n in plan.notes]
    lines += [f"  {p.action} {p.path} ({p.label})" for p in plan.files]
    lines += [f"  copy {rel}" for rel, _ in plan.assets]
    console.out("\n".join(lines) + "\n")
    for bad in plan.bad:
        console.out(f"{file.name}: {bad.label}: {bad.reason}\n", err=True)
    counts = {a: sum(p.action == a for p in plan.files) for a in ("create", "update", "unchanged")}
    verb = "would write" if dry_run else "wrote"
    console.out(
        f"{verb} {counts['create']} new, {counts['update']} updated "
        f"({counts['unchanged']} unchanged); {len(plan.bad)} bad\n",
        err=True,
    )
    ctx.exit(1 if plan.bad else 0)
