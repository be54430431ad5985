"""Real-world wordings (野外样例): phrasings the generator does not produce.

The generated corpus is made from the seed and our renderer, so it measures the shapes the auditor
was built on. These short excerpts are written the way other units' reports put things (collected
while testing; none is generated), each with what a careful reader takes from it: the fields (paths
into ``AuditReport.extracted``) and the error / warning codes a reviewer would raise. The auditor
was fixed against most of them, so this is a regression set, not a held-out measure; a case it
still gets wrong stays in, with a note, and the measure names it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jixiao.audit import AuditReport, audit_text

# Excerpts are not whole reports: the outline checks only count where a case is about them.
STRUCTURE_CODES = frozenset(
    {"not_a_report", "section_missing", "section_out_of_order", "budget_missing"}
)


@dataclass(frozen=True)
class WildCase:
    name: str
    text: str
    fields: dict[str, str] = field(default_factory=dict)  # extracted path → value, as text
    codes: frozenset[str] = frozenset()  # error and warning codes a reviewer would raise
    structure: bool = False  # the case is about the outline: count the section codes too
    note: str = ""  # what is hard about it


def _c(*codes: str) -> frozenset[str]:
    return frozenset(codes)


WILD_CASES: tuple[WildCase, ...] = (
    WildCase("中文数字日期", "评价年度：二〇二五年\n填报日期：二〇二六年五月二十一日\n",
             {"year": "2025", "filled_on": "2026-05-21"}),
    WildCase("只写年月的填报日期", "评价年度：2025年\n填报日期：2026年5月\n",
             {"year": "2025", "filled_on": "2026-05"}, _c("filled_on_incomplete"),
             note="无日：filled_on 不填（日期须有日），读作 filled_month 供审查，报 not_found"),
    WildCase("只写年月且早于年末", "评价年度：2025年\n填报日期：2025年11月\n",
             {"filled_month": "2025-11"}, _c("filled_before_year_end", "filled_on_incomplete")),
    WildCase("日期用斜杠", "评价年度：2025年\n填报日期：2026/5/21\n", {"filled_on": "2026-05-21"}),
    WildCase("冒号式预算",
             "年初预算数：33.28万元；全年预算数：38.45万元；全年执行数：38.45万元；预算执行率为100%。",
             {"budget.initial": "33.28", "budget.full_year": "38.45",
              "budget.executed": "38.45"}),
    WildCase("只写万", "年初预算安排资金33.28万，实际支出38.45万，预算执行率100%。",
             {"budget.initial": "33.28", "budget.executed": "38.45"},
             _c("execution_100_unadjusted")),
    WildCase("亿元", "年初预算1.2亿元，全年执行数1.15亿元，预算执行率95.83%。",
             {"budget.initial": "12000", "budget.executed": "11500"}),
    WildCase("表格金额以元计",
             "单位：元\n项目\t年初预算数\t全年预算数\t全年执行数\n"
             "年度资金总额\t332,800.00\t384,500.00\t384,500.00\n",
             {"budget.initial": "33.28", "budget.full_year": "38.45",
              "budget.executed": "38.45"}),
    WildCase("执行后紧跟金额", "年初预算100万元，全年预算数120万元，执行110万元，预算执行率95%。",
             {"budget.executed": "110"}, _c("execution_rate_mismatch")),
    WildCase("人员用名", "单位编制人数7名，年末实有在职人员5名，离退休人员3名，编外聘用人员2名。",
             {"staffing_quota": "7", "staff_actual": "5", "retired": "3", "temporary": "2"}),
    WildCase("人员先实有后编制", "在职人数9人，编制数7人。",
             {"staffing_quota": "7", "staff_actual": "9"}, _c("staff_over_quota")),
    WildCase("得分加引号", "经综合评定，自评得分为“98.5”分，评价等级为“优”。",
             {"total_score": "98.5", "grade": "优"}),
    WildCase("等级在括号里", "综合评分：95分（优秀）。", {"total_score": "95", "grade": "优秀"}),
    WildCase("等级评定为", "自评得分为92分，等级评定为“良”。", {"total_score": "92", "grade": "良"},
             _c("grade_mismatch")),
    WildCase("评价结果为", "自评得分92分，评价结果为优秀。", {"grade": "优秀"}),
    WildCase("目标写在实际之后", "全年完成培训5000人次，年度目标4000人次，完成率125%。",
             {"targets.0.actual": "5000", "targets.0.target": "4000"}),
    WildCase("目标值与完成率不符", "办理案件120件，目标值100件，目标完成率110%。",
             {"targets.0.actual": "120", "targets.0.target": "100"}, _c("percentage_mismatch")),
    WildCase("跨行断开的数字", "新增证书18\n969人次，完成全年任务数的158.08%，原因是认定规模扩大。",
             {"targets.0.actual": "18969"}),
    WildCase("原因在下一句", "新建站点45个，完成年度目标的90%。主要原因是用地审批延迟。",
             {"targets.0.actual": "45"}),
    WildCase("原因在下一段", "新建站点45个，完成年度目标的90%。\n未完成的主要原因是用地审批延迟。",
             {"targets.0.actual": "45"}),
    WildCase("未说明原因", "新建站点45个，完成年度目标的90%。下一步将加快推进。",
             {"targets.0.actual": "45"}, _c("under_completion_unexplained")),
    WildCase("满意度指标", "服务对象满意度达到98%，年度目标值≥90%。",
             {"targets.0.actual": "98", "targets.0.target": "90"}),
    WildCase("合格率未达标", "验收合格率95%，目标值98%。",
             {"targets.0.actual": "95", "targets.0.target": "98"},
             _c("under_completion_unexplained")),
    WildCase("投诉率越低越好", "投诉率3%，目标值5%。", {"targets": "[]"}),
    WildCase("百分之几", "完成培训1200人次，完成全年任务的百分之一百二十。",
             {"targets.0.actual": "1200", "targets.0.stated_percent": "120"}),
    WildCase("指标表格",
             "指标名称\t年度指标值\t实际完成值\t完成率\n新增证书（人次）\t12000\t18969\t158.08%\n",
             {"targets.0.actual": "18969", "targets.0.target": "12000"},
             _c("over_completion")),
    WildCase("无书名号的通知",
             "根据湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知（湛财绩〔2026〕2号）要求",
             {"notice.number": "湛财绩〔2026〕2号"}),
    WildCase("标题无编号",
             "部门整体支出绩效自评报告\n单位基本情况\n本单位为行政单位。\n自评工作开展情况\n"
             "成立了评价小组。\n绩效自评情况\n自评得分95分，评价等级为优秀。\n其他自评情况\n无。\n",
             {"total_score": "95"}, _c("budget_missing", "year_missing"), structure=True),
    WildCase("第一部分式标题",
             "项目支出绩效自评报告\n第一部分 项目基本情况\n第二部分 自评工作开展情况\n"
             "第三部分 绩效自评情况\n第四部分 其他自评情况\n",
             {"kind": "project"}, _c("budget_missing", "year_missing"), structure=True),
)  # fmt: skip


@dataclass(frozen=True)
class WildResult:
    case: WildCase
    report: AuditReport
    field_hits: dict[str, bool]
    missed_codes: frozenset[str]
    extra_codes: frozenset[str]


def _path(extracted: dict[str, Any], path: str) -> Any:
    value: Any = extracted
    for part in path.split("."):
        if isinstance(value, list):
            value = value[int(part)] if part.isdigit() and int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def run_wild(cases: Sequence[WildCase] = WILD_CASES) -> list[WildResult]:
    results = []
    for case in cases:
        report = audit_text(case.text, source=case.name)
        hits = {p: str(_path(report.extracted, p)) == v for p, v in case.fields.items()}
        found = {f.code for f in report.findings if f.severity != "info"}
        if not case.structure:
            found -= STRUCTURE_CODES
        results.append(
            WildResult(case, report, hits, case.codes - found, frozenset(found - case.codes))
        )
    return results


def wild_text(results: Sequence[WildResult]) -> str:
    """The figures, and every miss named."""
    fields = sum(len(r.field_hits) for r in results)
    hits = sum(sum(r.field_hits.values()) for r in results)
    expected = sum(len(r.case.codes) for r in results)
    missed = sum(len(r.missed_codes) for r in results)
    extra = sum(len(r.extra_codes) for r in results)
    clean = sum(1 for r in results if all(r.field_hits.values()) and not r.missed_codes
                and not r.extra_codes)  # fmt: skip
    lines = [
        f"野外样例 {len(results)} 条：完全正确 {clean} 条；字段 {hits}/{fields}；"
        f"应报问题 {expected - missed}/{expected}；多报问题 {extra} 条"
    ]
    for r in results:
        wrong = [p for p, ok in r.field_hits.items() if not ok]
        if wrong or r.missed_codes or r.extra_codes:
            got = {p: _path(r.report.extracted, p) for p in wrong}
            lines.append(
                f"  {r.case.name}：读错 {got or '—'}；漏报 {sorted(r.missed_codes) or '—'}；"
                f"多报 {sorted(r.extra_codes) or '—'}"
                + (f"（{r.case.note}）" if r.case.note else "")
            )
    return "\n".join(lines)
