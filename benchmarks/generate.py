"""Deterministic generator of realistic requirement repositories for benchmarks.

Same arguments, same bytes: the benchmark numbers stay comparable between runs and
machines. Three levels of parents, English and Chinese text, every optional field
used by some files, a handful of sub-folders (areas).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

AREAS = ["checkout", "reports", "accounts", "search", "billing", "mobile", "admin", "api"]
TYPES = ["functional", "experience", "bug", "performance", "security", "compliance", "other"]
STATUSES = [
    "analysis",
    "review",
    "development",
    "testing",
    "released",
    "closed",
    "deferred",
    "rejected",
]
CHANNELS = ["interview", "survey", "ticket", "community", "sales", "support", "phone", "email"]
EN_OBJECTS = [
    "report page",
    "invoice list",
    "login form",
    "search results",
    "export dialog",
    "audit log",
]
EN_VERBS = ["export", "filter", "sort", "archive", "share", "print"]
ZH_OBJECTS = ["报表页面", "发票列表", "登录表单", "搜索结果", "导出对话框", "审计日志"]
ZH_VERBS = ["导出", "筛选", "排序", "归档", "分享", "打印"]
OWNERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"]


def _text(rng: random.Random, zh: bool, n: int) -> tuple[str, str, list[str]]:
    if zh:
        obj, verb = rng.choice(ZH_OBJECTS), rng.choice(ZH_VERBS)
        title = f"{obj}支持批量{verb}（编号 {n}）"
        desc = (
            f"当用户在{obj}选中多条记录时，系统应在 2 秒内完成{verb}。\n\n"
            f"客户反馈：目前只能逐条{verb}，每周耗费 3 小时。\n"
        )
        acc = [f"给定选中 3 条记录，当用户点击{verb}时，系统应生成 1 个文件。"]
    else:
        obj, verb = rng.choice(EN_OBJECTS), rng.choice(EN_VERBS)
        title = f"Batch {verb} on the {obj} (item {n})"
        desc = (
            f"When a user selects 3 or more rows on the {obj}, the system shall {verb} them"
            f" within 2 s.\n\nCustomer feedback: today each row is handled one by one,"
            f" costing 3 hours a week.\n"
        )
        acc = [f"Given 3 rows are selected, when the user presses {verb}, then 1 file is produced."]
    return title, desc, acc


def requirement_yaml(rng: random.Random, rid: str, parent: str | None, n: int, depth: int) -> str:
    zh = rng.random() < 0.4
    title, desc, acc = _text(rng, zh, n)
    status = rng.choice(STATUSES)
    year, month = rid[:4], rid[4:6]
    day = 1 + n % 28
    lines = [
        f"# yaml-language-server: $schema={'../' * (depth + 1)}schema/requirement.schema.json",
        f"id: {rid}",
        f"title: {title}",
        f"type: {rng.choice(TYPES)}",
        f"status: {status}",
        f"priority: {rng.choice(['must', 'should', 'could', 'wont'])}",
        f"urgency: {rng.choice(['urgent', 'important', 'routine'])}",
        "source:",
        f"  channel: {rng.choice(CHANNELS)}",
        f"  requester: Customer {n % 97}",
        f"  received: {year}-{month}-{day:02d}",
        f"owner: {rng.choice(OWNERS)}",
        f"created: {year}-{month}-{day:02d}",
        f'release: "{1 + n % 4}.{n % 12}"',
        "description: |",
        *["  " + line if line else "" for line in desc.splitlines()],
        "acceptance:",
        *[f"  - {a}" for a in acc],
    ]
    if parent:
        lines += ["links:", f"  parent: [{parent}]"]
    lines.append(f"tags: [{rng.choice(AREAS)}, area-{n % 13}]")
    if status in ("deferred", "rejected"):
        lines += ["decision:", "  reason: Outside this year's roadmap."]
    if status == "closed":
        lines += ["evaluation:", f"  date: {year}-{month}-{day:02d}", "  result: met"]
    return "\n".join(lines) + "\n"


def generate(root: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    (root / "reqs").mkdir(parents=True, exist_ok=True)
    (root / "reqkit.toml").write_text("", encoding="utf-8")
    levels: list[list[str]] = [[], [], []]
    seq_by_month: dict[str, int] = {}
    for n in range(count):
        month = f"20{20 + n * 6 // max(count, 1):02d}{1 + n % 12:02d}"
        seq_by_month[month] = seq_by_month.get(month, 0) + 1
        rid = f"{month}-{seq_by_month[month]:03d}"
        depth = 0 if n < count // 10 else (1 if n < count // 3 else 2)
        parent = rng.choice(levels[depth - 1]) if depth else None
        levels[depth].append(rid)
        area = AREAS[n % len(AREAS)]
        folder = root / "reqs" / area
        folder.mkdir(exist_ok=True)
        (folder / f"{rid}.yaml").write_text(
            requirement_yaml(rng, rid, parent, n, 1), encoding="utf-8"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.root, args.count, args.seed)


if __name__ == "__main__":
    main()
