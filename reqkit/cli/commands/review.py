from __future__ import annotations

import click

from reqkit.cli import console


@click.command()
@click.argument("ids", metavar="ID...", nargs=-1, required=True)
@click.option("-m", "--message", "note", help="A note to keep in the review commit.")
@click.pass_context
def review(ctx: click.Context, ids: tuple[str, ...], note: str | None) -> None:
    """Record that ID... still fit their parents as they read now (clears suspect links).

    Makes an empty commit on HEAD with a `Reqkit-Reviewed: ID` line: it changes no file,
    so it never conflicts with another branch; staged changes stay staged.
    """
    from reqkit import api

    commit = api.review(ids, root=ctx.obj["root"], note=note)
    console.out(f"reviewed {', '.join(ids)} in {commit[:12]}\n")
