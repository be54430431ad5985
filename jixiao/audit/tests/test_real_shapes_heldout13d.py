"""Shapes the fourth held-out set showed (#13, held13d): made-up texts.

The fifteen reports of jixiao/audit/corpus/real marked ``heldout_batch: 5`` were audited once
before any rule changed (docs/audit.md keeps that first figure); these are the general rules its
wrong values called for. Each has the shape and a near miss: a wrong value is worse than none.
The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jixiao.audit.extract import extract

# ---- a portal's 日期: line under a title ending in 报告 ------------------------------------------


def test_a_title_over_a_portals_date_line_gives_no_filing_date() -> None:
    # a portal's breadcrumb (no full stop) runs on into the title and the page's 日期: line: the
    # title's 报告 and 日期 read as the cover's label 报告日期:2024-04-15, a date that is the page's
    doc = extract(
        "首页 > 政务公开 > 政府信息公开目录 > 绩效管理\n\n"
        "示例县示例小学2023项目资金 绩效自评报告\n\n日期:2024-04-15\n\n"
        "一、基本情况\n2023年实际支出12万元。\n"
    )
    assert doc.filled_on is None


def test_a_cover_label_of_its_own_is_still_read() -> None:
    doc = extract(
        "示例县示例局2023年度部门整体支出绩效自评报告\n报告日期:2024年3月5日\n"
        "一、基本情况\n2023年实际支出12万元。\n"
    )
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2024, 3, 5)
    doc = extract("示例县示例局2023年度项目绩效自评报告\n填报日期:2024-03-05\n一、基本情况\n")
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2024, 3, 5)


# ---- 指标评价得分 is a part's score -------------------------------------------------------------


def test_an_indicators_evaluation_score_is_no_total() -> None:
    doc = extract(
        "示例县2024年度衔接资金绩效评价工作自评报告\n"
        "一、资金保障方面,指标评价得分12\n(一)县级履行支出责任情况\n安排衔接资金76万元,得分7分。\n"
    )
    assert doc.total_score is None


def test_an_evaluation_score_is_still_the_total() -> None:
    doc = extract(
        "示例县示例局2024年度项目绩效自评报告\n一、自评结论\n经评价,该项目评价得分92分,等级为优。\n"
    )
    assert doc.total_score is not None and doc.total_score.value == Decimal(92)


# ---- 绩效目标完成率 after an allocation ----------------------------------------------------------


def test_the_share_of_goals_met_is_no_figures_completion() -> None:
    # the allocation before it is no indicator and 100% is the share of all goals met
    doc = extract(
        "示例市文化和旅游局关于2023年度中央支持地方公共文化项目资金绩效自评报告\n"
        "一、绩效目标分解下达情况\n"
        "2023年省财政厅2次下达我市公共文化服务体系建设专项资金900.00万元,市本级绩效目标完成率100%。\n"
    )
    assert doc.targets == []


def test_an_indicators_own_completion_is_still_read() -> None:
    doc = extract(
        "示例市图书馆2023年度项目支出绩效自评报告\n一、自评结论\n"
        "全年开展阅读推广活动120场,年度目标100场,指标完成率120%。\n"
    )
    assert [(t.actual, t.target, t.stated_percent) for t in doc.targets] == [
        (Decimal(120), Decimal(100), Decimal(120))
    ]


# ---- a form whose title names no kind ------------------------------------------------------


def test_a_policy_evaluation_form_with_a_project_cover_is_a_projects() -> None:
    # 财政支出政策绩效评价报告 names neither a department nor a project: its cover does
    doc = extract(
        "示例县财政支出政策绩效评价报告\n"
        "项目名称 2023年公共文化活动专项资金\n项目单位 示例县文化和广电旅游体育局\n"
        "主管部门 示例县财政局\n"
        "一、项目基本概况\n计划安排资金(万元) | 100.00 | 实际到位资金(万元) | 90.00 |\n"
    )
    assert doc.kind == "project"


def test_a_departments_list_of_projects_keeps_it_a_departments() -> None:
    # 项目名称 heads a list of the department's projects: no 项目单位 line, no project cover
    doc = extract(
        "示例县示例局2023年度财政支出绩效自评报告\n"
        "项目名称 | 预算数 | 执行数 |\n办公经费 | 10 | 10 |\n"
        "一、部门基本情况\n本局内设3个股室。\n"
    )
    assert doc.kind == "department"


# ---- a title's year without 年 --------------------------------------------------------------


def test_a_titles_year_without_its_nian_is_read() -> None:
    # 某小学2021项目资金 绩效自评报告: no year was read, and year_missing warned on a report that
    # names its year
    doc = extract("示例县示例小学2021项目资金 绩效自评报告\n一、基本情况\n资金10万元已全部到位。\n")
    assert doc.year is not None and doc.year.value == 2021


def test_a_titles_other_figures_are_no_year() -> None:
    assert extract("示例县2000亩项目绩效自评报告\n一、基本情况\n").year is None
    # a figure after the funds' word is no year either (项目资金2021 is not the shape)
    assert extract("示例县示例局项目资金2021绩效自评报告\n一、基本情况\n").year is None
