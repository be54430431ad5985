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


# ---- a 基础数据表's staff row copied a cell a line ---------------------------------------------

STAFF_CELLS = (
    "2023年度部门整体支出绩效评价基础数据表\n\n财政供养人员情况(人\n\n编制数\n\n"
    "2023 年实际在职人数\n\n控制率\n\n{quota}\n\n{actual}\n\n{rate}\n\n经费控制情况(万元\n"
)


def test_a_staff_row_a_cell_a_line_is_read_when_its_rate_agrees() -> None:
    doc = extract(STAFF_CELLS.format(quota=46, actual=50, rate="108.70%"))
    assert doc.staff["staffing_quota"].value == 46
    assert doc.staff["staff_actual"].value == 50


def test_a_staff_row_whose_rate_disagrees_is_not_read() -> None:
    # 46, 50 and 100%: the cells are not the columns they seem (a cell lost, or another row's)
    doc = extract(STAFF_CELLS.format(quota=46, actual=50, rate="100%"))
    assert "staffing_quota" not in doc.staff and "staff_actual" not in doc.staff


# ---- a cover a label and its value a line ---------------------------------------------------

COVER = "示例县财政支出政策绩效评价报告\n项目名称 {name}\n{next}\n主管部门 示例县财政局\n一、项目基本概况\n"


def test_a_cover_lines_project_name_is_read() -> None:
    doc = extract(COVER.format(name="2023年公共文化活动专项资金", next="项目单位 示例县文化局"))
    assert doc.project_name is not None
    assert doc.project_name.value == "2023年公共文化活动专项资金"


def test_a_project_name_line_before_no_label_is_not_read() -> None:
    # the line after it is prose, not the cover's next label: the name may run on
    doc = extract(COVER.format(name="2023年公共文化活动专项", next="资金用于送戏下乡。"))
    assert doc.project_name is None or "专项资金" not in doc.project_name.value


# ---- a period cell that is one year ----------------------------------------------------------


def test_a_period_cell_of_one_year_gives_the_year() -> None:
    doc = extract(
        "示例县财政支出政策绩效评价报告\n项目名称 公共文化活动专项资金\n项目单位 示例县文化局\n"
        "一、项 目 基 本 概 况 | |||\n项目起止时间 | 2020年度 | |||\n"
    )
    assert doc.year is not None and doc.year.value == 2020


def test_a_period_cell_of_a_range_or_a_start_gives_none() -> None:
    for cell in ("2020年度-2022年度", "2020年度起", "2020年3月"):
        doc = extract(
            "示例县财政支出政策绩效评价报告\n项目名称 公共文化活动专项资金\n项目单位 示例县文化局\n"
            f"一、项 目 基 本 概 况 | |||\n项目起止时间 | {cell} | |||\n"
        )
        assert doc.year is None, cell


# ---- the rate as the share of the budget spent ------------------------------------------------


def rates(text: str) -> list[tuple[str, Decimal]]:
    return [(r.kind, r.percent) for r in extract(text).rates]


def test_the_share_of_the_budget_after_the_spending_is_the_rate() -> None:
    text = (
        "示例市文化局2020年度绩效评价\n项目全年预算数为1050万元,执行数为1050万元,完成预算的100%。\n"
    )
    assert rates(text) == [("execution", Decimal(100))]


def test_a_share_of_the_budget_alone_is_no_rate() -> None:
    # a work's progress against its budgeted quantity, no spending before it
    assert rates("示例县道路项目绩效自评报告\n截至年底,工程完成预算的80%工程量。\n") == []


# ---- the score right after its grade -----------------------------------------------------------


def test_the_score_after_its_grade_is_the_total() -> None:
    doc = extract("示例县图书馆项目绩效自评报告\n四、综合评价\n自评绩效等级为“优”,分数为97分。\n")
    assert doc.total_score is not None and doc.total_score.value == Decimal(97)
    assert doc.grade is not None and doc.grade.value == "优"


def test_a_grade_scales_band_is_no_score() -> None:
    doc = extract(
        "示例县图书馆项目绩效自评报告\n四、评分标准\n"
        "评价等级为“优”,分数为90分以上;评价等级为“良”,分数为80-89分。\n"
    )
    assert doc.total_score is None


# ---- the unit in a 部门整体支出绩效自评表's funds block ------------------------------------------


def test_the_unit_before_the_funds_block_is_read() -> None:
    doc = extract(
        "附件二\n\n2023年度部门整体支出绩效自评表\n\n预算部门、单位名称\n\n示例县示例乡人民政府\n\n"
        "年度预算申请\n\n(万元\n\n年初预算数\n\n全年预算数\n"
    )
    assert doc.unit_name is not None and doc.unit_name.value == "示例县示例乡人民政府"


def test_a_cell_that_is_no_name_is_not_read_there() -> None:
    doc = extract(
        "附件二\n\n2023年度部门整体支出绩效自评表\n\n预算部门、单位名称\n\n全乡各单位汇总\n\n"
        "年度预算申请\n\n(万元\n\n年初预算数\n\n全年预算数\n"
    )
    assert doc.unit_name is None


# ---- a form's title naming its project -------------------------------------------------------

FORM = "|\n2021年度{name}项目绩效评价自评表\n|\n填报单位:示例区财政局\n|\n序号\n|\n一级指标\n|\n"


def test_a_forms_title_names_its_project() -> None:
    doc = extract(FORM.format(name="农村公益事业财政奖补"))
    assert doc.project_name is not None and doc.project_name.value == "农村公益事业财政奖补项目"


def test_a_forms_title_naming_a_kind_of_project_names_none() -> None:
    assert extract(FORM.format(name="财政")).project_name is None
    assert extract(FORM.format(name="专项资金")).project_name is None


# ---- a unit before a title's year without 年 -------------------------------------------------


def test_the_unit_before_a_titles_year_without_nian_is_read() -> None:
    doc = extract("示例县示例镇中心小学2021项目资金 绩效自评报告\n一、基本情况\n资金已到位。\n")
    assert doc.unit_name is not None and doc.unit_name.value == "示例县示例镇中心小学"


def test_a_figure_after_a_unit_is_no_year_for_the_title() -> None:
    doc = extract("示例县示例镇中心小学3000亩项目资金绩效自评报告\n一、基本情况\n资金已到位。\n")
    assert doc.year is None
    assert doc.unit_name is None or "3000" not in doc.unit_name.value


# ---- a fund's title with 绩效评价工作 ----------------------------------------------------------


def test_a_funds_title_with_its_evaluations_work_names_the_fund() -> None:
    doc = extract(
        "示例市2024年度财政衔接推进乡村振兴补助资金绩效评价工作自评报告\n"
        "农业农村厅、省财政厅:\n现将绩效评价情况报告如下:\n一、资金保障方面\n"
    )
    assert doc.project_name is not None
    assert doc.project_name.value == "财政衔接推进乡村振兴补助资金"


def test_a_generic_funds_title_with_its_work_names_none() -> None:
    doc = extract(
        "示例市2024年度财政专项资金绩效评价工作自评报告\n"
        "农业农村厅、省财政厅:\n现将绩效评价情况报告如下:\n一、资金保障方面\n"
    )
    assert doc.project_name is None


# ---- the paid, the unpaid and the rate in one sentence ---------------------------------------

PAID = (
    "示例县2023年度衔接资金项目绩效自评报告\n一、项目基本情况\n安排资金1920.4万元,已全部到位。\n"
    "二、绩效目标完成情况分析\n资金支付1850.1万元,未支70.3万元,支付率{rate}%。未支付的是质保金。\n"
)


def test_a_payment_rate_that_is_not_paid_over_paid_and_unpaid_is_an_error() -> None:
    from jixiao.audit import audit_text

    findings = [f for f in audit_text(PAID.format(rate=95)).findings]
    wrong = [f for f in findings if f.code == "execution_rate_mismatch"]
    assert len(wrong) == 1 and wrong[0].severity == "error"
    assert "96.34" in wrong[0].message  # 1850.1 ÷ 1920.4


def test_a_payment_rate_that_agrees_is_no_finding() -> None:
    from jixiao.audit import audit_text

    for rate in ("96.34", "96.3", "96"):
        codes = {f.code for f in audit_text(PAID.format(rate=rate)).findings}
        assert "execution_rate_mismatch" not in codes, rate
