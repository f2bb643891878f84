from __future__ import annotations

from pathlib import Path

import click

from reqkit.cli import console
from reqkit.cli.options import code_option, format_option, tests_option


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(
    ["text", "json", "github", "sarif", "gitlab"],
    default="text",
    help="Output format: github makes annotations on a pull request; gitlab is a GitLab "
    "Code Quality report.",
)
@click.option("--strict", is_flag=True, help="Warnings fail the run too (exit 1).")
@click.option(
    "--linked",
    is_flag=True,
    help=(
        "With PATHS: also report what a change to them breaks in other files (links to "
        "them, and links to requirements that no longer exist). The pre-commit hook uses it."
    ),
)
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also append a Markdown summary (counts, the first 50 problems) to FILE, "
    'e.g. "$GITHUB_STEP_SUMMARY".',
)
@click.option(
    "--counts",
    "counts_file",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also append errors=N, warnings=N, files=N and requirements=N lines to FILE, "
    'e.g. "$GITHUB_OUTPUT".',
)
@click.option(
    "--base",
    metavar="REF",
    help="Also judge the change against this Git ref, as a pull request: status transitions "
    "since the merge-base, ID collisions with the tip of REF, suspect links.",
)
@tests_option("Test results (JUnit XML, repeatable): also enforce the coverage rules.")
@code_option("Folders to search for `Implements: ID` references (repeatable).")
@click.option("--no-cache", is_flag=True, help="Ignore and do not write the check cache.")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    fmt: str,
    strict: bool,
    linked: bool,
    summary_file: Path | None,
    counts_file: Path | None,
    no_cache: bool,
    base: str | None,
    tests: tuple[Path, ...],
    code: tuple[Path, ...],
) -> None:
    """Validate and lint requirements; report every problem in one run.

    With PATHS, the whole tree is still loaded (links need it) but only those files are
    reported on; paths that are not requirement files are ignored.
    """
    from reqkit import api
    from reqkit.outputs.diagnostics import RENDERERS

    result = api.check(
        paths,
        root=ctx.obj["root"],
        cache=not no_cache,
        linked=linked,
        base=base,
        tests=tests,
        code=code,
    )
    if fmt == "text":
        console.out(RENDERERS["text"](result, color=console.use_color()))
    else:
        console.out(RENDERERS[fmt](result))
    if summary_file is not None:
        from reqkit.outputs.diagnostics import markdown

        _append(summary_file, markdown.render(result))
    if counts_file is not None:
        s = result.summary
        _append(
            counts_file,
            f"errors={s.errors}\nwarnings={s.warnings}\n"
            f"files={s.files}\nrequirements={s.requirements}\n",
        )
    ctx.exit(result.exit_code(strict=strict))


def _append(path: Path, text: str) -> None:
    from reqkit.errors import UsageError

    try:
        with path.open("a", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
    except OSError as exc:
        raise UsageError(f"cannot append to {path}: {exc.strerror}") from None
