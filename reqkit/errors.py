"""Errors that mean "reqkit could not run" (exit 2).

Problems *in the requirements* are never exceptions: they are `Diagnostic` values.
These exceptions are for a bad config, a missing repository, a bad option: the CLI
prints their message on one line and exits 2.

    ReqkitError
    ├── ConfigError       reqkit.toml / [tool.reqkit] is unreadable or invalid
    ├── RootNotFoundError no requirements repository upward from here
    ├── GitError          git failed, a ref does not resolve, or history is cut off (shallow)
    └── UsageError        an option or argument that cannot be acted on
"""

from __future__ import annotations

__all__ = ["ConfigError", "GitError", "ReqkitError", "RootNotFoundError", "UsageError"]


class ReqkitError(Exception):
    """reqkit could not run; the message is for the user, on one line."""


class ConfigError(ReqkitError):
    """The configuration is invalid; the message names the key and the reason."""


class RootNotFoundError(ReqkitError):
    """No folder upward holds `reqkit.toml` or a `pyproject.toml` with `[tool.reqkit]`."""


class UsageError(ReqkitError):
    """An option or argument that cannot be acted on."""


class GitError(ReqkitError):
    """git could not answer: not installed, a ref that does not resolve, a shallow clone."""
