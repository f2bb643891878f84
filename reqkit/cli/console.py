"""The only place that writes to the terminal."""

from __future__ import annotations

import os
import sys
from typing import TextIO

__all__ = ["out", "use_color"]


def use_color(stream: TextIO = sys.stdout) -> bool:
    """Colour only on a terminal, never with NO_COLOR set (no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return stream.isatty()


def out(text: str, *, err: bool = False) -> None:
    stream = sys.stderr if err else sys.stdout
    encoding = getattr(stream, "encoding", None) or "utf-8"
    # File names that are not UTF-8 arrive as surrogates: show them, never crash on them.
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    stream.flush()
