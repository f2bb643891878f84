"""RK2xx: requirement text lint, in English and Chinese.

Drawn from the INCOSE Guide for Writing Requirements, NASA's ARM indicators and EARS.
Rules read `title`, `description` and `acceptance` and report the offending words at
their line and column inside the block scalar. Chinese rules match words, not
characters: precise patterns keep 等 in 等待, 应 in 应用 or 响应 and 最 in 最近 out
(no segmenter: jieba's dictionary load alone would cost more than a whole warm check).

Markdown code (`reqkit/reqkit@v1`, fenced blocks) is not prose: rules skip it.
English words are matched whole: a Latin letter, digit, `_` or `-` next to them makes
another word, a Han character does not (`支持TBD格式` holds the placeholder `TBD`).

Speed: every file of a tree is linted on a cold check, so the patterns are written for
`re`'s fast scan. They run case-sensitively on the lower-cased text (same length, same
offsets), each alternative starts with a literal character and checks the word boundary
just after it (`f(?<![a-z0-9_-].)ast`), and English word lists are compiled as a trie. A
text is scanned only when it could match: it holds a word of one of the rule's English
phrases, or the first character of one of its other forms (待, 等, ?, a slash, 被).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext
from reqkit.checks.patterns import lazy
from reqkit.checks.registry import REGISTRY, rule
from reqkit.checks.text import Prose, locate, prose, sentences
from reqkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

_W = Severity.WARNING
#: A letter outside ASCII: a Han character in practice. (A class over the Han ranges would
#: cost `re` milliseconds to compile, on every run; this one costs nothing.)
_HAN = r"[^\W\d_A-Za-z]"
#: After the first letter of a word: the character before that letter is no part of a
#: word (a Han character is not: English next to Chinese is a word of its own).
_START = r"(?<![a-z0-9_-].)"
#: After the last letter of a word.
_END = r"(?![a-z0-9_-])"
STATEMENT = ("description",)
STATEMENT_AND_CRITERIA = ("description", "acceptance")
ALL_FIELDS = ("title", "description", "acceptance")


def _trie(words: Iterable[str], tail: str = "") -> str:
    """Whole English words or phrases as top-level alternatives for lower-cased text: a
    trie, so a position tries one branch per first letter; any white space between words;
    `tail` follows each word."""
    root: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = root
        for token in re.findall(r"\S|\s+", " ".join(word.lower().split())):
            node = node.setdefault(" " if token.isspace() else token, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        alts = [
            (r"\s+" if k == " " else re.escape(k)) + emit(v) for k, v in sorted(node.items()) if k
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    # top-level alternatives, each starting with a literal: `re` then scans for the first
    # letters only (a group or an assertion first would make it try every position)
    return "|".join(re.escape(k) + _START + emit(v) + _END + tail for k, v in sorted(root.items()))


_STOP = frozenset(
    [
        "shall",
        "must",
        "will",
        "the",
        "to",
        "a",
        "an",
        "and",
        "or",
        "as",
        "be",
        "if",
        "of",
        "in",
        "on",
        "at",
        "all",
        "when",
        "where",
    ]
)


def _keys(words: Iterable[str]) -> frozenset[str]:
    """One word of each phrase that any match must contain: its longest word that is not
    a stop word (`possible` for "where possible")."""
    keys = set()
    for phrase in words:
        tokens = re.findall(r"[a-z]+", phrase.lower())
        rare = [t for t in tokens if t not in _STOP] or tokens[-1:]
        keys.update(sorted(rare, key=len)[-1:])
    return frozenset(keys)


def _first_chars(source: str) -> set[str]:
    """The first character of each top-level alternative of a regex source. Each must be a
    literal: that is what lets `re` scan for them fast, and what the gate below needs."""
    found, depth, i, start, in_class = set(), 0, 0, True, False
    while i < len(source):
        c = source[i]
        if start and depth == 0:
            if c in "([.^$*+?{|" or (c == "\\" and source[i + 1].isalnum()):
                raise ValueError(f"an alternative starts with {c!r}: {source[i : i + 30]}")
            found.add(source[i + 1] if c == "\\" else c)
            i, start = i + (2 if c == "\\" else 1), False
            continue
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            start = True
        i += 1
    return found


class _Scan:
    """A pattern with a cheap gate. Its English alternatives can only match text holding
    one of `keys` (a word of each phrase); the others, text holding one of `chars` (their
    first characters, e.g. 待 or ?). Text with neither is not scanned at all."""

    __slots__ = ("chars", "keys", "pattern")

    def __init__(self, source: str, words: Iterable[str], *, covered: str = "", chars: str = ""):
        self.pattern = lazy(source)
        self.keys = _keys(words)
        first = {c for c in _first_chars(source) if not "a" <= c <= "z"}
        # `covered`: first characters whose alternatives also need a word of `words` or
        # one of `chars` (100 % needs the %)
        self.chars = frozenset(first - set(covered) | set(chars))

    def finditer(self, part: Prose) -> Iterator[re.Match[str]]:
        if self.keys.isdisjoint(part.words) and self.chars.isdisjoint(part.chars):
            return iter(())
        return self.pattern.finditer(part.low)


def _report(
    entry: Entry, ctx: CheckContext, code: str, part: Prose, start: int, end: int, message: str
) -> Diagnostic:
    line, column = locate(entry, part, start, end)
    return ctx.make(entry, line, column, code, message)


def _findings(
    entry: Entry,
    ctx: CheckContext,
    code: str,
    scan: _Scan,
    message: str,
    fields: tuple[str, ...] = ALL_FIELDS,
) -> Iterator[Diagnostic]:
    """Each match of `scan` in the lower-cased text; the message quotes the original."""
    for part in prose(entry, fields):
        for m in scan.finditer(part):
            word = part.text[m.start() : m.end()].strip()
            yield _report(entry, ctx, code, part, m.start(), m.end(), message.format(word=word))


#: 应 as "shall" (应, 应当, 应该), not inside 响应, 对应, 相应, 适应, 反应, 供应, 效应,
#: 应用, 应答, 应急, 应付, 应收账款 ...; 应对 is "shall + 对" unless it means "cope with"
#: (以应对, 能应对, 应对措施).
_SHALL_ZH = (
    r"应(?<![响对相适反供效回感呼答理报顺照接因策内]应)"
    r"(?:(?:当|该)?(?![用答急付聘邀变届酬征运对]|收账|收款)"
    r"|(?<![能以来于够]应)(?=对(?!措施|方案|策略|预案|机制|能力)))"
)
_SHALL = lazy(rf"{_trie(['shall'])}|{_SHALL_ZH}")


_PLACEHOLDER_WORDS = [
    "TBD",
    "TBC",
    "TBA",
    "TBR",
    "to be determined",
    "to be confirmed",
    "to be defined",
    "to be decided",
    "XXX",
]
_PLACEHOLDERS_SOURCE = (
    _trie(_PLACEHOLDER_WORDS)
    + r"|\?\?\?+"
    # 待定, 待确认 ... as a hole in the text, not inside 等待/期待/接待, not a state name
    # in quotes (“待确认”), nor 待确认 before a noun (待确认订单: a state)
    + r"|待(?<![等期接款招对看善优虐亏相厚“「『\"']待)"
    + rf"(?:定义?|(?:确认|确定|补充|完善|讨论)(?!{_HAN}|[”」』\"']))"
)
PLACEHOLDERS = _Scan(_PLACEHOLDERS_SOURCE, _PLACEHOLDER_WORDS)
#: TODO and FIXME only in capitals: a "todo list" is a feature.
_TODO = lazy(r"T(?<![A-Za-z0-9_-].)ODO(?![A-Za-z0-9_-])|F(?<![A-Za-z0-9_-].)IXME(?![A-Za-z0-9_-])")


@rule("RK201", "placeholder", severity=_W, group="lint", scope="requirement")
def placeholder(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags placeholders left in the text: TBD, TBC, to be determined, TODO, ???; 待定, 待确认.
    A state named 待确认 (`待确认订单`, `“待确认”`) is not a placeholder.

    ## Why is this bad?
    A requirement with a hole in it cannot be designed, tested or accepted; the
    placeholder usually outlives everyone's memory of what it stood for.

    ## Example
    ```yaml
    description: The export shall finish within TBD seconds.
    ```
    Use instead:
    ```yaml
    description: The export shall finish within 5 s.
    ```
    """
    message = "placeholder '{word}': fill it in"
    yield from _findings(entry, ctx, "RK201", PLACEHOLDERS, message)
    for part in prose(entry):
        if "TODO" in part.prose or "FIXME" in part.prose:
            for m in _TODO.finditer(part.prose):
                word = m.group()
                yield _report(
                    entry, ctx, "RK201", part, m.start(), m.end(), message.format(word=word)
                )


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
    _trie(_ESCAPE_WORDS)
    + "|"
    + _trie(_ESCAPE_WORDS_BEFORE_A_BREAK, tail=r"(?=\s*(?:[,.;:)]|\Z))")
    + "|尽可能|尽量|如有必要|必要时|如有需要|如需要|视情况|根据情况|酌情|在可能的情况下|如果可能|原则上"
)


ESCAPES = _Scan(_ESCAPES_SOURCE, _ESCAPE_WORDS + _ESCAPE_WORDS_BEFORE_A_BREAK)


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
    yield from _findings(
        entry, ctx, "RK202", ESCAPES, "escape clause '{word}': say when it applies"
    )


_OPEN_WORDS = [
    "and so on",
    "and so forth",
    "including but not limited to",
    "among others",
    "and others",
    "et cetera",
    "etcetera",
]
_OPEN_ENDED_SOURCE = (
    _trie(_OPEN_WORDS)
    + r"|a(?<![a-z0-9_-].)nd\s+more(?!\s+than)"
    + _END
    + r"|e(?<![a-z0-9_/.-].)tc(?![a-z0-9_/-])\.?"
    + "|等等|包括但不限于|包括但不仅限于|之类|诸如此类"
    # a lone 等: the candidates; _closes_list decides
    + r"|等(?<![相平同对不均高初中上次优劣头特超何]等)(?![等待候级于同价效到号额分比差宽距腰式温速量])"
)
OPEN_ENDED = _Scan(_OPEN_ENDED_SOURCE, [*_OPEN_WORDS, "and more", "etc"])
_LIST_NOUN = lazy(
    r"\s*(?:[。，、；：！？,.;:!?）)」”]|\Z|功能|内容|信息|数据|操作|方面|情况|字段|格式|场景|问题|"
    r"类型|方式|渠道|平台|设备|系统|文件|角色|模块|页面|指标|参数|属性|服务|工具|浏览器|语言|"
    r"产品|业务|事项|因素|形式|元素|组件|字符|符号|选项|条件|环节)"
)
_CLAUSE_START = lazy(r"[。；！？，,;\n][^。；！？，,;\n]*\Z")
_COUNT = lazy(r"\s*(\d+|[一二两三四五六七八九十]{1,3})\s*[个种项类条份款位家名]")
_ZH_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


_AFTER_WORD = lazy(r"(?:[^\W_]|[）)])\s?\Z")


def _zh_number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _ZH_DIGITS.get(tens, 1) * 10 + _ZH_DIGITS.get(ones, 0)
    return _ZH_DIGITS.get(text, -1)


def _closes_list(text: str, at: int) -> bool:
    """A lone 等 at `at` leaves a list open: after a word, before a break or a kind of
    thing (…、PDF 等格式), or with 、 earlier in the same clause (CSV、Excel 等 3 种), unless
    a count that matches the items closes it (CSV、Excel、PDF 等 3 种格式)."""
    if not _AFTER_WORD.search(text, max(0, at - 2), at):
        return False
    cut = _CLAUSE_START.search(text, 0, at)
    clause = text[cut.start() + 1 if cut else 0 : at]
    count = _COUNT.match(text, at + 1)
    if count and "、" in clause:
        items = [p for p in re.split(r"、|和|与|及|以及", clause) if p.strip()]
        return len(items) != _zh_number(count.group(1))
    return bool(_LIST_NOUN.match(text, at + 1)) or "、" in clause


@rule("RK203", "open-ended-list", severity=_W, group="lint", scope="requirement")
def open_ended_list(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags lists left open: etc., and so on, including but not limited to; 等, 等等,
    包括但不限于. 等 counts only where it ends a list (`CSV、Excel 等格式`), not in 等待,
    等级, 等于, 相等 or 平等, nor before a count that matches the items
    (`CSV、Excel、PDF 等 3 种格式` is complete); `/etc/hosts` is a path.

    ## Why is this bad?
    Nobody can test "and so on": the reader fills in the rest, and each reader differently
    (INCOSE R32, NASA ARM "incomplete").

    ## Example
    ```yaml
    description: The report shall export to CSV, Excel, PDF etc.
    ```
    Use instead:
    ```yaml
    description: The report shall export to CSV, Excel and PDF.
    ```
    """
    for part in prose(entry):
        for m in OPEN_ENDED.finditer(part):
            if m.group() == "等" and not _closes_list(part.prose, m.start()):
                continue
            word = part.text[m.start() : m.end()].strip()
            message = f"open-ended list '{word}': list every item"
            yield _report(entry, ctx, "RK203", part, m.start(), m.end(), message)


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
    _trie([*_ABOUT_WORDS, "close to"], tail=r"\s+(?=\d)")
    + r"|大约|大概(?![率念])"
    + r"|约(?<![预签节制合公条邀特简契缔相履失赴守违]约)(?=\s*[\d一二两三四五六七八九十百千万半])"
)
#: "5 秒左右", "3 hours or so" (a number first: a pattern of its own, run when 左右 is there)
_AROUND = lazy(r"\d+(?:\.\d+)?\s*(?:[^\W\d]{1,4}\s*)?左右")
_HOW = lazy(r"(?<![a-z])how\s\Z")


@functools.cache
def _vague(extra: tuple[str, ...]) -> _Scan:
    ascii_words = [w for w in extra if w.isascii()]
    other = sorted((w for w in extra if not w.isascii()), key=len, reverse=True)
    pattern = "|".join(
        [_trie([*_VAGUE_EN, *ascii_words]), _VAGUE_ZH, *map(re.escape, other), _ABOUT]
    )
    return _Scan(pattern, [*_VAGUE_EN, *ascii_words, *_ABOUT_WORDS, "close to", *other])


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
            yield _report(entry, ctx, "RK204", part, m.start(), m.end(), message)


_WEAK_MODALS_SOURCE = (
    _trie(["should", "might", "could", "would"])
    + r"|c(?<![a-z0-9_-].)an(?![a-z0-9_'’-])"
    + "|宜(?<![便适事合时权相机得咸]宜)(?![家居人昌宾兴春])|可(?<!不可)以|也许|或许"
    + "|可(?<![尽不若]可)(?<!如果可)能(?!性|的情况)"
)
WEAK_MODALS = _Scan(_WEAK_MODALS_SOURCE, ["should", "might", "could", "would", "can"])
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
    yield from _findings(entry, ctx, "RK205", WEAK_MODALS, message, STATEMENT)
    for part in prose(entry, STATEMENT):
        for m in _MAY.finditer(part.prose) if "may" in part.words else ():
            word = m.group()
            yield _report(entry, ctx, "RK205", part, m.start(), m.end(), message.format(word=word))


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
    rf"|(?<={_HAN})\s*[/／]\s*(?={_HAN})",
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
            yield _report(entry, ctx, "RK206", part, m.start(), m.end(), message)


@rule("RK207", "multiple-requirements", severity=_W, group="lint", scope="requirement")
def multiple_requirements(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags a description with more than one "shall" (应): more than one requirement in one.
    应 inside another word (应用, 响应, 对应, 相应, 适应, 反应, 供应, 应答, 应急) is not a "shall".

    ## Why is this bad?
    Each requirement is traced, tested and accepted on its own; two obligations in one
    file get one status between them, so one of them is always misreported (INCOSE R18).

    ## Example
    ```yaml
    description: The system shall export the report and shall email it to the owner.
    ```
    Use instead:
    Two requirements, one for the export and one for the email, linked by `parent`.
    """
    for part in prose(entry, STATEMENT):
        if not part.han and part.low.count("shall") < 2:
            continue
        for m in list(_SHALL.finditer(part.low))[1:]:
            word = part.text[m.start() : m.end()]
            message = f"a second '{word}' in one requirement: split it into two"
            yield _report(entry, ctx, "RK207", part, m.start(), m.end(), message)


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
    _trie(_ABSOLUTE_WORDS)
    + r"|1(?<![\d.,]1)00(?:\.0+)?\s?(?:%|％|percent\b|per\s+cent\b)"
    + "|总是|始终|永远|永不|百分之百|万无一失|零缺陷|任何时候"
    + "|绝对(?!路径|值|地址|坐标|定位|时间|引用|链接)|完全(?!备份|限定|一致|相同|匹配)"
    # 最 + a quality is a superlative; 最 + a measure or a position is not (最近, 最终,
    # 最后, 最初, 最多, 最少, 最大, 最小, 最高, 最低, 最长, 最短, 最新, 最早, 最晚 ...)
    + "|最(?:高效|短时间|先进|重要|合适|理想|完美|方便|简单|全面|准确|可靠|稳定|安全|流畅|友好|适合)"
    + rf"|最(?![近终后初多少大小高低长短新早晚迟前末先左右上下久值]){_HAN}"
)


# 100 % needs "%", "％", "percent" or "per cent"
ABSOLUTES = _Scan(
    _ABSOLUTES_SOURCE, [*_ABSOLUTE_WORDS, "percent", "cent"], covered="1", chars="%％"
)


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
    yield from _findings(
        entry, ctx, "RK208", ABSOLUTES, "absolute '{word}': state a measurable bound"
    )


_PASSIVE_EN = lazy(
    _trie(
        ["shall", "must", "will"],
        tail=r"\s+(?:not\s+)?be\s+"
        r"(?!(?:open|even|green|red|seven|ten|often|golden|wooden|based|located|equipped)\b)"
        r"(?:\w+ed|\w+en|made|done|sent|shown|kept|built|set|put|read|run|sold|told|held|found|"
        r"lost|paid|left|bought|brought|taught|sought|spent|dealt)" + _END,
    )
)
_PASSIVE_WORDS = frozenset({"shall", "must", "will"})
_BY_ACTOR = lazy(r"b(?<![a-z0-9_-].)y\s+(?!\d|default(?![a-z0-9_-])|no\s+later)")
_PASSIVE_ZH = lazy(rf"{_SHALL_ZH}被")
#: 被 followed by an actor: 应被系统导出, 应被管理员审批, 应被 CI 拒绝.
_ZH_AGENT = lazy(
    r"\s*(?:[A-Za-z]|系统|用户|管理员|服务器|服务|客户端|程序|平台|应用|后台|前端|后端|操作员|"
    r"审核员|审核人|审批人|负责人|调度器|网关|数据库|客户|运维|财务)"
)


@rule("RK209", "passive-without-actor", severity=_W, group="lint", scope="requirement")
def passive_without_actor(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags a passive "shall be done" with no actor ("by the system") in the same sentence;
    应被 with no actor (应被系统导出, 由 … 导出 name one).

    ## Why is this bad?
    "The report shall be exported" does not say who exports it: the user, the system or a
    nightly job. Name the actor (INCOSE R3).

    ## Example
    ```yaml
    description: The report shall be exported every night.
    ```
    Use instead:
    ```yaml
    description: When the nightly job starts at 02:00 UTC, the system shall export the report.
    ```
    """
    for part in prose(entry, STATEMENT_AND_CRITERIA):
        low = part.low
        if "被" not in low and (
            "be" not in part.words
            or _PASSIVE_WORDS.isdisjoint(part.words)
            or not _PASSIVE_EN.search(low)
        ):
            continue
        for offset, sentence in sentences(low):
            m = _PASSIVE_EN.search(sentence)
            if m and not _BY_ACTOR.search(sentence, m.end()):
                yield _passive(entry, ctx, part, offset, m)
            for m in _PASSIVE_ZH.finditer(sentence):
                if "由" not in sentence and not _ZH_AGENT.match(part.prose, offset + m.end()):
                    yield _passive(entry, ctx, part, offset, m)


def _passive(
    entry: Entry, ctx: CheckContext, part: Prose, offset: int, m: re.Match[str]
) -> Diagnostic:
    start, end = offset + m.start(), offset + m.end()
    message = (
        f"passive '{' '.join(part.text[start:end].split())}' without an actor: say who does it"
    )
    return _report(entry, ctx, "RK209", part, start, end, message)


#: "shall not exceed 2 s" and 不超过 state a bound, not a prohibition.
_BOUND_EN = (
    r"(?!\s+(?:exceed|be\s+(?:more|less|greater|fewer|longer|shorter|higher|lower|later|"
    r"earlier|slower|faster|larger|smaller|heavier|older|newer)\s+than)\b)"
)
_BOUND_ZH = "(?!超过|超出|大于|小于|少于|低于|高于|多于|晚于|早于|长于|短于)"
_NEGATIVE_WORDS = [
    "shall not",
    "shall never",
    "must not",
    "must never",
    "will not",
    "will never",
    "shan't",
    "mustn't",
    "won't",
]
_NEGATIVES_SOURCE = (
    _trie(
        _NEGATIVE_WORDS,
        tail=_BOUND_EN,
    )
    + "|"
    + "|".join(
        zh + _BOUND_ZH
        for zh in (
            "不应(?:当|该)?+(?![用答急付聘邀变届酬征运])",
            _SHALL_ZH + "不(?!仅|但|只)",
            "不(?<![舍怪恨巴记顾由免少说]不)得(?![不已了])",
            "不能",
            "不允许",
            "不可以",
            "严禁",
        )
    )
)


NEGATIVES = _Scan(_NEGATIVES_SOURCE, _NEGATIVE_WORDS)


@rule("RK210", "negative-statement", severity=_W, group="lint", scope="requirement")
def negative_statement(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags requirements stated in the negative: shall not, must never; 不应, 不得, 应不,
    不能, 不允许. A bound is not a negative: "shall not exceed 2 s", 应不超过 2 秒.

    ## Why is this bad?
    A negative requirement is satisfied by an infinite set of behaviours and proven by
    none; state what the system shall do instead (INCOSE R16). Security rules that truly
    forbid something can suppress it with a reason.

    ## Example
    ```yaml
    description: The system shall not lose unsaved edits.
    ```
    Use instead:
    ```yaml
    description: When the session expires, the system shall save unsaved edits as a draft.
    ```
    """
    yield from _findings(
        entry,
        ctx,
        "RK210",
        NEGATIVES,
        "negative statement '{word}': say what the system shall do",
        STATEMENT,
    )


#: A number that closes a clause: before , ; : ) . (not 2.4, 02:00 or 1,000), a Chinese
#: stop, the end, "or less" and 以内/以下-like Chinese tails.
_BARE_NUMBER = lazy(
    r"(\d(?<![a-z0-9_.,:/#(（-]\d)\d*(?:\.\d+)?)"
    r"(?![,、]\s*\d)"
    r"(?=\s*(?:[,;:)](?!\d)|\.(?!\d)|[。，；：、）！？]|\Z"
    r"|or\s+(?:less|more|fewer|lower|higher|above|below|under|over)(?=\s*(?:[,.;:)]|\Z))"
    r"|以内|之内|以下|以上|之后|之前|内(?![容部存置核网])|后(?![台端续])|前(?![端台]))"
    r")"
)
_NOT_A_MEASURE = lazy(
    r"(?<![a-z])(?:version|release|v|step|item|phase|level|page|chapter|section|figure|fig\.|"
    r"table|rule|issue|priority|number|no\.|id|code|codes|exit|exits|exited|returns?|status|"
    r"http|error|port|line|row|column|grade|tier|stage|round|option|case|"
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|#|"
    r"版本|第|步骤|条|章|节|表|图|编号|退出码|返回|错误码|状态码|端口|级别|优先级|等级)"
    r"\s*(?:(?:is|of|=|equals?|to|be)\s*)?\Z"
)
_LIST_MARK = lazy(r"[.)、．][ \t]*\S")  # "1. Export", "1、导出" open a list item
_UNIT_BEFORE = lazy(r"(?:[$€£¥￥]|(?<![a-z])(?:usd|eur|gbp|cny|rmb|jpy|hkd)|人民币)\s*\Z")


@functools.cache
def _units_before(units: tuple[str, ...]) -> re.Pattern[str] | None:
    if not units:
        return None
    alts = "|".join(re.escape(u.lower()) for u in sorted(units, key=len, reverse=True))
    return re.compile(rf"(?:{alts})\s*\Z")


@rule("RK211", "number-without-unit", severity=_W, group="lint", scope="requirement")
def number_without_unit(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags a number that ends a clause with no unit after it: "within 2." rather than
    "within 2 s."; "不超过 200。" or "200 以内" rather than "不超过 200 毫秒。". Years,
    versions, exit codes, dates, times (02:00), thousands (1,000), list numbers ("1." or
    "（1）" opening a line) and amounts after a currency ("USD 20.", "¥20。") are not
    flagged. `[lint] units = ["pts"]` adds words that count as a unit when written before
    the number.

    ## Why is this bad?
    2 seconds or 2 minutes? A bare number is a guess waiting to be tested wrongly
    (INCOSE R33, NASA ARM "imperatives without units").

    ## Example
    ```yaml
    description: The export shall finish within 2.
    ```
    Use instead:
    ```yaml
    description: The export shall finish within 2 s.
    ```
    """
    extra = _units_before(ctx.config.lint_units)
    for part in prose(entry, STATEMENT_AND_CRITERIA):
        text = part.low
        for m in _BARE_NUMBER.finditer(text):
            number, before = m.group(1), text[max(0, m.start() - 40) : m.start()]
            line_start = before[before.rfind("\n") + 1 :]
            if (
                re.fullmatch(r"(?:19|20)\d\d", number)
                or (
                    not line_start.strip(" \t-*+>")  # "1." or "1、" numbering a line
                    and (m.start() - len(line_start) == 0 or "\n" in before)
                    and _LIST_MARK.match(text, m.end())
                )
                or _NOT_A_MEASURE.search(before)
                or _UNIT_BEFORE.search(before)
                or (extra is not None and extra.search(before))
            ):
                continue
            message = f"number '{number}' without a unit"
            yield _report(entry, ctx, "RK211", part, m.start(1), m.end(1), message)


_SHALL_WORD = lazy(_trie(["shall"], tail=r"\s+\w"))
_EARS_TRIGGER = lazy(r"(?:while|when|where|if)(?![a-z0-9_-])")
_EARS_ZH_TRIGGER = ("当", "在", "如果", "若", "假如", "一旦", "只要")
_CLAUSE_BREAK = lazy(r"(?<!\d)[,;:]|[,;:](?!\d)")


def _ears(sentence: str) -> bool:
    """The sentence (lower-cased) follows an EARS pattern: "[When|While|Where|If …,]
    [then] <system> shall <response>", or 系统应… after an optional 当/在/如果…，."""
    m = _SHALL_WORD.search(sentence)
    if m and m.start() > 0 and sentence[m.start() - 1].isspace():
        subject = sentence[: m.start()]
        if _EARS_TRIGGER.match(subject) and ("," in subject or "，" in subject):
            return True
        if not _CLAUSE_BREAK.search(subject):
            return True
    m = _SHALL_ZH_RE.search(sentence)
    if m:
        subject = sentence[: m.start()]
        if subject.startswith(_EARS_ZH_TRIGGER) and ("，" in subject or "," in subject):
            return True
        if not any(c in subject for c in "，,。；"):
            return True
    return False


_SHALL_ZH_RE = lazy(_SHALL_ZH)


@rule("RK212", "not-ears", severity=_W, group="lint", scope="requirement", enabled=False)
def not_ears(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Opt-in (`[rules] RK212 = "warning"`): flags a description whose first sentence follows
    none of the five EARS patterns: ubiquitous "The <system> shall …", event-driven
    "When <trigger>, the <system> shall …", state-driven "While <state>, …", unwanted
    behaviour "If <trigger>, then the <system> shall …", optional feature "Where <feature>,
    …"; and their Chinese forms "系统应…", "当…时，系统应…", "在…期间，系统应…",
    "如果…，那么系统应…", "在具备…的情况下，系统应…".

    ## Why is this bad?
    EARS (Easy Approach to Requirements Syntax) gives every requirement the same shape, so
    reviewers see at once the trigger, the system and the response; free prose hides them.

    ## Example
    ```yaml
    description: Export of many reports at once for the finance team.
    ```
    Use instead:
    ```yaml
    description: When the user selects 3 reports, the system shall export them as one .zip file.
    ```
    """
    for part in prose(entry, STATEMENT):
        first = next(sentences(part.low), None)
        if first and not _ears(first[1]):
            start, sentence = first
            yield _report(
                entry,
                ctx,
                "RK212",
                part,
                start,
                start + len(sentence.rstrip()),
                "the first sentence follows no EARS pattern (When/While/If/Where …, the system"
                " shall …; 当…时，系统应…)",
            )


@rule("RK213", "unknown-suppression", severity=_W, group="lint", scope="requirement")
def unknown_suppression(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags a `lint.ignore` entry that names no rule, or a rule that cannot be suppressed
    (the YAML safety rules).

    ## Why is this bad?
    A mistyped suppression silences nothing, and the reviewer who approved it believes
    the finding is handled.

    ## Example
    ```yaml
    lint:
      ignore:
        RK2044: industry term
    ```
    Use instead:
    ```yaml
    lint:
      ignore:
        RK204: "'fast charging' is the product's name"
    ```
    """
    for code in suppressions(entry):
        known = REGISTRY.get(code)
        if known is None or not known.configurable:
            why = (
                "no rule has this code"
                if known is None
                else "YAML safety rules cannot be suppressed"
            )
            yield ctx.at(
                entry,
                ("lint", "ignore", code),
                "RK213",
                f"lint.ignore names {code}: {why}",
                on="key",
            )


def suppressions(entry: Entry) -> dict[str, str]:
    """Per-requirement `lint: {ignore: {CODE: reason}}`, reasons required."""
    lint = (entry.data or {}).get("lint")
    ignore = lint.get("ignore") if isinstance(lint, dict) else None
    if not isinstance(ignore, dict):
        return {}
    return {str(k): v for k, v in ignore.items() if isinstance(v, str) and v.strip()}
