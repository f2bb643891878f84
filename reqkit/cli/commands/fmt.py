from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 naming the files that would change."
)
@click.pass_context
def fmt(ctx: click.Context, paths: tuple[Path, ...], check: bool) -> None:
    """Put requirement files in canonical key order and style, comments kept.

    Also writes the right schema modeline for each file's folder. With PATHS, only those
    files (or the files under those folders).
    """
    from reqkit import api

    result = api.fmt(paths, root=ctx.obj["root"], check=check)
    for rel, reason in result.unreadable:
        console.out(f"{rel}: skipped: {reason}\n", err=True)
    verb = "would reformat" if check else "reformatted"
    for rel in result.changed:
        console.out(f"{verb} {rel}\n")
    console.out(f"{len(result.changed)} of {result.checked} files {verb}\n", err=True)
    if result.unreadable or (check and result.changed):
        ctx.exit(1)
