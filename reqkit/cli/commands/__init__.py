"""The command group; each sub-command lives in its own module."""

from __future__ import annotations

from pathlib import Path

import click

from reqkit._version import __version__
from reqkit.cli.commands.check import check
from reqkit.cli.commands.codeowners import codeowners
from reqkit.cli.commands.diff import diff
from reqkit.cli.commands.export import export
from reqkit.cli.commands.fmt import fmt
from reqkit.cli.commands.import_ import import_
from reqkit.cli.commands.init import init
from reqkit.cli.commands.new import new
from reqkit.cli.commands.release_notes import release_notes
from reqkit.cli.commands.report import report
from reqkit.cli.commands.review import review
from reqkit.cli.commands.schema import schema
from reqkit.cli.commands.set import set_
from reqkit.cli.commands.show import show
from reqkit.cli.commands.site import site
from reqkit.cli.commands.trace import trace

__all__ = ["cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="reqkit", message="%(prog)s %(version)s")
@click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="The requirements repository (default: found upward from here).",
)
@click.option("--debug", is_flag=True, help="Print tracebacks of internal errors.")
@click.pass_context
def cli(ctx: click.Context, root: Path | None, debug: bool) -> None:
    """Requirements management in a Git repository.

    Requirements are YAML files under reqs/; pull requests are the change requests.
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


cli.add_command(check)
cli.add_command(codeowners)
cli.add_command(diff)
cli.add_command(release_notes)
cli.add_command(review)
cli.add_command(show)
cli.add_command(export)
cli.add_command(fmt)
cli.add_command(import_)
cli.add_command(init)
cli.add_command(new)
cli.add_command(report)
cli.add_command(schema)
cli.add_command(site)
cli.add_command(trace)
cli.add_command(set_)
