"""RK202, RK204, RK205, RK206, RK208: wording that leaves the reader to decide.

Escape clauses, vague terms, weak modals, and/or, absolutes: each lets the implementer
pick the reading that suits them, so none can fail a test.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext
from reqkit.checks.lint_scan import (
    HAN,
    STATEMENT,
    Scan,
    Triggers,
    findings,
    gate,
    report,
    trie,
    triggers,
)
from reqkit.checks.patterns import lazy
from reqkit.checks.registry import rule
from reqkit.checks.text import prose
from reqkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

_W = Severity.WARNING


_ESCAPE_WORDS = [
    "where possible",
    "wherever possible",
    "if possible",
    "as far as possible",
    "to the extent possible",
    "if necessary",
    "when necessary",
    "where necessary",
    "as needed",
    "as appropriate",
    "where appropriate",
    "if appropriate",
    "if practical",
    "where practical",
    "as applicable",
    "where applicable",
    "if applicable",
    "if feasible",
    "where feasible",
]
# "needed"/"required" may be adjectives: "If required fields are empty, ..." is a
# condition, "..., if required." is an escape.
_ESCAPE_WORDS_BEFORE_A_BREAK = [
    "if needed",
    "if required",
    "when needed",
    "when required",
    "where needed",
    "where required",
    "as required",
]
_ESCAPES_SOURCE = (
    trie(_ESCAPE_WORDS)
    + "|"
    + trie(_ESCAPE_WORDS_BEFORE_A_BREAK, tail=r"(?=\s*(?:[,.;:)]|\Z))")
    + "|尽可能|尽量|如有必要|必要时|如有需要|如需要|视情况|根据情况|酌情|在可能的情况下|如果可能|原则上"
)


ESCAPES = Scan(_ESCAPES_SOURCE, _ESCAPE_WORDS + _ESCAPE_WORDS_BEFORE_A_BREAK)


@rule("RK202", "escape-clause", severity=_W, group="lint", scope="requirement")
def escape_clause(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags escape clauses: where possible, if necessary, as appropriate; 尽可能, 如有必要, 视情况.

    ## Why is this bad?
    An escape clause lets the implementer decide whether the requirement applies, so it
    can never fail a test (INCOSE R8, NASA ARM "options").

    ## Example
    ```yaml
    description: Where possible, the system shall cache search results.
    ```
    Use instead:
    ```yaml
    description: The system shall cache the results of the last 20 searches per user.
    ```
    """
    yield from findings(entry, ctx, "RK202", ESCAPES, "escape clause '{word}': say when it applies")


_VAGUE_EN = [
    "user-friendly",
    "user friendly",
    "easy to use",
    "easy",
    "easily",
    "simple",
    "simply",
    "fast",
    "quick",
    "quickly",
    "rapid",
    "rapidly",
    "efficient",
    "efficiently",
    "flexible",
    "robust",
    "appropriate",
    "appropriately",
    "adequate",
    "adequately",
    "sufficient",
    "sufficiently",
    "reasonable",
    "reasonably",
    "timely",
    "several",
    "some",
    "many",
    "few",
    "a lot of",
    "lots of",
    "various",
    "significant",
    "significantly",
    "minimal",
    "seamless",
    "seamlessly",
    "intuitive",
    "modern",
    "state-of-the-art",
    "typical",
    "typically",
    "as soon as possible",
    "asap",
    "high performance",
    "high-performance",
    "good",
    "better",
]
_VAGUE_ZH = (
    "友好|易用|好用|易于使用|简单|简便|方便|便捷|快速|迅速|高效|灵活|适当|适度|合理|及时|"
    "若干|一些|某些|大量|少量|足够|充分|尽快|良好|稳定可靠|美观|直观|无缝|显著|高性能|流畅"
)
_ABOUT_WORDS = ["about", "approximately", "approx.", "roughly", "around", "nearly", "circa"]
_ABOUT = (
    trie([*_ABOUT_WORDS, "close to"], tail=r"\s+(?=\d)")
    + r"|大约|大概(?![率念])"
    + r"|约(?<![预签节制合公条邀特简契缔相履失赴守违]约)(?=\s*[\d一二两三四五六七八九十百千万半])"
)
#: "5 秒左右", "3 hours or so" (a number first: a pattern of its own, run when 左右 is there)
_AROUND = lazy(r"\d+(?:\.\d+)?\s*(?:[^\W\d]{1,4}\s*)?左右")
_HOW = lazy(r"(?<![a-z])how\s\Z")


@functools.cache
def _vague(extra: tuple[str, ...]) -> Scan:
    ascii_words = [w for w in extra if w.isascii()]
    other = sorted((w for w in extra if not w.isascii()), key=len, reverse=True)
    pattern = "|".join(
        [trie([*_VAGUE_EN, *ascii_words]), _VAGUE_ZH, *map(re.escape, other), _ABOUT]
    )
    return Scan(pattern, [*_VAGUE_EN, *ascii_words, *_ABOUT_WORDS, "close to", *other])


@rule("RK204", "vague-term", severity=_W, group="lint", scope="requirement")
def vague_term(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags vague terms: user-friendly, fast, appropriate, sufficient, about 5; 友好, 快速,
    适当, 合理, 及时, 大约, 若干, 约 3 小时, 5 秒左右. Add project words with
    `[lint] vague = ["snappy", "丝滑"]`. "About" counts only before a number ("about the
    customer" is fine), 约 only before a number (not in 约束, 约定, 预约), and a word
    inside an escape clause ("as appropriate") is reported once, as RK202.

    ## Why is this bad?
    Vague words cannot be verified: "fast" passes for the developer and fails for the
    customer (INCOSE R7, NASA ARM "weak phrases"). Name the measure instead. When a word
    is a term of art in your domain, suppress it on that requirement with a reason:
    `lint: {ignore: {RK204: "fast charging is the product name"}}`.

    ## Example
    ```yaml
    description: The report page shall load fast.
    ```
    Use instead:
    ```yaml
    description: The report page shall load within 2 s for 95 % of requests.
    ```
    """
    scan = _vague(ctx.config.lint_vague)
    escapes_on = ctx.enabled("RK202")
    for part in prose(entry):
        low = part.low
        hits = list(scan.finditer(part))
        if "左右" in low:
            hits += _AROUND.finditer(low)
        escapes = [m.span() for m in ESCAPES.finditer(part)] if hits and escapes_on else []
        for m in hits:
            # "how many", "how fast" ask for a measure; a word inside an escape clause
            # ("as appropriate") is RK202's
            if _HOW.search(low, max(0, m.start() - 4), m.start()) or any(
                a <= m.start() < b for a, b in escapes
            ):
                continue
            word = part.text[m.start() : m.end()].strip()
            message = f"vague term '{word}': say how much, how fast or which"
            yield report(entry, ctx, "RK204", part, m.start(), m.end(), message)


_WEAK_MODALS_SOURCE = (
    trie(["should", "might", "could", "would"])
    + r"|c(?<![a-z0-9_-].)an(?![a-z0-9_'’-])"
    + "|宜(?<![便适事合时权相机得咸]宜)(?![家居人昌宾兴春])|可(?<!不可)以|也许|或许"
    + "|可(?<![尽不若]可)(?<!如果可)能(?!性|的情况)"
)
WEAK_MODALS = Scan(_WEAK_MODALS_SOURCE, ["should", "might", "could", "would", "can"])
#: "may" and RFC 2119's "MAY"; "May" is the month.
_MAY = lazy(r"(?:m(?<![A-Za-z0-9_-].)ay|M(?<![A-Za-z0-9_-].)AY)(?![A-Za-z0-9_-])")


@rule("RK205", "weak-modal", severity=_W, group="lint", scope="requirement")
def weak_modal(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags weak modal verbs in the statement (the description): should, may, might, could,
    can; 宜, 可以, 可能, 也许. "May" with a capital is the month; 便宜, 适宜 and 事宜 are not
    宜; acceptance criteria are left alone ("Then I should see …" is plain Gherkin).

    ## Why is this bad?
    "Shall" (应) states an obligation; "should" and "may" leave it optional, so nobody
    knows whether the requirement is met when the feature is missing (INCOSE R2).

    ## Example
    ```yaml
    description: The system should email the requester when the status changes.
    ```
    Use instead:
    ```yaml
    description: When the status changes, the system shall email the requester.
    ```
    """
    message = "weak modal '{word}': use 'shall' (应) or drop it"
    yield from findings(entry, ctx, "RK205", WEAK_MODALS, message, STATEMENT)
    for part in prose(entry, STATEMENT):
        for m in _MAY.finditer(part.prose) if "may" in part.words else ():
            word = m.group()
            yield report(entry, ctx, "RK205", part, m.start(), m.end(), message.format(word=word))


_PER_UNIT = (
    r"(?:s|sec|secs|second|seconds|min|mins|minute|minutes|h|hr|hrs|hour|hours|day|days|"
    r"week|weeks|month|months|year|years|ms|user|users)(?![\w/-]|\.\w)"
)
#: Every alternative holds a slash: the rule runs only on text with one.
AND_OR = lazy(
    r"(?i:(?<![A-Za-z0-9_-])(?:and\s*/\s*or|or\s*/\s*and)(?![A-Za-z0-9_-]))"
    r"|(?:和|及|与|并且|且)\s*[/／]\s*或|或\s*[/／]\s*(?:和|及|与|且)"
    # a slash between two words (not URLs, paths, units such as km/h or requests/s, or
    # acronyms such as I/O and TCP/IP: the match is case-sensitive)
    rf"|(?<![A-Za-z0-9_/:.~\\-])[A-Za-z][a-z]+/(?!{_PER_UNIT})[A-Za-z][a-z]+"
    r"(?![A-Za-z0-9_/\\-]|\.\w)"
    rf"|(?<={HAN})\s*[/／]\s*(?={HAN})",
)


@rule("RK206", "and-or", severity=_W, group="lint", scope="requirement")
def and_or(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags "and/or" and slashes between words: read/write, 导入/导出; 和/或. Acronyms (I/O,
    TCP/IP), units (km/h, requests/s), paths and URLs are not flagged.

    ## Why is this bad?
    A slash can mean "and", "or" or "either"; the implementer picks the cheapest reading
    (INCOSE R15, R19).

    ## Example
    ```yaml
    description: The user shall import and/or export reports.
    ```
    Use instead:
    ```yaml
    description: The user shall import reports and export reports.
    ```
    """
    for part in prose(entry):
        if "/" not in part.prose and "／" not in part.prose:
            continue
        for m in AND_OR.finditer(part.prose):
            word = m.group().strip()
            message = f"'{word}': write out 'and' or 'or' (和, 或)"
            yield report(entry, ctx, "RK206", part, m.start(), m.end(), message)


_ABSOLUTE_WORDS = [
    "always",
    "never",
    "forever",
    "all the time",
    "at all times",
    "best",
    "worst",
    "fastest",
    "slowest",
    "optimal",
    "optimally",
    "perfect",
    "perfectly",
    "ultimate",
    "completely",
    "totally",
    "guaranteed",
    "zero defects",
    "fully",
]
_ABSOLUTES_SOURCE = (
    trie(_ABSOLUTE_WORDS)
    + r"|1(?<![\d.,]1)00(?:\.0+)?\s?(?:%|％|percent\b|per\s+cent\b)"
    + "|总是|始终|永远|永不|百分之百|万无一失|零缺陷|任何时候"
    + "|绝对(?!路径|值|地址|坐标|定位|时间|引用|链接)|完全(?!备份|限定|一致|相同|匹配)"
    # 最 + a quality is a superlative; 最 + a measure or a position is not (最近, 最终,
    # 最后, 最初, 最多, 最少, 最大, 最小, 最高, 最低, 最长, 最短, 最新, 最早, 最晚 ...)
    + "|最(?:高效|短时间|先进|重要|合适|理想|完美|方便|简单|全面|准确|可靠|稳定|安全|流畅|友好|适合)"
    + rf"|最(?![近终后初多少大小高低长短新早晚迟前末先左右上下久值]){HAN}"
)


# 100 % needs "%", "％", "percent" or "per cent"
ABSOLUTES = Scan(_ABSOLUTES_SOURCE, [*_ABSOLUTE_WORDS, "percent", "cent"], covered="1", chars="%％")


@rule("RK208", "absolute-or-superlative", severity=_W, group="lint", scope="requirement")
def absolute_or_superlative(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags absolutes and superlatives: always, never, 100 %, best, fastest; 总是, 永不,
    最佳, 最快 (but not 最近, 最终, 最后, 最多, 最大: those are measures or positions,
    and not 绝对路径 or 完全一致).

    ## Why is this bad?
    Absolutes cannot be proven by any finite test, and superlatives compare with nothing
    named (INCOSE R26, R27).

    ## Example
    ```yaml
    description: The service shall always be available.
    ```
    Use instead:
    ```yaml
    description: The service shall be available 99.9 % of each calendar month.
    ```
    """
    yield from findings(
        entry, ctx, "RK208", ABSOLUTES, "absolute '{word}': state a measurable bound"
    )


@gate("RK202")
def _may_escape(_: CheckContext) -> Triggers:
    return triggers(ESCAPES)


@gate("RK204")
def _may_be_vague(ctx: CheckContext) -> Triggers:
    return triggers(_vague(ctx.config.lint_vague), chars="左")  # 左右


@gate("RK205")
def _may_be_weak(_: CheckContext) -> Triggers:
    return triggers(WEAK_MODALS, words=["may"])


@gate("RK206")
def _may_hold_a_slash(_: CheckContext) -> Triggers:
    return triggers(chars="/／")


@gate("RK208")
def _may_be_absolute(_: CheckContext) -> Triggers:
    return triggers(ABSOLUTES)
