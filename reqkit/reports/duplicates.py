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

A gram may also be a number naming a string (`names`): `check --base` keeps each file's
grams numbered per Git blob (reqkit.reports.cache.BlobGrams), and ranks them by the same
(df, string) order, so the answer is the same as from the strings.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from reqkit.reports.items import new_tuple

if TYPE_CHECKING:
    from reqkit.checks.context import CheckContext
    from reqkit.config import Config
    from reqkit.diagnostics import Diagnostic
    from reqkit.model.reqset import Entry, RequirementSet

__all__ = [
    "CODE",
    "THRESHOLD",
    "Pair",
    "data_grams",
    "grams",
    "listed_duplicates",
    "near_duplicate_diagnostics",
    "near_duplicate_warnings",
    "near_duplicates",
    "similarity",
]

#: The rule code of the `check --base` warning (declared in reqkit.checks.history_rules).
CODE = "RK320"
#: Default weighted Jaccard similarity from which two requirements are reported.
THRESHOLD = 0.6
_HAN_CHAR = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_MIN_GRAMS = 4  # fewer grams than this say too little to call anything a duplicate
#: A requirement is compared with at most TRIES candidates and stops at MATCHES matches:
#: a template repeated a thousand times must not cost a million comparisons.
MATCHES = 5
TRIES = 200


#: A pair as the join finds it: (a, b, score), a < b.
Found = tuple[str, str, float]
#: A document's grams: strings, or numbers naming strings (see `_join`'s `names`).
Grams = Collection[str] | Collection[int]


class Pair(NamedTuple):
    """Two requirements (`a` < `b`) and their similarity, 0..1."""

    a: str
    b: str
    score: float


@functools.cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Latin trigrams, Han bigrams, Han characters; compiled on first use (a warm report,
    which reads its pairs from the cache, never needs them)."""
    return (
        re.compile(r"(?=([0-9a-z]{3}))"),
        re.compile(f"(?=({_HAN_CHAR}{{2}}))"),
        re.compile(_HAN_CHAR),
    )


def grams(title: str, description: str = "") -> frozenset[str]:
    """The n-gram set of a requirement's text (case, width and accents folded by NFKC)."""
    latin, han, han_one = _patterns()
    text = f"{title}\n{description}"
    if text.isascii():
        return frozenset(latin.findall(text.lower()))
    text = unicodedata.normalize("NFKC", text).lower()
    return frozenset(latin.findall(text) + han.findall(text) + han_one.findall(text))


def data_grams(data: dict[str, Any] | None) -> frozenset[str]:
    """The n-grams of a file's data: its title and description where they are text."""
    title, description = (data or {}).get("title"), (data or {}).get("description")
    return grams(
        title if isinstance(title, str) else "",
        description if isinstance(description, str) else "",
    )


def listed_duplicates(data: dict[str, Any] | None) -> tuple[str, ...] | None:
    """The IDs a file lists under `links.duplicates` (None: no such list)."""
    links = (data or {}).get("links")
    listed = links.get("duplicates") if isinstance(links, dict) else None
    return tuple(i for i in listed if isinstance(i, str)) if isinstance(listed, list) else None


def similarity(x: frozenset[str], y: frozenset[str]) -> float:
    """Plain Jaccard similarity: the share of n-grams the two have in common."""
    if not x or not y:
        return 0.0
    common = len(x & y)
    return common / (len(x) + len(y) - common)


def _max_df(n: int) -> int:
    return max(20, int(2 * math.sqrt(n)))


def _join(
    docs: Sequence[tuple[str, Grams]],
    threshold: float,
    *,
    probes: Collection[str] | None = None,
    cross: bool = False,
    jobs: int = 1,
    names: Sequence[str] | None = None,
) -> list[Found]:
    """Pairs (a, b, score) with weighted similarity ≥ threshold, each found once.

    Only pairs with at least one of `probes` (default: every document) are found; with
    `cross`, only pairs of a probe and a non-probe. Each gram weighs log(1 + N / df):
    boilerplate every requirement shares counts little, a word two requirements alone
    share counts much. The similarity is the weighted Jaccard index,
    Σ w(x ∩ y) / Σ w(x ∪ y). With `jobs` > 1 the probes are shared out among forked
    processes (each probe's answer depends only on the index, so the pairs are the same).
    Grams may be numbers, `names[g]` the string each stands for (distinct numbers for
    distinct strings): grams are ranked by (df, string) either way, so the pairs are too.
    """
    join = _Join(docs, threshold, probes, cross, names)
    wanted = [k for k in range(len(docs)) if join.is_probe[k]]
    if jobs < 2 or len(wanted) < _PARALLEL_FROM:
        return join.probe(wanted)
    from reqkit.loader.forked import chunked, map_forked

    return [p for found in map_forked(join.probe, chunked(wanted, _CHUNK), jobs) for p in found]


#: Below this many probes a second process costs more than it saves; a process takes
#: `_CHUNK` probes at a time, few enough to share the work out evenly.
_PARALLEL_FROM = 2000
_CHUNK = 500


class _Join:
    """The prefix-filter index of a collection; `probe` finds the pairs of some probes."""

    def __init__(
        self,
        docs: Sequence[tuple[str, Grams]],
        threshold: float,
        probes: Collection[str] | None,
        cross: bool,
        names: Sequence[str] | None = None,
    ) -> None:
        n = len(docs)
        df: Counter[Any] = Counter(itertools.chain.from_iterable(s for _, s in docs))
        # Grams as ranks, rarest first: sorting a document's grams is then a plain int sort.
        if names is None:
            ranked = sorted(df, key=lambda g: (df[g], g))
        else:
            ranked = sorted(df, key=lambda g: (df[g], names[g]))
        rank = {g: r for r, g in enumerate(ranked)}
        weight = [math.log(1 + n / df[g]) for g in ranked]
        common_from = bisect.bisect_right([df[g] for g in ranked], _max_df(n))
        is_probe = [probes is None or rid in probes for rid, _ in docs]
        sets: list[frozenset[int]] = [frozenset()] * n
        total = [0.0] * n
        prefixes: list[list[int]] = [[]] * n

        def index_doc(k: int) -> None:
            # Built in rank order, a set iterates in the same order in every process (a set
            # of strings does not: their hashes are salted), so the float sums are the same.
            ordered = sorted(map(rank.__getitem__, docs[k][1]))
            x = sets[k] = frozenset(ordered)
            wx = total[k] = sum(map(weight.__getitem__, x))
            prefix: list[int] = []
            rest, enough = wx, threshold * wx
            for g in ordered:
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
        self.ids = [rid for rid, _ in docs]
        self.threshold, self.cross, self.is_probe = threshold, cross, is_probe
        self.weight, self.sets, self.total = weight, sets, total
        self.prefixes, self.index = prefixes, index

    def probe(self, probes: Sequence[int]) -> list[Found]:
        """The pairs found from each of `probes` (document numbers), in that order; plain
        tuples, which cross a pipe from a forked process ten times faster than `Pair`s."""
        threshold, cross, is_probe = self.threshold, self.cross, self.is_probe
        weight, sets, total, index, ids = self.weight, self.sets, self.total, self.index, self.ids
        found: list[Found] = []
        for k in probes:
            x, wx, rid = sets[k], total[k], ids[k]
            low, high = threshold * wx, wx / threshold
            seen: set[int] = set()
            hits = 0
            for g in self.prefixes[k]:
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
                        oid = ids[other]
                        a, b = (rid, oid) if rid < oid else (oid, rid)
                        found.append((a, b, round(score, 3)))
                        hits += 1
                        if hits >= MATCHES:
                            break
        return found


def near_duplicates(
    texts: Iterable[tuple[str, str, str, Collection[str]]],
    *,
    threshold: float = THRESHOLD,
    among: Collection[str] | None = None,
    grams_of: Callable[[str, str], frozenset[str]] = grams,
    jobs: int = 1,
) -> list[Pair]:
    """Near-duplicate pairs among (id, title, description, acknowledged duplicates).

    With `among` (the open requirements, say), only pairs with at least one of those IDs.
    A pair one side already lists under `links.duplicates` is known, so not reported.
    Most similar first. `grams_of` may answer `grams` from a cache; `jobs` > 1 shares the
    comparisons out among forked processes.
    """
    docs = []
    known: set[tuple[str, str]] = set()
    for rid, title, description, duplicates in texts:
        x = grams_of(title, description)
        if len(x) >= _MIN_GRAMS:
            docs.append((rid, x))
        known.update((rid, other) for other in duplicates)
    found = _join(docs, threshold, probes=among, jobs=jobs)
    if known:
        found = [p for p in found if (p[0], p[1]) not in known and (p[1], p[0]) not in known]
    # by (-score, a, b): each pair is found once, so a plain sort orders by (a, b), and a
    # stable sort by score then keeps that order among equal scores (both sorts in C)
    ordered = sorted(set(found))
    ordered.sort(key=itemgetter(2), reverse=True)
    return [new_tuple(Pair, p) for p in ordered]


def near_duplicate_diagnostics(
    current: RequirementSet,
    base_ids: Collection[str],
    config: Config,
    *,
    threshold: float | None = None,
    grams_of: Callable[[str, str], frozenset[str]] = grams,
) -> list[Diagnostic]:
    """`check --base`: a requirement new in this change (its ID not in `base_ids`) that
    closely matches a requirement that existed before, one warning per match, at its title.
    `grams_of` may answer `grams` from a cache. (`check --base` itself goes through
    `near_duplicate_warnings` with grams cached per blob; this is the plain reference.)
    """
    from reqkit.checks.context import CheckContext

    ctx = CheckContext(config)
    if not ctx.enabled(CODE):
        return []
    ids = [e.known_id for e in current.entries]
    if all(i in base_ids for i in ids):
        return []
    sets = []
    for entry in current.entries:
        data = entry.data or {}
        title, description = data.get("title"), data.get("description")
        sets.append(
            grams_of(
                title if isinstance(title, str) else "",
                description if isinstance(description, str) else "",
            )
        )
    return _warnings(ctx, ids, sets, base_ids, current.entries.__getitem__, threshold, None)


def near_duplicate_warnings(
    ids: Sequence[str],
    sets: Sequence[Grams],
    base_ids: Collection[str],
    config: Config,
    entry_at: Callable[[int], Entry],
    *,
    threshold: float | None = None,
    names: Sequence[str] | None = None,
) -> list[Diagnostic]:
    """`near_duplicate_diagnostics` of files given as their IDs (`Entry.known_id`) and
    n-gram sets, in path order; `entry_at(k)` is the entry of file `k` (only its ID,
    `links.duplicates` and position are read, and only for files a warning is about).
    Grams may be numbers naming `names[g]`."""
    from reqkit.checks.context import CheckContext

    ctx = CheckContext(config)
    if not ctx.enabled(CODE) or all(i in base_ids for i in ids):
        return []
    return _warnings(ctx, ids, sets, base_ids, entry_at, threshold, names)


def _warnings(
    ctx: CheckContext,
    ids: Sequence[str],
    sets: Sequence[Grams],
    base_ids: Collection[str],
    entry_at: Callable[[int], Entry],
    threshold: float | None,
    names: Sequence[str] | None,
) -> list[Diagnostic]:
    limit = threshold if threshold is not None else ctx.config.near_duplicate
    new = {i for i in ids if i not in base_ids}
    docs = [(i, x) for i, x in zip(ids, sets, strict=True) if len(x) >= _MIN_GRAMS]
    first: dict[str, int] = {}  # a duplicated ID is the first file's (as RequirementSet.by_id)
    for k, i in enumerate(ids):
        first.setdefault(i, k)
    out = []
    for a, b, score in _join(docs, limit, probes=new, cross=True, names=names):
        rid, other = (a, b) if a in new else (b, a)
        entry = entry_at(first[rid])
        listed = listed_duplicates(entry.data)
        if listed is not None and other in listed:
            continue
        out.append(
            ctx.at(
                entry,
                ("title",),
                CODE,
                f"closely matches existing requirement {other} (similarity {score:.2f});"
                " if it is the same request, link it under `links.duplicates` or merge them",
            )
        )
    return sorted(out)
