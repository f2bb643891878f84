"""The site's words in English and Chinese: field names, values, headings, messages.

`site.language = "zh"` picks the Chinese column; states take their Chinese label from the
project's config (`states.*.label_zh`), so a project's own states are translated too.
"""

from __future__ import annotations

from dataclasses import dataclass

from reqkit.config import Config

__all__ = ["Labels", "labels_for"]

# key: (English, Chinese)
_WORDS: dict[str, tuple[str, str]] = {
    # fields
    "id": ("ID", "需求编号"),
    "title": ("Title", "标题"),
    "type": ("Type", "需求类型"),
    "status": ("Status", "状态"),
    "priority": ("Priority", "优先级"),
    "urgency": ("Urgency", "紧急程度"),
    "importance": ("Importance", "重要程度"),
    "source": ("Source", "需求来源"),
    "source.channel": ("Channel", "来源渠道"),
    "source.detail": ("Source", "需求来源"),
    "source.requester": ("Requester", "提出方信息"),
    "source.received": ("Received", "收到日期"),
    "owner": ("Owner", "负责人"),
    "department": ("Department", "责任部门"),
    "created": ("Created", "创建日期"),
    "due": ("Due", "计划完成时间"),
    "release": ("Release", "版本"),
    "description": ("Description", "需求描述"),
    "rationale": ("Rationale", "理由"),
    "acceptance": ("Acceptance criteria", "验收标准"),
    "feasibility": ("Feasibility", "可行性"),
    "feasibility.effort": ("Effort", "工作量"),
    "feasibility.risk": ("Risk", "风险"),
    "feasibility.notes": ("Feasibility notes", "可行性说明"),
    "evaluation": ("Evaluation", "效果评估"),
    "evaluation.date": ("Evaluated", "评估日期"),
    "evaluation.result": ("Result", "评估结果"),
    "evaluation.notes": ("Evaluation notes", "评估说明"),
    "decision": ("Decision", "评审结论"),
    "decision.reason": ("Reason", "原因"),
    "decision.date": ("Decided", "结论日期"),
    "decision.by": ("Decided by", "决定人"),
    "tags": ("Tags", "标签"),
    "verified_by": ("Verified by", "验证测试"),
    "parent": ("Parents", "父需求"),
    "children": ("Children", "子需求"),
    "depends_on": ("Depends on", "依赖"),
    "dependants": ("Dependants", "被依赖"),
    "conflicts_with": ("Conflicts with", "冲突"),
    "duplicates": ("Duplicates", "重复"),
    "links": ("Links", "关联"),
    "code": ("Code references", "代码引用"),
    "history": ("History", "变更历史"),
    "file": ("File", "文件"),
    # values
    "functional": ("functional", "功能需求"),
    "experience": ("experience", "体验需求"),
    "bug": ("bug feedback", "问题反馈"),
    "performance": ("performance", "性能需求"),
    "security": ("security", "安全需求"),
    "compliance": ("compliance", "合规需求"),
    "other": ("other", "其他"),
    "must": ("must", "必须有"),
    "should": ("should", "应该有"),
    "could": ("could", "可以有"),
    "wont": ("won't", "暂不需要"),
    "urgent": ("urgent", "紧急"),
    "important": ("important", "重要"),
    "routine": ("routine", "常规"),
    "key": ("key", "关键"),
    "normal": ("normal", "一般"),
    "met": ("met", "达成"),
    "partly-met": ("partly met", "部分达成"),
    "not-met": ("not met", "未达成"),
    "passed": ("passed", "通过"),
    "failed": ("failed", "失败"),
    "skipped": ("skipped", "跳过"),
    "not run": ("not run", "未运行"),
    "error": ("error", "错误"),
    "untested": ("untested", "无测试"),
    "verdict": ("Result", "测试结果"),
    "chart.status": ("Status", "状态分布"),
    "chart.cumulative-flow": ("Cumulative flow", "累积流图"),
    "chart.lead-time": ("Lead time (days)", "交付周期（天）"),
    "chart.throughput": ("Throughput per week", "每周交付量"),
    "release.features": ("New features", "新功能"),
    "release.experience": ("Experience", "体验改进"),
    "release.fixes": ("Fixes", "问题修复"),
    "release.performance": ("Performance", "性能"),
    "release.security": ("Security and compliance", "安全与合规"),
    "release.other": ("Other", "其他"),
    "site.sla": ("Answered within the SLA", "按时响应率"),
    "site.sla_breaches": ("SLA breaches", "超时未响应"),
    # pages and headings
    "site.requirements": ("Requirements", "需求"),
    "site.overview": ("Overview", "概览"),
    "site.index": ("All requirements", "全部需求"),
    "site.matrix": ("Traceability", "追踪矩阵"),
    "site.reports": ("Reports", "报告"),
    "site.releases": ("Release notes", "发布说明"),
    "site.lint": ("Findings", "检查结果"),
    "site.by_status": ("By status", "按状态"),
    "site.by_type": ("By type", "按类型"),
    "site.latest_changes": ("Latest changes", "最近变更"),
    "site.latest_release": ("Latest release", "最新发布"),
    "site.charts": ("Charts", "图表"),
    "site.count": ("Requirements", "需求数"),
    "site.total": ("Total", "合计"),
    "site.edit": ("Edit this requirement", "编辑此需求"),
    "site.suspect": ("suspect", "可疑"),
    "site.suspect_help": (
        "a linked requirement changed after this one",
        "关联需求在此需求之后发生了变更",
    ),
    "site.no_history": (
        "No history: the repository has no Git history here.",
        "无变更历史：此处没有 Git 历史。",
    ),
    "site.no_tests": ("No tests verify this requirement.", "没有测试验证此需求。"),
    "site.no_code": ("No code references.", "没有代码引用。"),
    "site.no_trace": (
        "No traceability data: no test results or code references were found.",
        "无追踪数据：未找到测试结果或代码引用。",
    ),
    "site.no_report": ("No report data.", "无报告数据。"),
    "site.no_releases": (
        "No release notes: the repository has no tags.",
        "无发布说明：仓库中没有标签。",
    ),
    "site.no_findings": ("No findings: every requirement passes.", "没有问题：全部需求通过检查。"),
    "site.invalid": (
        "This file has problems; see the findings.",
        "此文件存在问题，请查看检查结果。",
    ),
    "site.filter": ("Filter", "筛选"),
    "site.search_text": ("Search ID or title", "搜索编号或标题"),
    "site.any": ("any", "全部"),
    "site.shown": ("shown", "条显示"),
    "site.severity": ("Severity", "级别"),
    "site.code": ("Code", "代码"),
    "site.message": ("Message", "信息"),
    "site.location": ("Location", "位置"),
    "site.requirement": ("Requirement", "需求"),
    "site.tests": ("Tests", "测试"),
    "site.traced": ("traced", "已追踪"),
    "site.verified": ("verified", "已验证"),
    "site.commit": ("Commit", "提交"),
    "site.date": ("Date", "日期"),
    "site.author": ("Author", "作者"),
    "site.change": ("Change", "变更"),
    "site.pr": ("Pull request", "合并请求"),
    "site.folder": ("Folder", "目录"),
    "site.part": ("part", "第"),
    "site.none": ("none", "无"),
    "site.created_event": ("created", "创建"),
}


@dataclass(frozen=True)
class Labels:
    """Words for one language; unknown keys come back as themselves (custom values)."""

    language: str
    state_zh: dict[str, str]

    def __call__(self, key: str) -> str:
        pair = _WORDS.get(key)
        if pair is None:
            return key
        return pair[1] if self.language == "zh" else pair[0]

    def value(self, field: str, value: object) -> str:
        """A field's value as a reader sees it: states, types and scales translated."""
        text = str(value)
        if self.language != "zh":
            return _WORDS[text][0] if field != "status" and text in _WORDS else text
        if field == "status":
            return self.state_zh.get(text, text)
        pair = _WORDS.get(text)
        return pair[1] if pair else text


def labels_for(config: Config) -> Labels:
    return Labels(
        str(config.site.get("language", "en")), {s.name: s.label_zh for s in config.states}
    )
