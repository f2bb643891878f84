"""BLAKE2b for the caches and fingerprints, without importing `hashlib`.

`hashlib` loads OpenSSL when imported (~2.5 ms, 11 M instructions: a tenth of a warm
`check`'s start-up) to offer algorithms these digests never use; `_blake2` is the
interpreter's own module that `hashlib.blake2b` is taken from.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter without the builtin module
    from hashlib import blake2b

__all__ = ["blake2b", "hex_digest"]


def hex_digest(text: str, length: int = 16) -> str:
    """A short stable fingerprint of `text`: `length` hex digits."""
    return blake2b(text.encode(), digest_size=length // 2).hexdigest()
