from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console
from reqkit.cli.options import format_option


@click.command()
@click.argument("base")
@click.argument("head", required=False)
@format_option(
    ["md", "json"],
    default="md",
    help="md for a pull-request comment or the job summary; json for tools.",
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help='Also append the Markdown to FILE, e.g. "$GITHUB_STEP_SUMMARY".',
)
@click.pass_context
def diff(
    ctx: click.Context, base: str, head: str | None, fmt: str, summary_file: Path | None
) -> None:
    """What a change does to requirements, from the merge-base of BASE and HEAD to HEAD.

    HEAD defaults to the working tree. Lists requirements added, removed, renamed and
    changed (old → new, with a line diff for long text), status transitions, and the
    impact of each change: children, dependants and verifying tests.
    """
    from reqkit import api
    from reqkit.outputs.changes import diff_json, diff_markdown

    result = api.diff(base, head, root=ctx.obj["root"])
    markdown = diff_markdown.render(result)
    console.out(markdown if fmt == "md" else diff_json.render(result))
    if summary_file is not None:
        from reqkit.errors import UsageError

        try:
            with summary_file.open("a", encoding="utf-8", newline="\n") as fh:
                fh.write(markdown + "\n")
        except OSError as exc:
            raise UsageError(f"cannot append to {summary_file}: {exc.strerror}") from None
