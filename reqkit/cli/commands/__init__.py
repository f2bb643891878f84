"""The command group; each sub-command lives in its own module."""

from __future__ import annotations

from pathlib import Path

import click

from reqkit._version import __version__

__all__ = ["cli"]

#: name -> the module under reqkit.cli.commands and the click command in it. A command's
#: module is imported only when that command runs (or `--help` lists them all): a warm
#: `reqkit check` does not pay for importing the site, diff and report commands.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "check"),
    "codeowners": ("codeowners", "codeowners"),
    "diff": ("diff", "diff"),
    "export": ("export", "export"),
    "fmt": ("fmt", "fmt"),
    "import": ("import_", "import_"),
    "init": ("init", "init"),
    "new": ("new", "new"),
    "release-notes": ("release_notes", "release_notes"),
    "report": ("report", "report"),
    "review": ("review", "review"),
    "schema": ("schema", "schema"),
    "set": ("set", "set_"),
    "show": ("show", "show"),
    "site": ("site", "site"),
    "trace": ("trace", "trace"),
}


class _LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            import importlib

            module, attr = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(f"reqkit.cli.commands.{module}"), attr)
            self.add_command(command, cmd_name)
        return self.commands.get(cmd_name)


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
