"""`reqkit site build` and `reqkit site serve`: the published site."""

from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console
from reqkit.cli.options import code_option, tests_option

_ENGINES = click.Choice(["mkdocs", "properdocs", "zensical"])
_engine = click.option(
    "--engine",
    type=_ENGINES,
    help="The static site engine (default: site.engine in the config, else mkdocs).",
)
_site_config = click.option(
    "--config-file",
    "site_config",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The site settings to merge (default: mkdocs.yml at the root, if any).",
)


@click.group()
def site() -> None:
    """The published site: every requirement, the matrix, reports and findings."""


@site.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write the HTML (default: site_dir of mkdocs.yml, else site/).",
)
@_engine
@_site_config
@click.option("--strict", is_flag=True, help="Fail on any warning of the engine.")
@tests_option(
    "Test results (JUnit XML, repeatable): each test's last result on the pages.", exists=True
)
@code_option("Folders searched for `Implements: ID` comments (repeatable).", exists=True)
@click.option(
    "--build-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Keep the generated Markdown and engine config here (default: a temporary folder).",
)
@click.pass_context
def build(
    ctx: click.Context,
    output: Path | None,
    engine: str | None,
    site_config: Path | None,
    strict: bool,
    tests: tuple[Path, ...],
    code: tuple[Path, ...],
    build_dir: Path | None,
) -> None:
    """Generate the requirement pages and build the static site."""
    from reqkit import api

    result = api.build_site(
        root=ctx.obj["root"],
        output=output,
        engine=engine,
        strict=strict,
        site_config=site_config,
        build_dir=build_dir,
        tests=tests,
        code=code,
    )
    console.out(
        f"built {result.pages} pages for {result.requirements} requirements"
        f" with {result.engine} into {result.output}\n"
    )


@site.command()
@_engine
@_site_config
@click.option("-a", "--address", default="127.0.0.1:8000", show_default=True, help="IP:PORT.")
@click.pass_context
def serve(ctx: click.Context, engine: str | None, site_config: Path | None, address: str) -> None:
    """Serve the site locally; pages follow edits to requirement files."""
    from reqkit import api

    ctx.exit(
        api.serve_site(
            root=ctx.obj["root"], engine=engine, address=address, site_config=site_config
        )
    )
