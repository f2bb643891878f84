from __future__ import annotations

import sys

import click

from reqkit.cli import console


@click.command()
@click.option("--title", help="The requirement's title (asked for in a terminal).")
@click.option(
    "--type",
    "kind",
    help="functional, experience, bug, performance, security, "
    "compliance or other (asked for in a terminal).",
)
@click.option("--parent", metavar="ID", help="The parent requirement; the file goes in its folder.")
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Another field, e.g. --set priority=must --set source.channel=email (repeatable).",
)
@click.option("--edit", is_flag=True, help="Open the new file in $EDITOR.")
@click.pass_context
def new(
    ctx: click.Context,
    title: str | None,
    kind: str | None,
    parent: str | None,
    sets: tuple[str, ...],
    edit: bool,
) -> None:
    """Create a requirement with the next free ID and print its ID and path.

    The ID is free in the working tree and in every local and remote-tracking branch;
    the file comes from the template of its type (a project's own templates live in
    .reqkit/templates/TYPE.yaml) and is never written over an existing file.
    """
    from reqkit import api
    from reqkit.errors import UsageError
    from reqkit.model.requirement import TYPES

    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    if title is None:
        if not interactive:
            raise UsageError("missing --title (run it in a terminal to be asked)")
        title = click.prompt("Title")
    if kind is None:
        if not interactive:
            raise UsageError("missing --type (run it in a terminal to be asked)")
        kind = click.prompt("Type", type=click.Choice(TYPES), default="functional")
    result = api.new_requirement(
        title=title, type=kind, parent=parent, sets=sets, root=ctx.obj["root"]
    )
    console.out(f"{result.id}\t{result.path}\n")
    for d in result.diagnostics:
        console.out(f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code} {d.message}\n", err=True)
    if edit:
        import os
        from pathlib import Path

        from reqkit.config import load_config

        root = load_config(ctx.obj["root"]).root
        click.edit(filename=os.fspath(Path(root) / result.path))
