"""The text lint rules RK201–RK213, in English and Chinese, through the installed command.

Every case is a requirement file in a real Git repository, checked by the `reqkit`
executable of this environment (`check --format json`). A bad case lists every
diagnostic its file must get, as exact (line, column, code); a good case (the fix), a near
miss and a well-written EARS requirement must get none at all. Files share a repository
per configuration, so the whole module costs a handful of runs.

Each file starts with the same four lines; the text under test starts on line 5:

    1 id: 202405-NNN
    2 title: Batch export on the report page
    3 type: functional
    4 status: analysis
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REQKIT = Path(sys.executable).parent / "reqkit"
TITLE = "Batch export on the report page"
HEADER = "id: {id}\ntitle: {title}\ntype: functional\nstatus: analysis\n"
LINT_CODES = [f"RK{n}" for n in range(201, 214)]
RK212_ON = '[rules]\nRK212 = "warning"\n'


# ---- helpers: a repository on disk, the installed command, its JSON ----------------------


@dataclass(frozen=True)
class Run:
    exit_code: int
    by_file: dict[str, list[dict[str, Any]]]  # case name → its diagnostics
    stderr: str

    def found(self, name: str) -> set[tuple[int, int, str]]:
        return {(d["line"], d["column"], d["code"]) for d in self.by_file[name]}

    def codes(self, name: str) -> set[str]:
        return {d["code"] for d in self.by_file[name]}


def check_repo(base: Path, files: dict[str, str], config: str = "") -> Run:
    """Write one file per case (`{id}` filled in), `git init`, run `reqkit check --format json`."""
    base.mkdir(parents=True)
    (base / "reqkit.toml").write_text(config, encoding="utf-8")
    (base / "reqs").mkdir()
    path_of: dict[str, str] = {}
    for seq, (name, text) in enumerate(files.items(), start=1):
        rid = f"202405-{seq:03}"
        path = f"reqs/{rid}.yaml"
        (base / path).write_bytes(text.replace("{id}", rid).encode("utf-8"))
        path_of[path] = name
    subprocess.run(["git", "init", "-q"], cwd=base, check=True)
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "REQKIT_NO_CACHE")}
    env |= {"REQKIT_CACHE_DIR": str(base.parent / f"{base.name}-cache"), "NO_COLOR": "1"}
    result = subprocess.run(
        [str(REQKIT), "check", "--format", "json"],
        cwd=base,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    by_file: dict[str, list[dict[str, Any]]] = {name: [] for name in files}
    for d in report["diagnostics"]:
        by_file[path_of[d["path"]]].append(d)
    assert report["summary"]["requirements"] == len(files)
    return Run(result.returncode, by_file, result.stderr)


def doc(body: str, title: str = TITLE) -> str:
    """A requirement file: the four header lines, then `body` from line 5."""
    return HEADER.format(id="{id}", title=title) + body


def described(text: str) -> str:
    """A one-line plain description on line 5 (the text starts at column 14)."""
    return doc(f"description: {text}\n")


# ---- bad examples: every diagnostic of the file, exact ---------------------------------


@dataclass(frozen=True)
class Bad:
    name: str
    text: str
    expect: tuple[tuple[int, int, str], ...]


def bad(name: str, body: str, *expect: tuple[int, int, str], title: str = TITLE) -> Bad:
    return Bad(name, doc(body, title), expect)


BAD = [
    # RK201 placeholder
    bad(
        "RK201-en-title",
        "description: The export shall finish within 5 s.\n",
        (2, 22, "RK201"),
        title="Export within TBD seconds",
    ),
    bad(
        "RK201-en-plain",
        "description: The export shall finish within TBD seconds.\n",
        (5, 45, "RK201"),
    ),
    bad(
        "RK201-zh-literal-second-line",
        "description: |\n  当用户按下导出时，系统应在 5 秒内下载 1 个压缩包，\n  压缩包的命名规则待定。\n",
        (7, 11, "RK201"),
    ),
    bad("RK201-zh-next-to-han", "description: 系统应支持TBD格式的导出文件。\n", (5, 19, "RK201")),
    # RK202 escape clause
    bad(
        "RK202-en-folded-across-lines",
        "description: >\n  The system shall cache the results of the last 20 searches where\n  possible.\n",
        (6, 62, "RK202"),
    ),
    bad(
        "RK202-en-second-occurrence-across-lines",
        "description: |\n  The system shall cache 20 searches where possible, and 5 exports where\n"
        "  possible.\n",
        (6, 38, "RK202"),
        (6, 68, "RK202"),
    ),
    bad(
        "RK202-en-as-appropriate-once",
        "description: The system shall log export errors as appropriate.\n",
        (5, 49, "RK202"),
    ),
    bad(
        "RK202-zh-acceptance-item",
        "description: 系统应缓存最近 20 次搜索的结果。\nacceptance:\n"
        "  - 给定用户搜索了 20 次，当用户打开搜索页时，那么页面尽可能显示全部 20 条结果。\n",
        (7, 32, "RK202"),
    ),
    # RK203 open-ended list
    bad(
        "RK203-en-etc",
        "description: The report shall export to CSV, Excel, PDF etc.\n",
        (5, 57, "RK203"),
    ),
    bad(
        "RK203-en-and-so-on-literal",
        "description: |\n  The report shall export to CSV,\n  Excel, PDF and so on.\n",
        (7, 14, "RK203"),
    ),
    bad(
        "RK203-zh-deng-literal",
        "description: |\n  当用户按下导出时，\n  系统应导出 CSV、Excel、PDF 等格式。\n",
        (7, 23, "RK203"),
    ),
    bad("RK203-zh-deng-at-end", "description: 系统应导出 CSV、Excel、PDF 等。\n", (5, 34, "RK203")),
    bad("RK203-zh-dengdeng", "description: 系统应导出 CSV、Excel 等等。\n", (5, 30, "RK203")),
    bad(
        "RK203-zh-count-exceeds-items",
        "description: 系统应导出 CSV、Excel 等 3 种格式。\n",
        (5, 30, "RK203"),
    ),
    bad(
        "RK203-zh-not-limited-to",
        "description: 系统应导出包括但不限于 CSV 的格式。\n",
        (5, 19, "RK203"),
    ),
    # RK204 vague term
    bad(
        "RK204-en-folded-twice",
        "description: >\n  When the user opens the report page,\n  the page shall load fast and show a fast summary.\n",
        (7, 23, "RK204"),
        (7, 39, "RK204"),
    ),
    bad(
        "RK204-en-after-same-letters",
        "description: After breakfast the page shall load fast.\n",
        (5, 50, "RK204"),
    ),
    bad(
        "RK204-en-same-word-in-two-acceptance-items",
        "description: The export shall finish within 5 s.\nacceptance:\n"
        "  - Given 3 reports, when I press Export, then the export is fast.\n"
        "  - Given 5 reports, when I press Export, then the export is fast too.\n",
        (7, 62, "RK204"),
        (8, 62, "RK204"),
    ),
    bad(
        # the same word in a code span first: the finding is the prose one
        "RK204-en-after-code-span",
        "description: The `fast` flag shall make the export fast.\n",
        (5, 52, "RK204"),
    ),
    bad(
        # a quoted key: the key line is not found by text, the reference reader locates it
        "RK204-en-quoted-key",
        '"description": |\n  When the user opens the report page,\n  the page shall load fast.\n',
        (2, 16, "RK204"),
        (7, 23, "RK204"),
        title="Load it fast",
    ),
    bad(
        "RK204-en-show-many-is-not-how-many",
        "description: The page shall show many details.\n",
        (5, 34, "RK204"),
    ),
    bad(
        "RK204-en-about-a-number",
        "description: The page shall load in about 2 s.\n",
        (5, 37, "RK204"),
    ),
    bad(
        "RK204-en-double-quoted",
        'description: "The page shall load \\"fast\\" on mobile."\n',
        (5, 37, "RK204"),
    ),
    bad(
        "RK204-zh-title",
        "description: 系统应在 2 秒内加载报表页面。\n",
        (2, 8, "RK204"),
        title="快速加载报表页面",
    ),
    bad(
        "RK204-zh-literal",
        "description: |\n  当用户打开报表页面时，\n  系统应在大约 2 秒内以友好的方式加载页面。\n",
        (7, 7, "RK204"),
        (7, 15, "RK204"),
    ),
    bad(
        "RK204-zh-yue-before-number",
        "description: 系统应在约 2 秒内加载若干报表。\n",
        (5, 18, "RK204"),
        (5, 26, "RK204"),
    ),
    # RK205 weak modal
    bad(
        "RK205-en-literal",
        "description: |\n  When the status changes,\n  the system should email the requester.\n",
        (7, 14, "RK205"),
    ),
    bad(
        "RK205-en-rfc-MAY",
        "description: The client MAY retry the export within 5 s.\n",
        (5, 25, "RK205"),
    ),
    bad(
        "RK205-zh-yi", "description: 当状态变化时，系统宜在 1 分钟内发送邮件。\n", (5, 23, "RK205")
    ),
    bad("RK205-zh-keyi", "description: 当状态变化时，系统可以发送邮件。\n", (5, 23, "RK205")),
    # RK206 and/or
    bad(
        "RK206-en-acceptance-item",
        "description: The user shall import reports.\nacceptance:\n"
        "  - Given 3 reports, when the user imports and/or exports them, then 3 files are listed.\n",
        (7, 44, "RK206"),
    ),
    bad(
        "RK206-en-slash",
        "description: The user shall read/write the report files.\n",
        (5, 29, "RK206"),
    ),
    bad(
        "RK206-en-slash-at-the-end",
        "description: The user shall import/export.\n",
        (5, 29, "RK206"),
    ),
    bad(
        "RK206-zh-slash-literal",
        "description: |\n  当用户打开报表页面时，\n  系统应支持导入/导出报表。\n",
        (7, 10, "RK206"),
    ),
    bad("RK206-zh-he-huo", "description: 系统应支持导入和/或导出报表。\n", (5, 21, "RK206")),
    # RK207 more than one requirement
    bad(
        "RK207-en-literal",
        "description: |\n  The system shall export the report\n  and shall email it to the owner.\n",
        (7, 7, "RK207"),
    ),
    bad(
        "RK207-zh-two-ying",
        "description: 系统应导出报表，并应把报表发送给负责人。\n",
        (5, 23, "RK207"),
    ),
    bad(
        "RK207-zh-ying-dui",
        "description: 系统应对输入进行校验，并应记录校验结果。\n",
        (5, 26, "RK207"),
    ),
    bad(
        "RK207-zh-yinggai-yingdang",
        "description: 系统应该导出报表，并且应当发送邮件。\n",
        (5, 25, "RK207"),
    ),
    # RK208 absolute or superlative
    bad(
        "RK208-en-acceptance-block",
        "description: The service shall be available 99.9 % of each calendar month.\n"
        "acceptance: |\n  Given a calendar month,\n  then the service is always available.\n",
        (8, 23, "RK208"),
    ),
    bad(
        "RK208-en-100-percent",
        "description: The export shall be 100 % correct.\n",
        (5, 34, "RK208"),
    ),
    bad(
        "RK208-zh-folded",
        "description: >\n  当用户打开报表页面时，\n  系统应始终提供最佳体验。\n",
        (7, 6, "RK208"),
        (7, 10, "RK208"),
    ),
    # RK209 passive without an actor
    bad(
        "RK209-en-across-lines",
        "description: |\n  Every night the report shall be\n  exported to the archive.\n",
        (6, 26, "RK209"),
    ),
    bad(
        "RK209-en-by-a-time-is-no-actor",
        "description: The report shall be exported by 02:00 UTC.\n",
        (5, 25, "RK209"),
    ),
    bad(
        "RK209-zh-acceptance-item",
        "description: 系统应每晚 02:00 导出报表。\nacceptance:\n"
        "  - 给定当天有 3 份报表，当时间到达 02:00 时，那么 3 份报表应被导出。\n",
        (7, 39, "RK209"),
    ),
    # RK210 negative statement
    bad(
        "RK210-en-shall-not",
        "description: The system shall not lose unsaved edits.\n",
        (5, 25, "RK210"),
    ),
    bad(
        "RK210-zh-buying-literal",
        "description: |\n  当会话过期时，\n  系统不应丢失未保存的编辑。\n",
        (7, 5, "RK210"),
    ),
    bad("RK210-zh-yingbu", "description: 系统应不丢失未保存的编辑。\n", (5, 16, "RK210")),
    # RK211 number without a unit
    bad(
        "RK211-en-literal",
        "description: |\n  When the user presses Export,\n  the export shall finish within 2.\n",
        (7, 34, "RK211"),
    ),
    bad(
        "RK211-en-last-line-of-block",
        "description: |\n  When the user presses Export, the export shall finish within\n  2\n",
        (7, 3, "RK211"),
    ),
    bad(
        "RK211-zh-acceptance-item",
        "description: 系统应在 2 秒内完成导出。\nacceptance:\n"
        "  - 给定选中 3 份报表，当用户按下导出时，那么导出在 200 内完成。\n",
        (7, 31, "RK211"),
    ),
    bad("RK211-zh-before-stop", "description: 导出时间应不超过 200。\n", (5, 23, "RK211")),
    # RK213 a suppression that names no rule (language-neutral); the finding stays
    bad(
        "RK213-unknown-code",
        "description: The page shall load fast.\nlint:\n  ignore:\n    RK2044: industry term\n",
        (5, 34, "RK204"),
        (8, 5, "RK213"),
    ),
    bad(
        "RK213-safety-rule",
        "description: The page shall load within 2 s.\nlint:\n  ignore:\n    RK003: came from a merge\n",
        (8, 5, "RK213"),
    ),
]

# ---- good examples (the fixes): no diagnostic at all -------------------------------------

GOOD = {
    "RK201-en": described("The export shall finish within 5 s."),
    "RK201-zh": described(
        "当用户按下导出时，系统应在 5 秒内下载 1 个压缩包，压缩包以导出日期命名。"
    ),
    "RK202-en": described("The system shall cache the results of the last 20 searches per user."),
    "RK202-zh": described("系统应缓存每个用户最近 20 次搜索的结果。"),
    "RK203-en": described("The report shall export to CSV, Excel and PDF."),
    "RK203-zh": described("系统应导出 CSV、Excel 和 PDF 三种格式。"),
    "RK204-en": described("The report page shall load within 2 s for 95 % of requests."),
    "RK204-zh": described("系统应在 2 秒内为 95 % 的请求加载报表页面。"),
    "RK205-en": described("When the status changes, the system shall email the requester."),
    "RK205-zh": described("当状态变化时，系统应在 1 分钟内发送邮件。"),
    "RK206-en": described("The user shall import reports and export reports."),
    "RK206-zh": described("系统应支持导入报表和导出报表。"),
    "RK207-en": described("The system shall export the report."),
    "RK207-zh": described("系统应导出报表。"),
    "RK208-en": described("The service shall be available 99.9 % of each calendar month."),
    "RK208-zh": described("服务应在每个自然月内 99.9 % 的时间可用。"),
    "RK209-en": described("Every night at 02:00 UTC, the system shall export the report."),
    "RK209-en-by-actor": described("The report shall be exported by the system every night."),
    "RK209-zh": described("报表应由系统在每晚 02:00 导出。"),
    "RK209-zh-bei-actor": described("报表应被系统在每晚 02:00 导出。"),
    "RK210-en": described(
        "When the session expires, the system shall save unsaved edits as a draft."
    ),
    "RK210-en-bound": described("The response time shall not exceed 2 s."),
    "RK210-zh": described("当会话过期时，系统应把未保存的编辑保存为草稿。"),
    "RK210-zh-bound": described("响应时间应不超过 2 秒。"),
    "RK211-en": described("The export shall finish within 2 s."),
    "RK211-zh": described("导出时间应不超过 200 毫秒。"),
    "RK213": described("The charger shall support fast charging at 100 W.")
    + "lint:\n  ignore:\n    RK204: \"'fast charging' is the product's name\"\n",
    # numbered steps are no bare numbers
    "RK211-numbered-steps-en": doc(
        "description: |\n  The system shall export the report in 2 steps:\n\n"
        "  1. Select 3 reports.\n  2. Press Export.\n"
    ),
    "RK211-numbered-steps-zh": doc(
        "description: |\n  系统应分 2 步导出报表：\n  1、选中 3 份报表；\n  （2）按下导出按钮。\n"
    ),
    # the example in the issue, a `|` scalar and an acceptance item
    "issue-example": doc(
        "description: |\n  When the user selects 3 reports and presses Export, the system shall"
        " download one .zip file within 5 s.\nacceptance:\n  - Given 3 selected reports, when"
        " the user presses Export, then one .zip file with 3 files downloads within 5 s.\n"
    ),
    # words of the `[lint] vague` test below: not vague without that config
    "project-words-en": described("The page shall feel snappy."),
    "project-words-zh": described("系统应提供丝滑的滚动体验。"),
    # Markdown code is not prose: a code span and a fenced block
    "code-span": described(
        "When a workflow uses `reqkit/reqkit@v1`, the Action shall install reqkit within 60 s."
    ),
    "code-block": doc(
        "description: |\n  The system shall accept this configuration:\n\n  ```toml\n"
        '  [lint]\n  vague = ["fast", "etc"]  # TBD, 待定, and/or 尽可能\n  ```\n'
        "acceptance:\n  - Given the configuration, when I run `reqkit check --strict`, then it"
        " exits 0.\n"
    ),
    # gherkin's "should" is fine in acceptance criteria (RK205 reads the statement only)
    "gherkin-should": doc(
        "description: The system shall export the report.\nacceptance:\n"
        "  - Given 3 reports, when I press Export, then I should see 3 files.\n"
    ),
}

# ---- near misses: the word inside another word, no diagnostic ----------------------------

NEAR_MISSES = {
    # RK203: 等 inside a word is no list
    # (each with 、 earlier in the clause, so only the word itself keeps 等 out)
    "RK203-dengdai": "系统应在导出 CSV、PDF 前等待 5 秒。",
    "RK203-dengji": "系统应按部门、用户等级显示报表。",
    "RK203-dengyu": "系统应在金额、数量等于 0 时隐藏支付按钮。",
    "RK203-xiangdeng": "系统应在密码、确认密码相等时启用提交按钮。",
    "RK203-pingdeng": "系统应为导出、导入队列平等分配线程。",
    "RK203-count-matches-items": "系统应导出 CSV、Excel、PDF 等 3 种格式。",
    "RK203-etc-path": "The system shall read the accounts from /etc/passwd.",
    # RK207: one 应, and 应 inside other words
    "RK207-yingyong": "系统应在应用新配置后 2 秒内生效。",
    "RK207-xiangying": "系统应在 2 秒内响应导出请求。",
    "RK207-duiying": "系统应为每份报表生成对应的压缩包。",
    "RK207-xiangying2": "系统应在 1 秒内显示相应的提示。",
    "RK207-shiying": "页面应在 1 秒内适应窗口宽度。",
    "RK207-fanying": "系统应在 1 秒内对点击做出反应。",
    "RK207-gongying": "系统应每天同步 1 次供应商列表。",
    "RK207-yingda": "系统应在 1 秒内返回应答报文。",
    "RK207-yingji": "系统应在断电时切换到应急电源。",
    "RK207-one-ying-with-yingyong-and-xiangying": "系统应在应用新配置后 2 秒内响应导出请求。",
    # RK208: 最 + a measure or a position
    "RK208-zuijin": "系统应缓存最近 20 条记录。",
    "RK208-zuizhong": "系统应在 5 秒内显示最终结果。",
    "RK208-zuihou": "系统应保留最后 3 次导出记录。",
    "RK208-zuichu": "系统应保留最初 3 个导出文件。",
    "RK208-zuiduo": "用户应能最多选择 20 份报表。",
    "RK208-zuida": "系统应拒绝超过最大 10 MB 的文件。",
    "RK208-zuixiao": "系统应拒绝小于最小 1 KB 的文件。",
    # RK205: 宜 inside a word
    "RK205-pianyi": "系统应按价格从便宜到贵排列套餐。",
    "RK205-shiyi": "系统应在温度适宜时启动设备。",
    "RK205-shiyi2": "系统应在 1 秒内显示待办事宜列表。",
    "RK205-May-the-month": "The system shall archive the reports received in May.",
    "RK205-May-with-a-day": "The system shall archive the reports by May 31.",
    # RK204: 约 only before a number, "about" only before a number
    "RK204-yueshu": "系统应校验外键约束。",
    "RK204-yueding": "系统应按约定的格式命名导出文件。",
    "RK204-yuyue": "用户应能预约 3 个时段。",
    "RK204-about-the-customer": "The page shall show the details about the customer.",
    "RK204-how-many": "The page shall show how many records were exported.",
    # RK206: acronyms, units, URLs
    "RK206-io": "The board shall expose I/O over TCP/IP.",
    "RK206-km-h": "The vehicle shall stop within 5 s at 90 km/h.",
    "RK206-url": "The page shall link to https://x.y/a/b for help.",
    "RK206-path-with-extension": "The system shall write the log to logs/export.txt within 1 s.",
    "RK206-requests-per-second": "The API shall accept 100 requests/second.",
    # RK211: versions, exit codes, years, times, thousands
    "RK211-version": "The tool shall support the API of version 2.",
    "RK211-exits": "When the check fails, the command shall print the error; it exits 1",
    "RK211-year": "The system shall keep the reports created in 2024.",
    "RK211-time-and-thousands": "At 02:00, the system shall archive 1,000 rows.",
    "RK211-currency": "The fee shall be USD 20.",
    "RK211-number-list-en": "The user shall pick 1, 2 or 3 reports.",
    "RK211-number-list-zh": "系统应支持 1、2、3 级告警。",
    # RK201: a state named 待确认 is not a placeholder; 等待 holds 待
    "RK201-state-name": "订单状态应从待确认变为已确认。",
    "RK201-quoted-state": "订单状态应显示为“待确认”。",
    "RK201-dengdai-dingshi": "系统应等待定时器触发。",
    "RK201-todo-app": "The todo list shall show 20 items.",
    # RK202: "If required fields ..." is a condition, not an escape
    "RK202-required-fields": "If required fields are empty, then the system shall highlight them.",
    # RK210: a bound is no negative; 响应不 and 不应用 hold no 应 of obligation
    "RK210-xiangying-bu": "系统的响应应不超过 2 秒。",
    "RK210-ying-dui": "系统应对输入进行校验。",
}

# ---- EARS: the five patterns, English and Chinese -----------------------------------------

EARS = {
    "ubiquitous-en": "The system shall export the report as one .zip file.",
    "event-en": "When the user selects 3 reports, the system shall download one .zip file within 5 s.",
    "state-en": "While the device is offline, the app shall cache the last 20 records.",
    "unwanted-en": "If the export fails, then the system shall show the reason within 1 s.",
    "option-en": "Where a printer is attached, the system shall print a receipt.",
    "complex-en": "While the device is offline, when the user presses Export, the app shall queue"
    " the export.",
    "ubiquitous-zh": "系统应在 5 秒内下载 1 个压缩包。",
    "event-zh": "当用户选中 3 份报表时，系统应在 5 秒内下载 1 个压缩包。",
    "state-zh": "在离线模式下，系统应缓存最近 20 条记录。",
    "unwanted-zh": "如果导出失败，那么系统应在 1 秒内显示失败原因。",
    "option-zh": "在具备打印机的情况下，系统应打印回执。",
    "state-zh-during": "在导出期间，系统应每 1 秒刷新一次进度条。",
    "ubiquitous-zh-ying-dui": "系统应对输入进行校验。",
}
EARS_WRAPPED = {
    # a `|` scalar wraps a sentence: a single line break does not end it
    "event-en-wrapped": doc(
        "description: |\n  When the user selects 3 reports and presses Export,\n"
        "  the system shall download one .zip file within 5 s.\n"
    ),
    "event-zh-wrapped": doc(
        "description: |\n  当用户选中 3 份报表并按下导出时，\n  系统应在 5 秒内下载 1 个压缩包。\n"
    ),
    "ubiquitous-en-dotted": described("The export of v2.4 reports shall finish within 5 s."),
}
NOT_EARS = {
    "RK212-en": bad(
        "RK212-en",
        "description: Export of 3 reports at once for the finance team.\n",
        (5, 14, "RK212"),
    ),
    "RK212-zh-literal": bad(
        "RK212-zh-literal",
        "description: |\n  批量导出报表，供财务团队\n  每月 1 日使用。\n",
        (6, 3, "RK212"),
    ),
}


# ---- the repositories: one per configuration ---------------------------------------------


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    files = {b.name: b.text for b in BAD}
    files |= GOOD
    files |= {f"near-{k}": described(v) for k, v in NEAR_MISSES.items()}
    files |= {f"ears-{k}": described(v) for k, v in EARS.items()}
    files |= {f"ears-{k}": v for k, v in EARS_WRAPPED.items()}
    files |= {k: b.text for k, b in NOT_EARS.items()}
    return check_repo(tmp_path_factory.mktemp("lint") / "default", files)


@pytest.fixture(scope="module")
def ears_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    files = {f"ears-{k}": described(v) for k, v in EARS.items()}
    files |= {f"ears-{k}": v for k, v in EARS_WRAPPED.items()}
    files |= {k: b.text for k, b in NOT_EARS.items()}
    return check_repo(tmp_path_factory.mktemp("lint") / "ears", files, RK212_ON)


@pytest.mark.parametrize("case", BAD, ids=lambda c: c.name)
def test_bad_example_gets_exactly_these_findings(default_run: Run, case: Bad) -> None:
    assert default_run.found(case.name) == set(case.expect)
    assert {d["severity"] for d in default_run.by_file[case.name]} == {"warning"}
    assert all(d["requirement"] == Path(d["path"]).stem for d in default_run.by_file[case.name])


@pytest.mark.parametrize("name", sorted(GOOD))
def test_good_example_is_clean(default_run: Run, name: str) -> None:
    assert default_run.by_file[name] == []


@pytest.mark.parametrize("name", sorted(NEAR_MISSES))
def test_near_miss_is_no_finding(default_run: Run, name: str) -> None:
    assert default_run.by_file[f"near-{name}"] == []


def test_every_lint_rule_has_bad_and_good_examples_in_both_languages() -> None:
    for code in LINT_CODES:
        if code == "RK212":  # tested by the EARS cases below
            continue
        langs = {"en", "zh"} if code != "RK213" else {""}
        for lang in langs:
            prefix = f"{code}-{lang}" if lang else code
            assert any(b.name.startswith(prefix) for b in BAD), f"no bad {prefix} case"
            assert any(k.startswith(prefix) for k in GOOD), f"no good {prefix} case"
            assert any(code in {e[2] for e in b.expect} for b in BAD if b.name.startswith(prefix))


def test_a_message_names_the_word(default_run: Run) -> None:
    messages = {d["message"] for d in default_run.by_file["RK204-zh-literal"]}
    assert any("'大约'" in m for m in messages)
    assert any("'友好'" in m for m in messages)
    [second] = default_run.by_file["RK207-zh-yinggai-yingdang"]
    assert "'应当'" in second["message"]


# ---- EARS and the opt-in RK212 ---------------------------------------------------------


@pytest.mark.parametrize("name", sorted([*EARS, *EARS_WRAPPED]))
def test_ears_requirement_gets_no_finding_by_default(default_run: Run, name: str) -> None:
    assert default_run.by_file[f"ears-{name}"] == []


@pytest.mark.parametrize("name", sorted([*EARS, *EARS_WRAPPED]))
def test_ears_requirement_gets_no_finding_with_rk212_on(ears_run: Run, name: str) -> None:
    assert ears_run.by_file[f"ears-{name}"] == []


@pytest.mark.parametrize("name", sorted(NOT_EARS))
def test_rk212_is_off_by_default(default_run: Run, name: str) -> None:
    assert default_run.by_file[name] == []


@pytest.mark.parametrize("name", sorted(NOT_EARS))
def test_rk212_flags_a_non_ears_description_when_on(ears_run: Run, name: str) -> None:
    assert ears_run.found(name) == set(NOT_EARS[name].expect)
    assert ears_run.exit_code == 0  # a warning


# ---- configuration and suppression --------------------------------------------------------

FAST_AND_SHOULD = described("The page should load fast.")  # RK205 at 5:23, RK204 at 5:35


def test_rule_off_in_config_silences_it(tmp_path: Path) -> None:
    run = check_repo(tmp_path / "r", {"a": FAST_AND_SHOULD}, '[rules]\nRK204 = "off"\n')
    assert run.found("a") == {(5, 23, "RK205")}
    assert run.exit_code == 0


def test_rule_off_by_name_silences_it(tmp_path: Path) -> None:
    run = check_repo(tmp_path / "r", {"a": FAST_AND_SHOULD}, '[rules]\nvague-term = "off"\n')
    assert run.found("a") == {(5, 23, "RK205")}


def test_rule_raised_to_error_fails_the_run(tmp_path: Path) -> None:
    run = check_repo(tmp_path / "r", {"a": FAST_AND_SHOULD}, '[rules]\nRK204 = "error"\n')
    assert run.exit_code == 1
    severity = {d["code"]: d["severity"] for d in run.by_file["a"]}
    assert severity == {"RK204": "error", "RK205": "warning"}


def test_default_run_with_only_warnings_exits_0(tmp_path: Path) -> None:
    run = check_repo(tmp_path / "r", {"a": FAST_AND_SHOULD})
    assert run.found("a") == {(5, 23, "RK205"), (5, 35, "RK204")}
    assert run.exit_code == 0


def test_project_vague_words_in_both_languages(tmp_path: Path) -> None:
    files = {
        "en": GOOD["project-words-en"],
        "zh": GOOD["project-words-zh"],
        "builtin": described("The page shall load fast."),
    }
    run = check_repo(tmp_path / "r", files, '[lint]\nvague = ["snappy", "丝滑"]\n')
    assert run.found("en") == {(5, 34, "RK204")}
    assert run.found("zh") == {(5, 19, "RK204")}
    assert run.found("builtin") == {(5, 34, "RK204")}  # the built-in words stay
    assert "'snappy'" in run.by_file["en"][0]["message"]
    # and the same files are clean without the config: test_good_example_is_clean


def test_project_units_written_before_the_number(tmp_path: Path) -> None:
    files = {"chf": described("The fee shall be CHF 20.")}
    assert check_repo(tmp_path / "without", files).found("chf") == {(5, 35, "RK211")}
    run = check_repo(tmp_path / "with", files, '[lint]\nunits = ["CHF"]\n')
    assert run.by_file["chf"] == []


SUPPRESSED = (
    described("The page should load fast.") + "lint:\n  ignore:\n    RK204: industry term\n"
)


def test_suppression_silences_one_code_on_one_requirement(tmp_path: Path) -> None:
    files = {"waived": SUPPRESSED, "other": FAST_AND_SHOULD}
    run = check_repo(tmp_path / "r", files)
    assert run.found("waived") == {(5, 23, "RK205")}  # only RK204 is silenced
    assert run.found("other") == {(5, 23, "RK205"), (5, 35, "RK204")}  # not another file


def test_suppression_with_empty_reason_is_an_error_and_silences_nothing(tmp_path: Path) -> None:
    text = described("The page shall load fast.") + 'lint:\n  ignore:\n    RK204: ""\n'
    run = check_repo(tmp_path / "r", {"a": text})
    assert run.exit_code == 1
    assert {(d["line"], d["code"], d["severity"]) for d in run.by_file["a"]} == {
        (5, "RK204", "warning"),
        (8, "RK111", "error"),
    }
