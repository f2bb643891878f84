"""Warm `check`: per-file verdicts keyed by file content, trusted by stat like Git's index.

The cache lives in the user cache dir and is safe to delete. Its file name carries a
fingerprint of reqkit's own code, the config and the repository path, so it is never
shared between reqkit versions, configs or repositories. An entry is reused when the
file's size, mtime, inode and ctime are unchanged (ctime because `os.utime` can put an
edited file's mtime back, but not its ctime), or when its content hash is; files modified
within the last two seconds are never trusted (their mtime may not yet tell).
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reqkit.digest import blake2b, hex_digest
from reqkit.loader.cachedir import cache_folder, write_cache_file
from reqkit.loader.files import holds_date

__all__ = ["Cache", "CachedFile", "code_fingerprint", "content_hash"]

_RACY_NS = 2_000_000_000
_UNTRUSTED = -1  # the mtime of an entry kept for its content only: no stat matches it
_WRITE_ALONE_FROM = 20_000  # entries; below, forking a writer saves less than it costs
CachedFile = tuple[
    int, int, int, bytes, Any, list[tuple[Any, ...]], int
]  # size, mtime, ino, hash, data, diags, ctime


def content_hash(raw: bytes) -> bytes:
    return blake2b(raw, digest_size=16).digest()


@functools.cache
def code_fingerprint(*folders: str) -> str:
    """reqkit's version and the content of its modules (those under `folders` of the
    package, or all): the key of every cache, so that new code never reads an old cache.

    Content, not stat: pip dates every file at install time, and a CI job installs reqkit
    anew on each run; keyed by stat, a cache restored from an earlier run (the Action's)
    would never match. An install's RECORD holds every module's sha256 already; for a
    source tree, hashing ~0.8 MB of modules costs ~7 ms, so that digest is kept in the
    cache folder under their stat's (~1.5 ms): a run only hashes when a module's stat
    changed. Once per process: several caches of one run key on it."""
    from reqkit._version import __version__

    package = Path(__file__).resolve().parent.parent
    installed = _installed(package, __version__, folders)
    if installed is not None:
        return installed
    modules = [
        os.path.join(folder, name)
        for top in (folders or ("",))
        for folder, _, names in sorted(os.walk(package / top))
        for name in sorted(names)
        if name.endswith(".py")
    ]
    stat = blake2b(__version__.encode(), digest_size=8)
    for path in modules:
        st = os.stat(path)
        stat.update(f"{path}:{st.st_size}:{st.st_mtime_ns};".encode())
    memo = _memo_path(f"code-{stat.hexdigest()}")
    if memo is not None:
        with contextlib.suppress(OSError, UnicodeDecodeError):
            known = memo.read_text(encoding="ascii")
            if len(known) == 16:
                return known
    content = blake2b(__version__.encode(), digest_size=8)
    for path in modules:
        content.update(f"{os.path.relpath(path, package)}\0".encode())
        with open(path, "rb") as fh:
            content.update(blake2b(fh.read(), digest_size=16).digest())
    digest = content.hexdigest()
    if memo is not None:
        write_cache_file(memo, digest.encode("ascii"))
    return digest


def _installed(package: Path, version: str, folders: tuple[str, ...]) -> str | None:
    """The modules' digest an installer already wrote: the sha256 of each in the RECORD
    of this install (one small file, so a cold run hashes no module). None for a source
    tree (an editable install) or a RECORD that names no module."""
    record = package.parent / f"git_reqkit-{version}.dist-info" / "RECORD"
    try:
        with open(record, "rb") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    prefixes = tuple(f"reqkit/{f}/".encode() for f in folders) or (b"reqkit/",)
    mine = sorted(line for line in lines if line.startswith(prefixes) and b".py," in line)
    if not mine:
        return None
    h = blake2b(f"{version}|{','.join(folders)}".encode(), digest_size=8)
    for line in mine:
        h.update(line + b"\n")
    return h.hexdigest()


def _memo_path(name: str) -> Path | None:
    return None if os.environ.get("REQKIT_NO_CACHE") else cache_folder() / name


@dataclass
class Cache:
    path: Path | None
    entries: dict[str, CachedFile] = field(default_factory=dict)
    fresh: dict[str, CachedFile] = field(default_factory=dict)
    #: (signature of every file's stat, whole-tree diagnostics) from the last clean save
    tree: tuple[bytes, list[tuple[Any, ...]]] | None = None
    new_tree: tuple[bytes, list[tuple[Any, ...]]] | None = None
    _loaded: bool = False
    _writer: tuple[int, int] | None = None  # (pid, entries trusted by stat) of an early write

    @classmethod
    def open(cls, *, root: Path, config_fingerprint: str, enabled: bool = True) -> Cache:
        if not enabled or os.environ.get("REQKIT_NO_CACHE"):
            return cls(None)
        key = hex_digest(f"{code_fingerprint()}|{config_fingerprint}|{root.resolve()}", 24)
        path = cache_folder() / f"check-{key}.bin"
        cache = cls(path)
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            tree = marshal.loads(path.with_suffix(".tree").read_bytes())
            if isinstance(tree, tuple) and len(tree) == 2:
                cache.tree = tree
        return cache

    def _load_entries(self) -> None:
        if self.path is None or self._loaded:
            return
        self._loaded = True
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            loaded = marshal.loads(self.path.read_bytes())
            if isinstance(loaded, dict):
                self.entries = loaded

    def whole_tree(self, signature: bytes) -> list[tuple[Any, ...]] | None:
        """Every diagnostic of the last run, when no file was added, removed or touched."""
        if self.tree is not None and self.tree[0] == signature:
            self.new_tree = self.tree
            return self.tree[1]
        return None

    def remember_tree(self, signature: bytes, diags: list[tuple[Any, ...]]) -> None:
        self.new_tree = (signature, diags)

    def by_stat(self, rel: str, st: os.stat_result) -> CachedFile | None:
        self._load_entries()
        hit = self.entries.get(rel)
        if hit and (*hit[:3], *hit[6:]) == (
            st.st_size,
            st.st_mtime_ns,
            st.st_ino,
            st.st_ctime_ns,
        ):
            self.fresh[rel] = hit
            return hit
        return None

    def by_content(self, rel: str, digest: bytes, st: os.stat_result) -> CachedFile | None:
        hit = self.entries.get(rel)
        if hit and hit[3] == digest:
            renewed = (
                st.st_size,
                st.st_mtime_ns,
                st.st_ino,
                digest,
                hit[4],
                hit[5],
                st.st_ctime_ns,
            )
            self.fresh[rel] = renewed
            return renewed
        return None

    def put(
        self, rel: str, st: os.stat_result, digest: bytes, data: Any, diags: list[tuple[Any, ...]]
    ) -> None:
        """Remember one file's verdict. A file whose kept fields hold a date (`id:
        2024-05-06` unquoted) is not remembered: the cache stores plain values, and a date
        read back as text would link and collide where the parsed date does not, so a
        warm answer would differ from a cold one."""
        if self.path is None or holds_date(data):
            return
        self.fresh[rel] = (
            st.st_size,
            st.st_mtime_ns,
            st.st_ino,
            digest,
            data,
            diags,
            st.st_ctime_ns,
        )

    def save_entries_early(self) -> None:
        """Start writing the per-file entries now, in a forked process, when there are
        many: marshalling 100,000 of them takes ~0.25 s that the whole-tree rules can use.
        `save` waits for it and writes the rest."""
        from reqkit.loader.forked import jobs_for  # Linux only; REQKIT_JOBS=1 never forks

        if self.path is None or jobs_for(len(self.fresh), at_least=_WRITE_ALONE_FROM) < 2:
            return
        keep, trusted = self._trusted()
        with contextlib.suppress(OSError):
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child writes and leaves
                status = 1
                try:
                    status = 0 if write_cache_file(self.path, marshal.dumps(keep)) else 1
                finally:
                    os._exit(status)
            self._writer = (pid, trusted)

    def save(self) -> None:
        """Write what this run saw (atomically); entries too recent to trust by their stat
        are kept for their content, and the whole-tree answer is kept only without them."""
        if self.path is None or self.new_tree is self.tree:
            return  # a whole-tree hit: nothing new to say
        kept = self._join_writer()
        with contextlib.suppress(ValueError):  # (marshal: a value it cannot store)
            if kept is None:  # no early writer, or it failed: the entries are written here
                keep, kept = self._trusted()
                if not write_cache_file(self.path, marshal.dumps(keep)):
                    return
            tree = self.new_tree if kept == len(self.fresh) else None
            write_cache_file(self.path.with_suffix(".tree"), marshal.dumps(tree))

    def _join_writer(self) -> int | None:
        """How many entries the early writer wrote trusted by their stat, once it is done;
        None if it did not write."""
        if self._writer is None:
            return None
        pid, kept = self._writer
        self._writer = None
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            return None
        return kept if status == 0 else None

    def _trusted(self) -> tuple[dict[str, CachedFile], int]:
        """(the entries to write, how many of them a later stat may answer). A file changed
        within the racy window could change again without its stat showing it: its entry
        keeps its digest under an mtime no file has, so the next run compares its content
        (a fresh checkout, all files new, is then not parsed twice)."""
        now = time.time_ns()
        keep: dict[str, CachedFile] = {}
        trusted = 0
        for k, v in self.fresh.items():
            if now - v[1] > _RACY_NS:
                keep[k] = v
                trusted += 1
            else:
                keep[k] = (v[0], _UNTRUSTED, *v[2:])
        return keep, trusted
