"""The one folder every reqkit cache lives in: `REQKIT_CACHE_DIR`, else the user cache dir.

On Linux the XDG rule is two lines, while importing platformdirs costs a warm check ~5 %
of its time (it imports tempfile, shutil, random, bz2 and lzma); elsewhere platformdirs
knows the platform's convention. tests/loader/test_cache.py holds the two to the same answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["cache_folder"]


def cache_folder() -> Path:
    override = os.environ.get("REQKIT_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return Path(base) / "reqkit"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reqkit"))
