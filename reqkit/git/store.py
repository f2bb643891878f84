"""The history cache: the built history per tip commit, and a summary per file version.

Next to the check cache in the user cache dir (`REQKIT_CACHE_DIR` overrides), safe to
delete. Its name carries a fingerprint of reqkit's version and of the code that reads
history (`git/`, `loader/`), the repository and the folder, so a
new reqkit version or another repository never reads it. A commit never changes, so an
entry keyed by commit can never be stale; `REQKIT_NO_CACHE` turns it off.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reqkit.git.snapshot import BlobSummary
from reqkit.loader.cachedir import write_cache_file

__all__ = ["HistoryStore"]


def _fingerprint() -> str:
    """reqkit's version and the code that decides what is cached: git/ and the readers."""
    from reqkit.loader.cache import code_fingerprint

    return code_fingerprint("git", "loader")


_TIPS_KEPT = 4
_DATA_LIMIT = 200_000  # parsed versions kept; past this the table starts afresh


def _age(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


class HistoryStore:
    def __init__(self, folder: Path | None, key: str) -> None:
        self.folder = folder
        self.key = key
        self._blobs: dict[str, BlobSummary] | None = None
        self._data: dict[str, Any] | None = None

    @classmethod
    def open(cls, *, top: Path, requirements: str, enabled: bool = True) -> HistoryStore:
        if not enabled or os.environ.get("REQKIT_NO_CACHE"):
            return cls(None, "")
        from reqkit.loader.cachedir import cache_folder

        key = hashlib.sha256(
            f"{_fingerprint()}|{top.resolve()}|{requirements}".encode()
        ).hexdigest()[:24]
        return cls(cache_folder(), key)

    def _path(self, kind: str) -> Path | None:
        return None if self.folder is None else self.folder / f"{kind}-{self.key}.bin"

    def _read(self, kind: str) -> Any:
        path = self._path(kind)
        if path is None:
            return None
        with contextlib.suppress(OSError, ValueError, EOFError, TypeError):
            return marshal.loads(path.read_bytes())
        return None

    def _write(self, kind: str, value: Any) -> None:
        path = self._path(kind)
        if path is not None:
            write_cache_file(path, marshal.dumps(value))

    def load(self, tip: str) -> dict[str, Any] | None:
        found = self._read(f"history-{tip[:16]}")
        if isinstance(found, dict) and found.get("tip") == tip:
            data = found.get("data")
            return data if isinstance(data, dict) else None
        return None

    def save(self, tip: str, data: dict[str, Any]) -> None:
        """Keep the built history of the last few tips (HEAD, a release tag, a base)."""
        self._write(f"history-{tip[:16]}", {"tip": tip, "data": data})
        self._trim("history")

    def load_log(self) -> tuple[str, Any] | None:
        """(tip, rows) of the last log read: a later tip extends it."""
        found = self._read("log")
        if isinstance(found, dict) and isinstance(found.get("tip"), str):
            return found["tip"], found.get("rows")
        return None

    def has_log(self) -> bool:
        """Whether a log is kept (without reading it)."""
        path = self._path("log")
        return path is not None and path.exists()

    def save_log(self, tip: str, rows: Any) -> None:
        self._write("log", {"tip": tip, "rows": rows})

    def load_reviews(self, tip: str) -> Any:
        """The rows of the review commits reachable from `tip` read before, or None."""
        found = self._read("reviews")
        if isinstance(found, dict) and found.get("tip") == tip:
            return found.get("rows")
        return None

    def save_reviews(self, tip: str, rows: Any) -> None:
        self._write("reviews", {"tip": tip, "rows": rows})

    def load_range(self, start: str, end: str) -> Any:
        """The rows of the log of `start..end` read before, or None."""
        found = self._read(f"range-{start[:16]}-{end[:16]}")
        if isinstance(found, dict) and (found.get("start"), found.get("end")) == (start, end):
            return found.get("rows")
        return None

    def save_range(self, start: str, end: str, rows: Any) -> None:
        """Keep the log of the last few ranges (release notes between two tags)."""
        self._write(f"range-{start[:16]}-{end[:16]}", {"start": start, "end": end, "rows": rows})
        self._trim("range")

    def _trim(self, kind: str) -> None:
        if self.folder is None:
            return
        kept = sorted(self.folder.glob(f"{kind}-*-{self.key}.bin"), key=_age, reverse=True)
        for old in kept[_TIPS_KEPT:]:
            with contextlib.suppress(OSError):
                old.unlink()

    def _blob_table(self) -> dict[str, BlobSummary]:
        """The summary per blob, read from the cache on first use."""
        if self._blobs is None:
            known = self._read("blobs")
            self._blobs = known if isinstance(known, dict) else {}
        return self._blobs

    def _data_table(self) -> dict[str, Any]:
        """The parsed data per blob, read from the cache on first use (bounded)."""
        if self._data is None:
            known = self._read("data")
            self._data = known if isinstance(known, dict) and len(known) < _DATA_LIMIT else {}
        return self._data

    def missing(self, summaries: set[str], contents: set[str]) -> tuple[set[str], set[str]]:
        """Which of these blobs have no summary, and which no parsed data, cached yet."""
        blobs, data = self._blob_table(), self._data_table()
        return {s for s in summaries if s not in blobs}, {s for s in contents if s not in data}

    def learn(self, summaries: dict[str, BlobSummary]) -> None:
        """Summaries made elsewhere (from the same bytes), kept with the next ones computed."""
        self._blob_table().update(summaries)

    def summaries(
        self, shas: set[str], compute: Callable[[set[str]], dict[str, BlobSummary]]
    ) -> dict[str, BlobSummary]:
        """Summaries of `shas`: cached ones loaded, the rest computed and remembered."""
        return self._through("blobs", self._blob_table(), shas, compute)

    def contents(
        self, shas: set[str], compute: Callable[[set[str]], dict[str, Any]]
    ) -> dict[str, Any]:
        """Parsed data per blob (dates as text), cached like the summaries; bounded."""
        return self._through("data", self._data_table(), shas, compute)

    def _through(
        self,
        kind: str,
        table: dict[str, Any],
        shas: set[str],
        compute: Callable[[set[str]], dict[str, Any]],
    ) -> dict[str, Any]:
        missing = {s for s in shas if s not in table}
        if missing:
            table.update(compute(missing))
            self._write(kind, table)
        return {s: table[s] for s in shas if s in table}
