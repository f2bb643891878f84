from __future__ import annotations

import sys
from pathlib import Path

import click

from reqkit.cli.options import format_option


@click.command()
@format_option(
    ["csv", "xlsx", "reqif", "json"],
    required=True,
    help="The output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE (default: standard output; xlsx needs -o).",
)
@click.option(
    "--headers",
    type=click.Choice(["fields", "zh", "en"]),
    default="fields",
    show_default=True,
    help="CSV/Excel headers: field names, or the seed template's "
    "columns first with Chinese or English headers.",
)
@click.pass_context
def export(ctx: click.Context, fmt: str, output: Path | None, headers: str) -> None:
    """Write every requirement as CSV, Excel, ReqIF 1.2 or a JSON list sorted by ID."""
    from reqkit import api
    from reqkit.edit.atomic import atomic_write
    from reqkit.errors import UsageError

    if fmt == "xlsx" and output is None and sys.stdout.isatty():
        raise UsageError("an Excel workbook is binary: pass -o FILE.xlsx")
    blob = api.export(format=fmt, headers=headers, root=ctx.obj["root"])
    if output is None:
        sys.stdout.buffer.write(blob)
        sys.stdout.buffer.flush()
        return
    try:
        atomic_write(output, blob)
    except OSError as exc:
        raise UsageError(f"cannot write {output}: {exc.strerror}") from None
