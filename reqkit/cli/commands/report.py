from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console
from reqkit.cli.options import format_option


@click.command()
@format_option(
    ["md", "json", "html"],
    default="md",
    help="Markdown (mail, PR comment), JSON (documented shape) or one HTML page with charts.",
)
@click.option(
    "--at",
    metavar="REF",
    help="The report as it stood at a Git ref (tag, branch, commit), or at the end of a "
    "day given as YYYY-MM-DD (UTC): the last commit on or before it.",
)
@click.option(
    "--stale-days",
    type=click.IntRange(min=1),
    help="Open and unchanged this many days is stale (default: [report] stale_days, 30).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.pass_context
def report(
    ctx: click.Context, fmt: str, at: str | None, stale_days: int | None, output: Path | None
) -> None:
    """Status report: counts, overdue, stale, SLA, evaluations due, flow, near-duplicates.

    Ages and SLA clocks are measured now, or at SOURCE_DATE_EPOCH when it is set.
    """
    import datetime as dt
    import os

    from reqkit import api
    from reqkit.errors import UsageError
    from reqkit.outputs.report import RENDERERS

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.strip().isdigit():
        raise UsageError(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds")
    now = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else None
    result = api.report(ctx.obj["root"], at=at, now=now, stale_days=stale_days)
    text = RENDERERS[fmt](result)
    if output is None:
        console.out(text)
    else:
        from reqkit.edit.atomic import atomic_write

        try:
            # generated and made again at will: all-or-nothing, but no fsync (~70 ms)
            atomic_write(output, text, durable=False)
        except OSError as exc:
            raise UsageError(f"cannot write {output}: {exc.strerror}") from None
        console.out(f"wrote {output}\n", err=True)
