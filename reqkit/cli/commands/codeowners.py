from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console


@click.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The CODEOWNERS file (default: .github/CODEOWNERS at the top of the work tree).",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the file is out of date.")
@click.pass_context
def codeowners(ctx: click.Context, output: Path | None, check: bool) -> None:
    """Write CODEOWNERS lines from each requirement's `owner`, keeping your own lines.

    A change to a requirement then needs its owner's approval on the pull request.
    """
    from reqkit import api

    result = api.codeowners(root=ctx.obj["root"], output=output, check=check)
    for rid in result.skipped:
        console.out(f"{rid}: owner is not a user, @team or email; left out\n", err=True)
    if check:
        console.out(f"{result.path} is {'out of date' if result.changed else 'up to date'}\n")
        ctx.exit(1 if result.changed else 0)
    state = "written" if result.changed else "unchanged"
    console.out(f"{result.path}: {state}, {result.lines} requirement owner line(s)\n")
