"""Which tracked files may hold code references: one `git grep` instead of reading them all.

`find_refs` reads a file only to drop it when the keyword is absent, so at 5,000 files a
search is mostly reading files that hold nothing. `git grep -l -F KEYWORD` lists, in one
process, the tracked files whose work-tree text holds the keyword, and only those (with
the entries below) are read. The answer is the same as reading every tracked file,
because git grep reads exactly those bytes for a plain file that Git sees as it is. The
entries where it does not are read by reqkit as before: symlinks (git grep skips them;
reqkit follows them), files marked assume-unchanged or skip-worktree (git grep reads the
index's copy), and files whose work tree differs in kind from the index (`ls-files -m`).
When git grep finds nothing, or fails, every tracked file is read: "nothing" is then
reqkit's own answer, never git's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reqkit.git.runner import Runner

__all__ = ["tracked_files"]

_PLAIN = (b"100644", b"100755")


def tracked_files(runner: Runner, specs: Sequence[str], needle: bytes | None) -> list[str]:
    """Paths (from the top of the work tree, sorted) of the tracked files under `specs`
    that may contain `needle`; every tracked file when `needle` is None."""
    out = runner.run("ls-files", "-z", "-s", "-v", "-m", "--full-name", "--", *specs)
    everything: set[str] = set()
    special: set[str] = set()
    for record in out.split(b"\0"):
        if not record:
            continue
        meta, _, raw = record.partition(b"\t")
        name = raw.decode("utf-8", "surrogateescape")
        everything.add(name)
        if not meta.startswith(b"H ") or meta[2:8] not in _PLAIN:
            special.add(name)  # a symlink, assume-unchanged, skip-worktree, modified, unmerged
    if needle is None or not needle.strip() or b"\n" in needle or b"\0" in needle:
        return sorted(everything)
    found = runner.run(
        "grep",
        "-l",
        "-z",
        "-F",
        "--full-name",
        "--no-color",
        "--no-textconv",
        "-e",
        needle.decode("utf-8", "surrogateescape"),
        "--",
        *specs,
        check=False,  # exit 1: no file matched; either way the answer below is reqkit's
    )
    hits = {name.decode("utf-8", "surrogateescape") for name in found.split(b"\0") if name}
    if not hits:
        return sorted(everything)
    return sorted((hits & everything) | special)
