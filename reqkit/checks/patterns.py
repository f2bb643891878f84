"""Regular expressions compiled on first use, not at import.

The text rules hold dozens of large patterns; compiling them at import cost ~0.1 s on
every run, including warm runs that never lint a line.
"""

from __future__ import annotations

import re
from typing import Any, cast

__all__ = ["lazy"]


class _Lazy:
    """Compiles on the first attribute asked for, then keeps each bound method it hands
    out as its own attribute: later calls (`search`, `finditer`, hundreds of thousands in
    a cold check) are plain attribute reads that never reach `__getattr__` again."""

    def __init__(self, *args: Any) -> None:
        self._args = args
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)  # copy/pickle probing: not a pattern attribute
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        value = getattr(self._compiled, name)
        setattr(self, name, value)
        return value


def lazy(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern that compiles itself the first time it is used."""
    return cast("re.Pattern[str]", _Lazy(pattern, flags))
