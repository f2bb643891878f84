from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console


@click.command()
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 if the schema file is missing or stale.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write (default: schema/requirement.schema.json).",
)
@click.pass_context
def schema(ctx: click.Context, check_only: bool, output: Path | None) -> None:
    """Write the JSON Schema for requirement files, generated from the model."""
    from reqkit import api

    result = api.write_schema(root=ctx.obj["root"], output=output, check=check_only)
    if check_only:
        if result.stale:
            console.out(f"{result.path} is stale; run `reqkit schema` to update it\n", err=True)
            ctx.exit(1)
        console.out(f"{result.path} is up to date\n")
    else:
        console.out(f"{'wrote' if result.stale else 'unchanged'} {result.path}\n")
