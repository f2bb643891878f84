from __future__ import annotations

import os
from pathlib import Path

import click

from reqkit.cli import console


@click.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def init(ctx: click.Context, directory: Path | None) -> None:
    """Scaffold a requirements repository in DIRECTORY (default: here; created if missing).

    Writes reqkit.toml, reqs/ with one example of each requirement type, the editor
    schema, mkdocs.yml and docs/, GitHub workflows that check pull requests and publish
    the site, a pre-commit config, .gitignore and a README that explains the workflow.
    Never overwrites: if any of these files exists, init writes nothing and exits 2.
    """
    from reqkit import api

    target = directory if directory is not None else (ctx.obj.get("root") or Path("."))
    result = api.init(target)
    shown = os.path.relpath(result.root) if result.root.is_absolute() else str(result.root)
    lines = [f"created a requirements repository in {shown} ({len(result.written)} files):"]
    lines += [f"  {rel}" for rel in result.written]
    lines += ["", "next:"]
    if shown != ".":
        lines.append(f"  cd {shown}")
    lines += [
        "  reqkit check",
        '  git init && git add . && git commit -m "Requirements repository"',
        "  pre-commit install   # check on every commit (pip install pre-commit)",
    ]
    console.out("\n".join(lines) + "\n")
