"""Near-duplicate requirements: character n-grams, offline, for Chinese and English alike.

Each requirement's title and description become a set of character n-grams: trigrams
inside Latin words and digits (`export` → exp, xpo, por, ort, so `exports` still
matches), and single characters and bigrams of Han characters (no segmenter needed:
一次导出 and 一次性导出 still share most of theirs). Each n-gram weighs log(1 + N / df),
so boilerplate that most requirements share counts little. Two requirements are near
duplicates when the weighted Jaccard similarity of their sets reaches the threshold.

Comparing every pair of 10k requirements is 50 million comparisons, so candidates come
from a prefix filter (AllPairs, Bayardo et al. 2007): with grams ordered rarest first, two
sets whose similarity reaches t must share a gram among the rarest ones of each, those
that carry more than 1 - t of its weight. Grams that more than `_max_df` requirements
share are not used to find candidates, and each requirement stops at `MATCHES` matches or
`TRIES` candidates, so a template repeated a thousand times stays cheap; candidates are
always scored on their full sets.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from reqkit.config import Config
    from reqkit.diagnostics import Diagnostic
    from reqkit.model.reqset import RequirementSet

__all__ = [
    "CODE",
    "THRESHOLD",
    "Pair",
    "grams",
    "near_duplicate_diagnostics",
    "near_duplicates",
    "similarity",
]

#: The rule code of the `check --base` warning (declared in reqkit.checks.history_rules).
CODE = "RK320"
#: Default weighted Jaccard similarity from which two requirements are reported.
THRESHOLD = 0.6
_LATIN = re.compile(r"(?=([0-9a-z]{3}))")
_HAN_CHAR = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_HAN = re.compile(f"(?=({_HAN_CHAR}{{2}}))")
_HAN_ONE = re.compile(_HAN_CHAR)
_MIN_GRAMS = 4  # fewer grams than this say too little to call anything a duplicate
#: A requirement is compared with at most TRIES candidates and stops at MATCHES matches:
#: a template repeated a thousand times must not cost a million comparisons.
MATCHES = 5
TRIES = 200


class Pair(NamedTuple):
    """Two requirements (`a` < `b`) and their similarity, 0..1."""

    a: str
    b: str
    score: float


def grams(title: str, description: str = "") -> frozenset[str]:
    """The n-gram set of a requirement's text (case, width and accents folded by NFKC)."""
    text = f"{title}\n{description}"
    if text.isascii():
        return frozenset(_LATIN.findall(text.lower()))
    text = unicodedata.normalize("NFKC", text).lower()
    return frozenset(_LATIN.findall(text) + _HAN.findall(text) + _HAN_ONE.findall(text))


def similarity(x: frozenset[str], y: frozenset[str]) -> float:
    """Plain Jaccard similarity: the share of n-grams the two have in common."""
    if not x or not y:
        return 0.0
    common = len(x & y)
    return common / (len(x) + len(y) - common)


def _max_df(n: int) -> int:
    return max(20, int(2 * math.sqrt(n)))


def _join(
    docs: Sequence[tuple[str, frozenset[str]]],
    threshold: float,
    *,
    probes: Collection[str] | None = None,
    cross: bool = False,
) -> list[Pair]:
    """Pairs with weighted similarity ≥ threshold, each found once.

    Only pairs with at least one of `probes` (default: every document) are found; with
    `cross`, only pairs of a probe and a non-probe. Each gram weighs log(1 + N / df):
    boilerplate every requirement shares counts little, a word two requirements alone
    share counts much. The similarity is the weighted Jaccard index,
    Σ w(x ∩ y) / Σ w(x ∪ y).
    """
    n = len(docs)
    df: Counter[str] = Counter(itertools.chain.from_iterable(s for _, s in docs))
    # Grams as ranks, rarest first: sorting a document's grams is then a plain int sort.
    ranked = sorted(df, key=lambda g: (df[g], g))
    rank = {g: r for r, g in enumerate(ranked)}
    weight = [math.log(1 + n / df[g]) for g in ranked]
    common_from = bisect.bisect_right([df[g] for g in ranked], _max_df(n))
    is_probe = [probes is None or rid in probes for rid, _ in docs]
    sets: list[frozenset[int]] = [frozenset()] * n
    total = [0.0] * n
    prefixes: list[list[int]] = [[]] * n

    def index_doc(k: int) -> None:
        x = sets[k] = frozenset(map(rank.__getitem__, docs[k][1]))
        wx = total[k] = sum(map(weight.__getitem__, x))
        prefix: list[int] = []
        rest, enough = wx, threshold * wx
        for g in sorted(x):
            if rest < enough or g >= common_from:
                break
            prefix.append(g)
            rest -= weight[g]
        prefixes[k] = prefix

    for k in range(n):
        if is_probe[k]:
            index_doc(k)
    if probes is not None:
        # A non-probe is only ever met through a gram of a probe's prefix, so one that
        # has none of those grams is never a candidate: leave its set unbuilt (the
        # weights stay those of the whole collection, so the answer does not change).
        wanted = {ranked[g] for k in range(n) if is_probe[k] for g in prefixes[k]}
        for k in range(n):
            if not is_probe[k] and not wanted.isdisjoint(docs[k][1]):
                index_doc(k)
    index: dict[int, list[int]] = {}
    for k, prefix in enumerate(prefixes):
        if not (cross and is_probe[k]):
            for g in prefix:
                index.setdefault(g, []).append(k)
    found: list[Pair] = []
    for k in range(n):
        if not is_probe[k]:
            continue
        x, wx, rid = sets[k], total[k], docs[k][0]
        low, high = threshold * wx, wx / threshold
        seen: set[int] = set()
        hits = 0
        for g in prefixes[k]:
            if hits >= MATCHES or len(seen) >= TRIES:
                break
            for other in index.get(g, ()):
                if other in seen or other == k:
                    continue
                seen.add(other)
                if is_probe[other] and (cross or other < k):
                    continue  # a pair of probes is found from its first member
                wy = total[other]
                if not low <= wy <= high:
                    continue
                shared = sum(map(weight.__getitem__, x & sets[other]))
                score = shared / (wx + wy - shared)
                if score >= threshold:
                    oid = docs[other][0]
                    a, b = (rid, oid) if rid < oid else (oid, rid)
                    found.append(Pair(a, b, round(score, 3)))
                    hits += 1
                    if hits >= MATCHES:
                        break
    return found


def near_duplicates(
    texts: Iterable[tuple[str, str, str, Collection[str]]],
    *,
    threshold: float = THRESHOLD,
    among: Collection[str] | None = None,
) -> list[Pair]:
    """Near-duplicate pairs among (id, title, description, acknowledged duplicates).

    With `among` (the open requirements, say), only pairs with at least one of those IDs.
    A pair one side already lists under `links.duplicates` is known, so not reported.
    Most similar first.
    """
    docs = []
    known: set[tuple[str, str]] = set()
    for rid, title, description, duplicates in texts:
        x = grams(title, description)
        if len(x) >= _MIN_GRAMS:
            docs.append((rid, x))
        known.update((rid, other) for other in duplicates)
    pairs = [
        p
        for p in _join(docs, threshold, probes=among)
        if (p.a, p.b) not in known and (p.b, p.a) not in known
    ]
    return sorted(set(pairs), key=lambda p: (-p.score, p.a, p.b))


def near_duplicate_diagnostics(
    current: RequirementSet,
    base_ids: Collection[str],
    config: Config,
    *,
    threshold: float | None = None,
) -> list[Diagnostic]:
    """`check --base`: a requirement new in this change (its ID not in `base_ids`) that
    closely matches a requirement that existed before, one warning per match, at its title.
    """
    from reqkit.checks.context import CheckContext

    limit = threshold if threshold is not None else config.near_duplicate
    ctx = CheckContext(config)
    if not ctx.enabled(CODE):
        return []
    new = {e.known_id for e in current.entries if e.known_id not in base_ids}
    if not new:
        return []
    docs = []
    for entry in current.entries:
        data = entry.data or {}
        title, description = data.get("title"), data.get("description")
        x = grams(
            title if isinstance(title, str) else "",
            description if isinstance(description, str) else "",
        )
        if len(x) >= _MIN_GRAMS:
            docs.append((entry.known_id, x))
    out = []
    for pair in _join(docs, limit, probes=new, cross=True):
        rid, other = (pair.a, pair.b) if pair.a in new else (pair.b, pair.a)
        entry = current.by_id[rid]
        links = (entry.data or {}).get("links")
        listed = links.get("duplicates") if isinstance(links, dict) else None
        if isinstance(listed, list) and other in listed:
            continue
        out.append(
            ctx.at(
                entry,
                ("title",),
                CODE,
                f"closely matches existing requirement {other} (similarity {pair.score:.2f});"
                " if it is the same request, link it under `links.duplicates` or merge them",
            )
        )
    return sorted(out)
