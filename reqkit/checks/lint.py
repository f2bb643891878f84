"""RK2xx: requirement text lint, in English and Chinese.

Drawn from the INCOSE Guide for Writing Requirements, NASA's ARM indicators and EARS.
Rules read `title`, `description` and `acceptance` and report the offending words at
their line and column inside the block scalar. Chinese rules match words, not
characters: precise patterns keep 等 in 等待, 应 in 应用 or 响应 and 最 in 最近 out
(no segmenter: jieba's dictionary load alone would cost more than a whole warm check).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext
from reqkit.checks.registry import REGISTRY, rule
from reqkit.checks.text import locate, prose, sentences
from reqkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

_W = Severity.WARNING
_HAN = r"\u4e00-\u9fff"
STATEMENT = ("description",)
STATEMENT_AND_CRITERIA = ("description", "acceptance")


def _en(words: Iterable[str]) -> str:
    """Whole English words or phrases, any case, any white space between words."""
    alts = sorted((r"\s+".join(map(re.escape, w.split())) for w in words), key=len, reverse=True)
    return r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w-])"


def _compile(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts if p), re.IGNORECASE)


def _findings(
    entry: Entry,
    ctx: CheckContext,
    code: str,
    pattern: re.Pattern[str],
    message: str,
    fields: tuple[str, ...] = ("title", "description", "acceptance"),
) -> Iterator[Diagnostic]:
    for part in prose(entry, fields):
        for m in pattern.finditer(part.text):
            line, column = locate(entry, part, m.start(), m.end())
            yield ctx.make(entry, line, column, code, message.format(word=m.group().strip()))


PLACEHOLDERS = _compile(
    _en(
        [
            "TBD",
            "TBC",
            "TBA",
            "TBR",
            "to be determined",
            "to be confirmed",
            "to be defined",
            "to be decided",
            "TODO",
            "FIXME",
            "XXX",
        ]
    ),
    r"\?{3,}",
    "待定|待确认|待补充|待完善|待讨论|待定义",
)


@rule("RK201", "placeholder", severity=_W, group="lint", scope="requirement")
def placeholder(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags placeholders left in the text: TBD, TBC, to be determined, TODO, ???; 待定, 待确认.

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
    yield from _findings(entry, ctx, "RK201", PLACEHOLDERS, "placeholder '{word}': fill it in")


ESCAPES = _compile(
    _en(
        [
            "where possible",
            "wherever possible",
            "if possible",
            "as far as possible",
            "to the extent possible",
            "if necessary",
            "when necessary",
            "where necessary",
            "if needed",
            "as needed",
            "when needed",
            "as appropriate",
            "where appropriate",
            "if appropriate",
            "if practical",
            "where practical",
            "as applicable",
            "where applicable",
            "if feasible",
            "where feasible",
            "if required",
        ]
    ),
    "尽可能|尽量|如有必要|必要时|如有需要|视情况|根据情况|酌情|在可能的情况下|如果可能|原则上",
)


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


OPEN_ENDED = _compile(
    _en(
        [
            "and so on",
            "and so forth",
            "including but not limited to",
            "among others",
            "and others",
            "and more",
        ]
    ),
    r"(?<![\w/-])etc\b\.?(?!/)",
    "等等|包括但不限于|之类|诸如此类",
    # 等 closing a list: after an enumeration comma, not part of 等待/等级/等于/相等/平等...
    rf"(?<=[{_HAN}A-Za-z0-9）)])(?<![相平同对不均高初中上次])等(?![待候级于同价效到号])"
    rf"(?=[。，、；：,.;:\s）)]|$|(?:功能|内容|信息|数据|操作|方面|情况|字段|格式|场景|问题))",
)


@rule("RK203", "open-ended-list", severity=_W, group="lint", scope="requirement")
def open_ended_list(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags lists left open: etc., and so on, including but not limited to; 等, 等等, 包括但不限于.

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
    yield from _findings(
        entry, ctx, "RK203", OPEN_ENDED, "open-ended list '{word}': list every item"
    )


_VAGUE_EN = [
    "user-friendly",
    "user friendly",
    "easy to use",
    "easy",
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
    "adequate",
    "sufficient",
    "sufficiently",
    "reasonable",
    "reasonably",
    "timely",
    "several",
    "some",
    "many",
    "few",
    "various",
    "significant",
    "significantly",
    "minimal",
    "seamless",
    "seamlessly",
    "intuitive",
    "modern",
    "state-of-the-art",
    "normal",
    "typical",
    "as soon as possible",
    "asap",
    "high performance",
    "good",
    "better",
]
_VAGUE_ZH = "友好|易用|好用|易于使用|简单|方便|快速|迅速|高效|灵活|适当|合理|及时|若干|一些|大量|足够|尽快|良好|稳定可靠|美观"
_ABOUT = r"(?<![\w-])(?:about|approximately|roughly|around|nearly|circa)\s+(?=\d)|大约|大概|约(?=\s*\d)|\d+\s*(?:\w+\s*)?左右"


@functools.cache
def _vague(extra: tuple[str, ...]) -> re.Pattern[str]:
    ascii_words = [w for w in extra if w.isascii()]
    other = "|".join(re.escape(w) for w in extra if not w.isascii())
    return _compile(_en([*_VAGUE_EN, *ascii_words]), _VAGUE_ZH, other, _ABOUT)


@rule("RK204", "vague-term", severity=_W, group="lint", scope="requirement")
def vague_term(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags vague terms: user-friendly, fast, appropriate, sufficient, about 5; 友好, 快速,
    适当, 合理, 及时, 大约, 若干. Add project words with `[lint] vague = [...]`.

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
    pattern = _vague(ctx.config.lint_vague)
    yield from _findings(
        entry, ctx, "RK204", pattern, "vague term '{word}': say how much, how fast or which"
    )


WEAK_MODALS = _compile(
    r"(?<![\w-])(?:should|may|might|could|would|can)(?![\w-])(?!\s+(?:not\s+)?be\s+able)",
    r"(?<![便适事])宜(?![家居人])|可以|也许|或许|(?<![不])可能(?!性)",
)


@rule("RK205", "weak-modal", severity=_W, group="lint", scope="requirement")
def weak_modal(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags weak modal verbs in the statement and the acceptance criteria: should, may,
    might, could, can; 宜, 可以, 可能, 也许.

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
    yield from _findings(
        entry,
        ctx,
        "RK205",
        WEAK_MODALS,
        "weak modal '{word}': use 'shall' (应) or drop it",
        STATEMENT_AND_CRITERIA,
    )


AND_OR = _compile(
    r"(?<![\w-])(?:and/or|or/and)(?![\w-])",
    r"(?:和|及|与|并且)/或|或/(?:和|及|与)",
    # a slash between two lower-case words (not URLs, paths, units or acronyms like I/O)
    r"(?<![\w/:.~-])[a-z]{2,}/[a-z]{2,}(?![\w/.-])",
    rf"(?<=[{_HAN}])/(?=[{_HAN}])",
)


@rule("RK206", "and-or", severity=_W, group="lint", scope="requirement")
def and_or(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags "and/or" and slashes between words: read/write, 导入/导出; 和/或.

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
    # re.IGNORECASE would let the lower-case word rule match acronyms: run it case-sensitive.
    yield from _findings(entry, ctx, "RK206", _AND_OR_CS, "'{word}': write out 'and' or 'or'")


_AND_OR_CS = re.compile(AND_OR.pattern)

_SHALL = re.compile(
    r"(?<![\w-])shall(?![\w-])|(?<![响对相适反供效回感呼答理报])应(?:当|该)?(?![用答急对付聘邀变])",
    re.IGNORECASE,
)


@rule("RK207", "multiple-requirements", severity=_W, group="lint", scope="requirement")
def multiple_requirements(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags a description with more than one "shall" (应): more than one requirement in one.

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
        hits = list(_SHALL.finditer(part.text))
        for m in hits[1:]:
            line, column = locate(entry, part, m.start(), m.end())
            yield ctx.make(
                entry,
                line,
                column,
                "RK207",
                f"a second '{m.group()}' in one requirement: split it into two",
            )


ABSOLUTES = _compile(
    _en(
        [
            "always",
            "never",
            "forever",
            "all the time",
            "at all times",
            "every time",
            "best",
            "worst",
            "fastest",
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
    ),
    r"(?<![\d.])100\s?%",
    "总是|始终|永远|永不|绝对|完全|百分之百|万无一失|最好|最佳|最优|最快|最强|最完美|最先进|最方便|最简单|最全面",
)


@rule("RK208", "absolute-or-superlative", severity=_W, group="lint", scope="requirement")
def absolute_or_superlative(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags absolutes and superlatives: always, never, 100 %, best, fastest; 总是, 永不,
    最佳, 最快 (but not 最近, 最终, 最多, 最大: those are measures).

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


_PASSIVE_EN = re.compile(
    r"(?<![\w-])(?:shall|must|will)\s+(?:not\s+)?be\s+(?:\w+ed|\w+en|made|done|sent|shown|kept|"
    r"built|set|put|read|run|sold|told|held|found|lost|paid)(?![\w-])",
    re.IGNORECASE,
)
_PASSIVE_ZH = re.compile(r"应(?:当|该)?被")


@rule("RK209", "passive-without-actor", severity=_W, group="lint", scope="requirement")
def passive_without_actor(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags a passive "shall be done" with no actor ("by ...") in the same sentence; 应被 without 由.

    ## Why is this bad?
    "The report shall be exported" does not say who exports it: the user, the system or a
    nightly job. Name the actor (INCOSE R3).

    ## Example
    ```yaml
    description: The report shall be exported every night.
    ```
    Use instead:
    ```yaml
    description: Every night at 02:00 UTC, the system shall export the report.
    ```
    """
    for part in prose(entry, STATEMENT_AND_CRITERIA):
        for offset, sentence in sentences(part.text):
            for pattern, actor in ((_PASSIVE_EN, r"(?<![\w-])by(?![\w-])"), (_PASSIVE_ZH, "由")):
                m = pattern.search(sentence)
                if m and not re.search(actor, sentence[m.end() :], re.IGNORECASE):
                    line, column = locate(entry, part, offset + m.start(), offset + m.end())
                    yield ctx.make(
                        entry,
                        line,
                        column,
                        "RK209",
                        f"passive '{m.group()}' without an actor: say who does it",
                    )


NEGATIVES = _compile(
    r"(?<![\w-])(?:shall|must|will)\s+(?:not|never)(?![\w-])|(?<![\w-])shan't(?![\w-])",
    "不应|不得|应不|不应当|不应该",
)


@rule("RK210", "negative-statement", severity=_W, group="lint", scope="requirement")
def negative_statement(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags requirements stated in the negative: shall not, must never; 不应, 不得.

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


_UNIT_EN = re.compile(r"(?<![\w.,:/#-])(\d+(?:\.\d+)?)(?=\s*(?:[,;:)]|\.(?!\d)|$))", re.MULTILINE)
_UNIT_ZH = re.compile(r"(?<![\w.,:/#-])(\d+(?:\.\d+)?)(?=\s*[。，；：、）]|\s*$)", re.MULTILINE)
_NOT_A_MEASURE = re.compile(
    r"(?:version|release|v|step|item|phase|level|page|chapter|section|figure|table|rule|"
    r"issue|priority|number|no|id|code|codes|exit|exits|exited|returns?|#|"
    r"版本|第|步骤|条|章|节|表|图|编号|退出码|返回)\s*$",
    re.IGNORECASE,
)


@rule("RK211", "number-without-unit", severity=_W, group="lint", scope="requirement")
def number_without_unit(entry: Entry, ctx: CheckContext) -> Iterator[Diagnostic]:
    """## What it does
    Flags a number that ends a clause with no unit after it: "within 2." rather than
    "within 2 s."; "不超过 200。" rather than "不超过 200 毫秒。". Years, versions and
    numbered items are not flagged.

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
    for part in prose(entry, STATEMENT_AND_CRITERIA):
        for pattern in (_UNIT_EN, _UNIT_ZH):
            for m in pattern.finditer(part.text):
                number = m.group(1)
                if re.fullmatch(r"(?:19|20)\d\d", number) or _NOT_A_MEASURE.search(
                    part.text[: m.start()]
                ):
                    continue
                line, column = locate(entry, part, m.start(1), m.end(1))
                yield ctx.make(entry, line, column, "RK211", f"number '{number}' without a unit")


_EARS_EN = re.compile(
    r"^\s*(?:(?:while|when|where|if)\b[^,]+,\s*)*(?:then\s+)?(?:the\s+)?[\w\s'-]+?\s+shall\s+\w",
    re.IGNORECASE,
)
_EARS_ZH = re.compile(
    r"^\s*(?:(?:当|在|如果|若|一旦)[^，,]+[，,]\s*)*(?:那么|则)?\s*[^，,。]*?"
    r"(?<![响对相适反供效回感呼答理])应(?:当|该)?(?![用答急对付聘邀变])"
)


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
    description: When the user selects several reports, the system shall export them as one .zip file.
    ```
    """
    for part in prose(entry, STATEMENT):
        first = next(sentences(part.text), None)
        if first and not (_EARS_EN.match(first[1]) or _EARS_ZH.match(first[1])):
            line, column = locate(entry, part, first[0], first[0] + len(first[1].rstrip()))
            yield ctx.make(
                entry,
                line,
                column,
                "RK212",
                "the first sentence follows no EARS pattern (When/While/If/Where …, the system shall …)",
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
