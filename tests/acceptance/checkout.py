"""A copy of this checkout for tests that install or commit it (not a test module)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def snapshot(dest: Path) -> Path:
    """A copy of this checkout's files (what `git ls-files` shows, untracked included).

    pip builds a local project in its folder (setuptools writes `build/` there), so
    installing from a copy keeps the checkout under test as it was.
    """
    dest.mkdir(parents=True, exist_ok=True)
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if listed.returncode == 0:
        for rel in filter(None, listed.stdout.split("\0")):
            source = ROOT / rel
            if source.is_file():
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, dest / rel)
    else:  # not a Git checkout: everything but environments and caches
        shutil.copytree(
            ROOT,
            dest,
            ignore=shutil.ignore_patterns(".venv", ".git", "*cache*", "build", "*.egg-info"),
            dirs_exist_ok=True,
        )
    return dest
