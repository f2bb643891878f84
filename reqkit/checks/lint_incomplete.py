"""RK201, RK203: text with a hole in it (placeholders) or a list left open (etc., 等)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from reqkit.checks.context import CheckContext
from reqkit.checks.lint_scan import END, HAN, Scan, Triggers, findings, gate, report, trie, triggers
from reqkit.checks.patterns import lazy
from reqkit.checks.registry import rule
from reqkit.checks.text import prose
from reqkit.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from reqkit.model.reqset import Entry

_W = Severity.WARNING


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
    trie(_PLACEHOLDER_WORDS)
    + r"|\?\?\?+"
    # 待定, 待确认 ... as a hole in the text, not inside 等待/期待/接待, not a state name
    # in quotes (“待确认”), nor 待确认 before a noun (待确认订单: a state)
    + r"|待(?<![等期接款招对看善优虐亏相厚“「『\"']待)"
    + rf"(?:定义?|(?:确认|确定|补充|完善|讨论)(?!{HAN}|[”」』\"']))"
)
PLACEHOLDERS = Scan(_PLACEHOLDERS_SOURCE, _PLACEHOLDER_WORDS)
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
    yield from findings(entry, ctx, "RK201", PLACEHOLDERS, message)
    for part in prose(entry):
        if "TODO" in part.prose or "FIXME" in part.prose:
            for m in _TODO.finditer(part.prose):
                word = m.group()
                yield report(
                    entry, ctx, "RK201", part, m.start(), m.end(), message.format(word=word)
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
    trie(_OPEN_WORDS)
    + r"|a(?<![a-z0-9_-].)nd\s+more(?!\s+than)"
    + END
    + r"|e(?<![a-z0-9_/.-].)tc(?![a-z0-9_/-])\.?"
    + "|等等|包括但不限于|包括但不仅限于|之类|诸如此类"
    # a lone 等: the candidates; _closes_list decides
    + r"|等(?<![相平同对不均高初中上次优劣头特超何]等)(?![等待候级于同价效到号额分比差宽距腰式温速量])"
)
OPEN_ENDED = Scan(_OPEN_ENDED_SOURCE, [*_OPEN_WORDS, "and more", "etc"])
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
            yield report(entry, ctx, "RK203", part, m.start(), m.end(), message)


@gate("RK201")
def _may_hold_placeholder(_: CheckContext) -> Triggers:
    return triggers(PLACEHOLDERS, words=["todo", "fixme"])


@gate("RK203")
def _may_leave_list_open(_: CheckContext) -> Triggers:
    return triggers(OPEN_ENDED)
