from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console
from reqkit.cli.options import code_option, format_option, tests_option


@click.command()
@tests_option(
    "Test results in JUnit XML (pytest, Surefire, jest-junit, gotestsum, ctest; repeatable)."
)
@code_option("Folders whose Git-tracked files are searched for `Implements: ID` (repeatable).")
@format_option(
    ["md", "csv", "json", "html"],
    default="md",
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when the project's coverage rules fail.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Write to FILE (replacing it) instead of standard output.",
)
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the trace cache.")
@click.pass_context
def trace(
    ctx: click.Context,
    tests: tuple[Path, ...],
    code: tuple[Path, ...],
    fmt: str,
    strict: bool,
    output: Path | None,
    no_cache: bool,
) -> None:
    """Traceability matrix and coverage: requirements, tests with results, code.

    Traced: at least one test names the requirement. Verified: all of its tests ran and
    passed in the given results. Exits 0 when the output was produced; with --strict, 1
    when a coverage rule (or a test or comment naming an unknown ID) fails.
    """
    from reqkit import api
    from reqkit.outputs.trace import RENDERERS

    matrix = api.trace(ctx.obj["root"], tests=tests, code=code, cache=not no_cache)
    text = RENDERERS[fmt](matrix)
    if output is None:
        console.out(text)
    else:
        from reqkit.edit.atomic import atomic_write

        # generated and made again at will: all-or-nothing, but no fsync (~70 ms)
        atomic_write(output, text, durable=False)
    for d in matrix.findings if strict else ():
        console.out(f"{d.path}:{d.line}:{d.column}: {d.severity} {d.code} {d.message}\n", err=True)
    ctx.exit(1 if strict and not matrix.ok else 0)
