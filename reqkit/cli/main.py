"""The `reqkit` group, global options and the one error boundary.

User mistakes (ReqkitError) print one line and exit 2; a bug writes its traceback to
the user cache dir and exits 3 (`--debug` prints it instead).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from reqkit._version import __version__

__all__ = ["main"]


def _crash_report(exc: BaseException) -> str:
    import os
    import platform
    import tempfile
    import time
    import traceback

    try:
        from platformdirs import user_cache_dir

        folder = user_cache_dir("reqkit")
        os.makedirs(folder, exist_ok=True)
    except Exception:
        folder = tempfile.gettempdir()
    path = os.path.join(folder, f"crash-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(
            f"reqkit {__version__}, Python {platform.python_version()}, {platform.platform()}\n"
        )
        fh.write(f"argv: {sys.argv!r}\n\n")
        fh.write("".join(traceback.format_exception(exc)))
    return path


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # answer before importing click: start-up budget 0.15 s
        sys.stdout.write(f"reqkit {__version__}\n")
        return 0
    import click

    from reqkit.cli.commands import cli
    from reqkit.errors import ReqkitError

    debug = "--debug" in args
    try:
        code = cli.main(args=args, prog_name="reqkit", standalone_mode=False)
    except ReqkitError as exc:
        sys.stderr.write(f"reqkit: error: {exc}\n")
        return 2
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.exceptions.Abort:
        sys.stderr.write("reqkit: aborted\n")
        return 130
    except click.ClickException as exc:
        hint = " (see reqkit --help)" if isinstance(exc, click.UsageError) else ""
        sys.stderr.write(f"reqkit: error: {exc.format_message()}{hint}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if debug:
            raise
        where = _crash_report(exc)
        sys.stderr.write(f"reqkit: internal error ({type(exc).__name__}); details in {where}\n")
        return 3
    return code if isinstance(code, int) else 0
