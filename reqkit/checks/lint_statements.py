"""RK207, RK209-RK212: the shape of the statement, sentence by sentence.

One obligation per requirement, an actor for each passive, positive statements, units
for numbers and (opt-in) the EARS patterns.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext
from reqkit.checks.lint_scan import (
    END,
    SHALL_ZH,
    STATEMENT,
    STATEMENT_AND_CRITERIA,
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
from reqkit.checks.text import Prose, prose, sentences
from reqkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

_W = Severity.WARNING


_SHALL = lazy(rf"{trie(['shall'])}|{SHALL_ZH}")


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
            yield report(entry, ctx, "RK207", part, m.start(), m.end(), message)


_PASSIVE_EN = lazy(
    trie(
        ["shall", "must", "will"],
        tail=r"\s+(?:not\s+)?be\s+"
        r"(?!(?:open|even|green|red|seven|ten|often|golden|wooden|based|located|equipped)\b)"
        r"(?:\w+ed|\w+en|made|done|sent|shown|kept|built|set|put|read|run|sold|told|held|found|"
        r"lost|paid|left|bought|brought|taught|sought|spent|dealt)" + END,
    )
)
_PASSIVE_WORDS = frozenset({"shall", "must", "will"})
_BY_ACTOR = lazy(r"b(?<![a-z0-9_-].)y\s+(?!\d|default(?![a-z0-9_-])|no\s+later)")
_PASSIVE_ZH = lazy(rf"{SHALL_ZH}被")
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
    return report(entry, ctx, "RK209", part, start, end, message)


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
    trie(
        _NEGATIVE_WORDS,
        tail=_BOUND_EN,
    )
    + "|"
    + "|".join(
        zh + _BOUND_ZH
        for zh in (
            "不应(?:当|该)?+(?![用答急付聘邀变届酬征运])",
            SHALL_ZH + "不(?!仅|但|只)",
            "不(?<![舍怪恨巴记顾由免少说]不)得(?![不已了])",
            "不能",
            "不允许",
            "不可以",
            "严禁",
        )
    )
)


NEGATIVES = Scan(_NEGATIVES_SOURCE, _NEGATIVE_WORDS)


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
    yield from findings(
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
            yield report(entry, ctx, "RK211", part, m.start(1), m.end(1), message)


_SHALL_WORD = lazy(trie(["shall"], tail=r"\s+\w"))
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


_SHALL_ZH_RE = lazy(SHALL_ZH)


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
            yield report(
                entry,
                ctx,
                "RK212",
                part,
                start,
                start + len(sentence.rstrip()),
                "the first sentence follows no EARS pattern (When/While/If/Where …, the system"
                " shall …; 当…时，系统应…)",
            )


@gate("RK207")
def _may_oblige_twice(_: CheckContext) -> Triggers:
    return triggers(words=["shall"], chars="应")


@gate("RK209")
def _may_be_passive(_: CheckContext) -> Triggers:
    return triggers(words=["be"], chars="被")


@gate("RK210")
def _may_be_negative(_: CheckContext) -> Triggers:
    return triggers(NEGATIVES)
