from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the check cache.")
@click.pass_context
def check(
    ctx: click.Context, paths: tuple[Path, ...], fmt: str, strict: bool, no_cache: bool
) -> None:
    """Validate and lint requirements; report every problem in one run.

    With PATHS, the whole tree is still loaded (links need it) but only those files are
    reported on; paths that are not requirement files are ignored.
    """
    from reqkit import api
    from reqkit.outputs.diagnostics import RENDERERS

    result = api.check(paths, root=ctx.obj["root"], cache=not no_cache)
    if fmt == "text":
        console.out(RENDERERS["text"](result, color=console.use_color()))
    else:
        console.out(RENDERERS[fmt](result))
    ctx.exit(result.exit_code(strict=strict))
