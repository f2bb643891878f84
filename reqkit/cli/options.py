"""Options several commands share, spelled once so their names and types cannot drift."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

__all__ = ["code_option", "format_option", "tests_option"]

F = TypeVar("F", bound=Callable[..., Any])


def tests_option(help: str, *, exists: bool = False) -> Callable[[F], F]:
    """`--tests JUNIT.xml`, repeatable: test results in JUnit XML."""
    return click.option(
        "--tests",
        "tests",
        multiple=True,
        type=click.Path(exists=exists, dir_okay=False, path_type=Path),
        metavar="JUNIT.xml",
        help=help,
    )


def code_option(help: str, *, exists: bool = False) -> Callable[[F], F]:
    """`--code DIR`, repeatable: folders searched for `Implements: ID` references."""
    return click.option(
        "--code",
        "code",
        multiple=True,
        type=click.Path(exists=exists, file_okay=False, path_type=Path),
        metavar="DIR",
        help=help,
    )


def format_option(
    choices: list[str], *, default: str | None = None, required: bool = False, help: str
) -> Callable[[F], F]:
    """`--format FORMAT` into the parameter `fmt` (`format` is a builtin)."""
    if default is None:
        return click.option(
            "--format", "fmt", type=click.Choice(choices), required=required, help=help
        )
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(choices),
        default=default,
        show_default=True,
        help=help,
    )
