from __future__ import annotations

import click

from reqkit.cli import console
from reqkit.cli.options import format_option


@click.command()
@click.argument("rid", metavar="ID")
@click.option(
    "--history", "with_history", is_flag=True, help="Also list its commits and status changes."
)
@format_option(
    ["text", "json"],
    default="text",
    help="Output format.",
)
@click.pass_context
def show(ctx: click.Context, rid: str, with_history: bool, fmt: str) -> None:
    """One requirement, with its links both ways, its tests and its Git history."""
    from reqkit import api
    from reqkit.outputs.changes import show_text

    found = api.show(rid, root=ctx.obj["root"], with_history=with_history)
    if fmt == "json":
        console.out(show_text.render_json(found))
    else:
        console.out(show_text.render_text(found, history_asked=with_history))
