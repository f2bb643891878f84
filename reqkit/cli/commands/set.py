from __future__ import annotations

import click

from reqkit.cli import console


@click.command(name="set")
@click.argument("rid", metavar="ID")
@click.argument("assignments", nargs=-1, required=True, metavar="KEY=VALUE...")
@click.option("--force", is_flag=True, help="Allow a status change the lifecycle does not allow.")
@click.pass_context
def set_(ctx: click.Context, rid: str, assignments: tuple[str, ...], force: bool) -> None:
    """Edit fields of requirement ID in place, keeping comments, key order and quoting.

    KEY=VALUE sets a field (`source.channel=email` for nested ones; `KEY=` removes it),
    `tags+=x` adds to a list and `tags-=x` removes from it. `status=` follows the
    lifecycle. The result is checked first: if it has errors, nothing is written (exit 1).
    """
    from reqkit import api

    result = api.set_fields(rid, assignments, root=ctx.obj["root"], force=force)
    for d in result.diagnostics:
        console.out(f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code} {d.message}\n", err=True)
    if not result.written:
        console.out(f"not written: {result.path} would have errors\n", err=True)
        ctx.exit(1)
    console.out(f"{'updated' if result.changed else 'unchanged'} {result.path}\n")
