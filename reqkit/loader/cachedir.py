"""The one folder every reqkit cache lives in: `REQKIT_CACHE_DIR`, else the user cache dir.

On Linux the XDG rule is two lines, while importing platformdirs costs a warm check ~5 %
of its time (it imports tempfile, shutil, random, bz2 and lzma); elsewhere platformdirs
knows the platform's convention. tests/loader/test_cache.py holds the two to the same answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["cache_folder", "write_cache_file"]


def cache_folder() -> Path:
    override = os.environ.get("REQKIT_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return Path(base) / "reqkit"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("reqkit"))


def write_cache_file(path: Path, data: bytes) -> bool:
    """Write one cache file atomically (a reader sees the old file or the new one, never
    half of one); False instead of an error when it cannot be written: it is a cache."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        return False
    return True
