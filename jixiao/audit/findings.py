"""Findings (审查发现) and the audit report that collects them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SEVERITIES = ("error", "warning", "info")
SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}


def gettext_noop(text: str) -> str:
    """Marks a string for the web's translation catalogue (makemessages finds the name) while
    this module stays free of Django; the web pages translate with gettext at display time."""
    return text


# What each finding code means, for people: pages and workbooks show this, never the code
# (codes stay in the JSON output and the logs).
CODE_NAMES = {
    "percentage_impossible": gettext_noop("完成率与实际值不可能相符"),
    "percentage_mismatch": gettext_noop("完成率与指标值不符"),
    "grade_mismatch": gettext_noop("等级与得分不符"),
    "score_out_of_range": gettext_noop("得分超出范围"),
    "parts_not_adding": gettext_noop("各部分得分之和与总分不符"),
    "execution_rate_mismatch": gettext_noop("预算执行率与金额不符"),
    "execution_100_unadjusted": gettext_noop("执行率 100% 但未写调整后预算"),
    "execution_rate_unverified": gettext_noop("预算执行率无法核对"),
    "adjustment_rate_mismatch": gettext_noop("预算调整率与金额不符"),
    "staff_over_quota": gettext_noop("实有人数超过编制数"),
    "filled_before_year_end": gettext_noop("填报日期早于评价年度结束"),
    "filled_late": gettext_noop("填报日期过晚"),
    "invalid_date": gettext_noop("日期无效"),
    "notice_year_mismatch": gettext_noop("所引通知的年份不符"),
    "section_missing": gettext_noop("缺少必备章节"),
    "budget_missing": gettext_noop("报告没有预算资金情况"),
    "section_out_of_order": gettext_noop("章节顺序错乱"),
    "not_a_report": gettext_noop("可能不是绩效自评报告"),
    "over_completion": gettext_noop("超额完成较多且未说明原因"),
    "under_completion_unexplained": gettext_noop("未完成目标且未说明原因"),
    "unrounded_figure": gettext_noop("数字的小数位数超过显示规则"),
    "date_other_year": gettext_noop("出现往年的截至日期"),
    "as_of_before_year_end": gettext_noop("执行情况的截止日期早于年末"),
    "year_mismatch": gettext_noop("报告中的评价年度前后不一"),
    "filled_on_blank": gettext_noop("填报日期未填写"),
    "numbering_broken": gettext_noop("序号重复或跳号"),
    "count_mismatch": gettext_noop("所写数量与列出的项数不符"),
    "sum_mismatch": gettext_noop("各项之和与合计数不符"),
    "change_mismatch": gettext_noop("增减额或增减幅度与数字不符"),
    "placeholder_text": gettext_noop("模板占位文字未替换"),
    "other_unit_name": gettext_noop("出现其他单位的名称"),
    "other_unit_type_wording": gettext_noop("出现其他类型单位的用语"),
    "year_missing": gettext_noop("报告没有写评价年度"),
    "title_missing": gettext_noop("报告没有标题"),
    "filled_on_incomplete": gettext_noop("填报日期没有写日"),
    "execution_missing": gettext_noop("资金执行情况未写执行数"),
    "heading_repeated": gettext_noop("标题重复"),
    "numbering_shifted": gettext_noop("章节序号与模板错位"),
    "actual_missing": gettext_noop("指标未写实际完成值"),
    "indicator_category_mismatch": gettext_noop("指标所列类别不当"),
    "score_formula_mismatch": gettext_noop("得分与计分公式不符"),
    "execution_low_unexplained": gettext_noop("预算执行率偏低且未说明原因"),
    "figure_inconsistent": gettext_noop("同一数字前后不一"),
    "amount_unit_suspect": gettext_noop("金额单位可能有误"),
    "date_year_lost": gettext_noop("日期缺少“年”字"),
    "indicator_score_mismatch": gettext_noop("指标得分与完成情况不符"),
    "template_heading_left": gettext_noop("模板标题未删除"),
    "sum_rounding_tail": gettext_noop("合计数与明细之和有尾差"),
    "staff_scope_mixed": gettext_noop("编制人数计入了离退休人员"),
    "indicator_level_mismatch": gettext_noop("指标所列层级不当"),
    "section_empty": gettext_noop("标题下没有内容"),
    "notice_number_suspect": gettext_noop("所引文件的文号与发文机关不符"),
    "evaluation_mode_conflict": gettext_noop("评价方式与评价机构前后矛盾"),
    "unit_name_suspect": gettext_noop("单位名称有误"),
    "table_cell_missing": gettext_noop("表格缺少一栏数据"),
    "execution_claim_contradicted": gettext_noop("称执行未偏离预算但执行率偏低"),
    "not_found": gettext_noop("未能读出的内容"),
    "reader_warning": gettext_noop("读取时跳过的内容"),
}


def code_name(code: str) -> str:
    """The Chinese description of a finding code (the code itself only if it is unknown)."""
    return CODE_NAMES.get(code, code)


@dataclass(frozen=True)
class Location:
    """Where a finding is: 1-based line in the whole text, and page when the source has pages."""

    line: int | None = None
    page: int | None = None

    def __str__(self) -> str:
        parts = []
        if self.page is not None:
            parts.append(f"第 {self.page} 页")
        if self.line is not None:
            parts.append(f"第 {self.line} 行")
        return "".join(parts) or "全文"

    def to_dict(self) -> dict[str, int | None]:
        return {"line": self.line, "page": self.page}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Location:
        data = data or {}
        return cls(line=data.get("line"), page=data.get("page"))


@dataclass(frozen=True)
class Finding:
    severity: str  # error | warning | info
    code: str
    message: str
    quote: str = ""
    location: Location = field(default_factory=Location)

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "quote": self.quote,
            "location": self.location.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        return cls(
            str(data["severity"]),
            str(data["code"]),
            str(data["message"]),
            str(data.get("quote", "")),
            Location.from_dict(data.get("location")),
        )


@dataclass
class AuditReport:
    source: str
    findings: list[Finding]
    extracted: dict[str, Any]
    # scoring.evaluation.SelfEvaluation as far as the report states it (None if too little read)
    evaluation: Any = None
    # the extracted document (jixiao.audit.extract.Document) the prefill is built from
    document: Any = field(default=None, repr=False, compare=False)
    _prefill: dict[str, Any] | None = field(default=None, repr=False, compare=False)

    @property
    def prefill(self) -> dict[str, Any]:
        """Draft SelfEvaluation data, each field with its source and confidence
        (``jixiao.audit.prefill``); built on first use, since batch and CLI runs never need it."""
        if self._prefill is None:
            from jixiao.audit.prefill import empty_prefill, prefill

            self._prefill = prefill(self.document) if self.document is not None else empty_prefill()
        return self._prefill

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def codes(self) -> list[str]:
        return [f.code for f in self.findings]

    def to_dict(self, *, with_prefill: bool = False) -> dict[str, Any]:
        result = {
            "source": self.source,
            "findings": [f.to_dict() for f in self.findings],
            "extracted": self.extracted,
        }
        if with_prefill:
            result["prefill"] = self.prefill
        return result

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AuditReport:
        """A report from ``to_dict`` (a child process's answer, jixiao.audit.isolated): findings,
        extracted data and, when it was included, the prefill. ``evaluation`` is not rebuilt."""
        return cls(
            source=str(data.get("source", "")),
            findings=[Finding.from_dict(f) for f in data.get("findings", [])],
            extracted=dict(data.get("extracted") or {}),
            _prefill=data.get("prefill"),
        )

    def to_json(self, indent: int | None = 2, *, with_prefill: bool = False) -> str:
        return json.dumps(
            self.to_dict(with_prefill=with_prefill), ensure_ascii=False, indent=indent
        )
