"""A 项目支出绩效自评报告: project rule-set, project outline, foundation model with 项目名称."""

from __future__ import annotations

from jixiao.audit import audit_text

PROJECT = """项目支出绩效自评报告
项目名称：职业技能提升行动
实施单位：湛江市职业技能鉴定指导中心
评价年度：2025年
填报日期：2026年4月1日
一、项目基本情况
年初预算 100 万元，全年预算（调整后）120 万元，全年执行数 114 万元，预算执行率 95%，预算调整率 20%。
培训人数目标值 1000 人次，实际完成 960 人次，完成率 96%，主要原因是部分班次顺延。
二、自评工作开展情况
三、绩效自评情况
自评得分 88 分，绩效评价等级为良好。
四、其他自评情况
"""


def test_project_report_is_clean() -> None:
    report = audit_text(PROJECT)
    assert [f.code for f in report.findings if f.severity != "info"] == []
    x = report.extracted
    assert x["kind"] == "project"
    assert x["ruleset"].startswith(("national-project@", "gd-department@"))
    assert x["project_name"] == "职业技能提升行动"
    assert x["unit_name"] == "湛江市职业技能鉴定指导中心"
    assert report.evaluation is not None and report.evaluation.project is not None
    assert report.evaluation.project.name == "职业技能提升行动"
    assert report.evaluation.budget.full_year == 120


def test_project_report_defects() -> None:
    text = PROJECT.replace("预算执行率 95%", "预算执行率 100%").replace("良好", "优秀")
    text = text.replace("，主要原因是部分班次顺延", "")
    codes = {f.code: f.severity for f in audit_text(text).findings}
    assert codes["execution_rate_mismatch"] == "error"
    assert codes["grade_mismatch"] == "error"
    assert codes["under_completion_unexplained"] == "warning"


def test_project_prefill() -> None:
    prefill = audit_text(PROJECT).prefill
    assert prefill["complete"] is True
    assert prefill["data"]["kind"] == "project"
    assert prefill["data"]["project"] == {
        "name": "职业技能提升行动",
        "implementing_unit": "湛江市职业技能鉴定指导中心",
    }
    assert prefill["data"]["targets"] == [
        {"code": "T1", "name": "培训人数", "unit": "人次", "actual": "960", "target": "1000"}
    ]
    assert prefill["fields"]["targets.0.target"]["confidence"] == "high"  # stated, not inferred
    assert prefill["claims"]["adjustment_rate"]["value"] == "20"
