from __future__ import annotations

import click

from reqkit.cli import console
from reqkit.cli.options import format_option


@click.command("release-notes")
@click.argument("from_ref", metavar="FROM")
@click.argument("to_ref", metavar="TO")
@format_option(
    ["md", "json"],
    default="md",
    help="Output format.",
)
@click.pass_context
def release_notes(ctx: click.Context, from_ref: str, to_ref: str, fmt: str) -> None:
    """Requirements released or closed at TO that were neither at FROM, grouped for humans.

    Each with its ID, title, requester and the pull requests that moved it (linked when
    `origin` is a GitHub or GitLab remote).
    """
    from reqkit import api
    from reqkit.outputs.changes import release_json, release_markdown

    notes = api.release_notes(from_ref, to_ref, root=ctx.obj["root"])
    console.out(release_markdown.render(notes) if fmt == "md" else release_json.render(notes))
