"""Shapes the fifth held-out set showed (#13, held13e): made-up texts.

The fifteen reports of jixiao/audit/corpus/real marked ``heldout_batch: 6`` were audited once
before any rule changed (docs/audit.md keeps that first figure); these are the general rules its
wrong values, false findings and missed defects called for. Each has the shape and a near miss: a
wrong value is worse than none. The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jixiao.audit import audit_text
from jixiao.audit.extract import extract


def codes(text: str) -> set[str]:
    return {f.code for f in audit_text(text).findings}


# ---- a column's formula is no rate -----------------------------------------------------------


def test_a_rate_columns_formula_is_no_rate() -> None:
    # a form's header names the rate by its formula (B/A×100%): the 100 is the formula's factor
    text = (
        "示例资金绩效自评表\n(2024年度)\n"
        "资金投入情况 (万元) |\n全年预算数(A) | 全年执行数(B) | 预算执行率(B/A×100%) | |\n"
        "年度资金总额: | 500 | 420 | 84% | |\n"
    )
    rates = [r.percent for r in extract(text).rates if r.kind == "execution"]
    assert Decimal(100) not in rates
    assert "execution_rate_mismatch" not in codes(text)
    assert "execution_rate_mismatch" not in codes(text.replace("B/A×100%", "B/A*100%"))


def test_a_rate_after_its_label_is_still_read() -> None:
    # near miss: the rate written after its label (and a 100% that is one) stays a rate
    text = "示例局2024年度项目绩效自评报告\n全年预算数500万元,全年执行数500万元,预算执行率100%。\n"
    rates = [r.percent for r in extract(text).rates if r.kind == "execution"]
    assert rates == [Decimal(100)]


# ---- one source's rate in a list of them ------------------------------------------------------


def test_rates_of_each_source_are_parts_not_the_whole() -> None:
    # each source of the funds with its own rate, the whole's rate in a later sentence
    text = (
        "示例市2023年度补助资金项目绩效自评报告\n"
        "截止2023年12月31日中央资金完成60万元,预算执行率75%,省级资金完成20万元,预算执行率100%。\n"
        "全年共投入资金100万元,全年执行资金80万元,执行率80%。\n"
    )
    rates = [r.percent for r in extract(text).rates if r.kind == "execution"]
    assert rates == [Decimal(80)]


def test_one_rate_for_funds_of_one_source_is_still_read() -> None:
    # near miss: funds of one source with one rate — the project's own
    text = "示例局2022年度慰问经费项目绩效自评报告\n项目市级资金配套3.6万元,全部到位并使用完毕,执行率100%。\n"
    rates = [r.percent for r in extract(text).rates if r.kind == "execution"]
    assert rates == [Decimal(100)]


# ---- a publisher named only in the page's own lines -------------------------------------------


PORTAL = (
    "发布机构: 示例市甲镇 成文日期:\n名  称: 示例市危房改造转移支付2022年度绩效自评报告\n\n"
    "示例市危房改造转移支付2022年度绩效自评报告\n\n"
    "发布时间:2023-07-03 09:50信息来源: 示例市甲镇阅读次数:\n\n"
    "一、绩效目标情况\n\n我市2022年农村危房改造任务数为100户,实际完成120户。\n"
)


def test_a_publisher_named_only_by_the_page_is_not_the_unit() -> None:
    # a township's page carries the city's report: its name twice in the page's lines is no unit
    assert extract(PORTAL).unit_name is None


def test_a_publisher_named_again_in_the_body_is_still_the_unit() -> None:
    # near miss: the body names the publisher too
    text = PORTAL.replace("我市2022年", "示例市甲镇2022年")
    unit = extract(text).unit_name
    assert unit is not None and unit.value == "示例市甲镇"


# ---- a kind of project in the opening sentence -------------------------------------------------


def test_a_kind_of_project_in_the_opening_is_no_project() -> None:
    # one report on several projects: 市级预算项目 names the kind of spending, not a project
    text = (
        "示例团市委2020年度项目支出绩效评价自评报告\n"
        "根据通知精神,我单位对2020年市级预算项目支出情况进行了绩效自评工作,"
        "现将2020年市级预算项目支出绩效自评报告如下:\n一、单位基本情况\n"
    )
    assert extract(text).project_name is None


def test_a_named_project_in_the_opening_is_still_read() -> None:
    # near miss: the opening names one project
    text = (
        "示例报告\n根据通知精神,现将2024年示例社区产业设施配套项目绩效目标自评报告如下:\n"
        "一、项目基本情况\n"
    )
    name = extract(text).project_name
    assert name is not None and name.value == "示例社区产业设施配套项目"


# ---- a text without its title analysing its project's funds ----------------------------------


ANALYSIS = (
    "一、绩效目标分解下达情况\n2023年共下达补助资金200万元。\n二、绩效目标完成情况分析\n"
    "(一)项目资金投入情况分析。\n1、项目资金到位情况分析。2023年共下达补助资金200万元。\n"
    "2、项目资金执行情况分析。2023年共发放补助资金150万元。\n"
)


def test_a_text_without_title_analysing_its_project_funds_is_a_projects() -> None:
    assert extract(ANALYSIS).kind == "project"
    # the same in a traditional copy (情況)
    assert extract(ANALYSIS.replace("情况", "情況").replace("项目", "項目")).kind == "project"


def test_a_text_without_title_analysing_funds_alone_stays_a_departments() -> None:
    # near miss: funds analysed without naming a project — nothing says which kind
    assert extract(ANALYSIS.replace("项目资金", "资金")).kind == "department"


# ---- a list cut at the end of a stored opening ------------------------------------------------


CUT_LIST = (
    "示例市示例局2023年度部门整体支出绩效自评报告\n一、部门概况\n"
    "派出机构5个,分别为甲街道管理所、乙街道管理所、丙街道管理所、丁街道管"
)


def test_a_list_running_to_the_end_of_a_cut_text_is_not_counted() -> None:
    assert "count_mismatch" not in codes(CUT_LIST)


def test_a_short_list_ended_in_the_text_is_still_counted() -> None:
    # near miss: the list ends with its sentence (or more text follows it)
    assert "count_mismatch" in codes(CUT_LIST.replace("丁街道管", "丁街道管理所。") + "\n")
    assert "count_mismatch" in codes(CUT_LIST + "\n二、收支情况\n")


# ---- a fund's sources by level adding to more than its total ----------------------------------


SOURCES = (
    "示例市2023年度补助资金项目绩效自评报告\n(一)资金投入情况分析。\n"
    "2023年共投入资金1000.5万元。其中中央资金投入600.2万元,省级资金投入200.3万元,"
    "地方资金投入300万元。全年执行资金900万元。\n"
)


def test_sources_by_level_adding_to_more_than_the_total_are_an_error() -> None:
    assert "sum_mismatch" in codes(SOURCES)


def test_sources_adding_to_the_total_or_fewer_listed_pass() -> None:
    # near misses: the parts add up; a 其中 that lists only some sources (less) says nothing
    assert "sum_mismatch" not in codes(SOURCES.replace("1000.5万元", "1100.5万元"))
    assert "sum_mismatch" not in codes(SOURCES.replace(",地方资金投入300万元", ""))


# ---- staff of one kind over that kind's quota ------------------------------------------------


STAFF = (
    "示例区团委2021年度部门整体支出绩效评价报告\n一、部门概况\n"
    "3.人员情况。本单位行政编制1个,事业编制2个,实有行政编制人员3人,合计在岗人数为2人。\n"
)


def test_staff_of_one_kind_over_that_kinds_quota_is_an_error() -> None:
    assert "staff_over_quota" in codes(STAFF)


def test_staff_of_one_kind_within_its_quota_or_of_another_kind_pass() -> None:
    # near misses: within the kind's quota; a kind whose quota the sentence does not give
    assert "staff_over_quota" not in codes(
        STAFF.replace("实有行政编制人员3人", "实有行政编制人员1人")
    )
    assert "staff_over_quota" not in codes(STAFF.replace("行政编制1个,", ""))


# ---- a form one cell a line, each cell's closing bar on a line of its own ----------------------


def _bars(rows: list[list[str]]) -> str:
    """A page's table copied one cell a line, each cell's bar on the next line, a row closed by a
    line of bars (as a mirror of a portal gives it)."""
    lines: list[str] = []
    for row in rows:
        for cell in row:
            lines.extend([cell, "|"] if cell else ["|"])
        lines.append("||||")
    return "\n".join(lines) + "\n"


FORM = _bars(
    [
        ["项目名称", "示例慰问经费"],
        ["预算执行情况(万元)", "", "预算数(A)", "执行数(B)", "执行率(B/A)", "得分"],
        ["年度财政资金总额", "40.5", "40.5", "100%", "20"],
        ["一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"],
        ["产出指标(60分)", "质量指标", "补助经费足额拨付率", "100%", "100%", "20"],
        ["满意度指标(10分)", "服务对象满意度指标", "慰问对象满意率", "95%", "98%", "10"],
        ["总分(100分)", "98", "自评等级", "优"],
    ]
)


def test_a_form_with_closing_bars_on_their_own_lines_is_read() -> None:
    doc = extract("2022年度项目支出绩效自评表\n单位名称:示例局 填报日期:2023年4月6日\n" + FORM)
    assert doc.budget["executed"].value == Decimal("40.5")
    assert [r.percent for r in doc.rates if r.kind == "execution"] == [Decimal(100)]
    assert {(t.actual, t.target) for t in doc.targets if t.target} >= {
        (Decimal(100), Decimal(100)),
        (Decimal(98), Decimal(95)),
    }
    assert doc.total_score is not None and doc.total_score.value == Decimal(98)
    assert doc.grade is not None and doc.grade.value == "优"


def test_a_grade_scale_in_cells_is_no_grade() -> None:
    # near miss: a scale's header (评价等级 | 优 | 良 | 中 | 差) names no grade, and a 总分 label
    # with its full marks and no figure after it gives no score
    text = "2022年度项目支出绩效自评表\n" + _bars(
        [["评价等级", "优", "良", "中", "差"], ["总分(100分)", "自评等级", "良好"]]
    )
    doc = extract(text)
    assert doc.total_score is None
    assert doc.grade is not None and doc.grade.value == "良好"
    doc = extract(text.replace("自评等级\n|\n良好\n|\n", ""))
    assert doc.grade is None


# ---- a central transfer's form as a page's table ---------------------------------------------


TRANSFER = (
    "示例补助资金绩效自评表\n示例补助资金绩效自评表 | |||||||\n(2024年度) | |||||||\n"
    "转移支付(项目)名称 | 示例补助资金 | ||||||\n中央主管部门 | 示例部 | ||||||\n"
    "资金使用单位 | 示例市示例区示例局 | ||||\n资金投入情况 (万元) |\n"
    "全年预算数(A) | 全年执行数(B) | 预算执行率(B/A×100%) | ||||\n"
    "年度资金总额: | 100 | 95 | 95% | ||||\n"
)


def test_a_transfer_forms_cover_cells_are_read() -> None:
    doc = extract(TRANSFER)
    assert doc.year is not None and doc.year.value == 2024
    assert doc.unit_name is not None and doc.unit_name.value == "示例市示例区示例局"
    assert doc.project_name is not None and doc.project_name.value == "示例补助资金"


def test_a_transfer_forms_cells_that_are_no_values_give_nothing() -> None:
    # near misses: a year cell holding a range, a name cell holding the next label
    doc = extract(
        TRANSFER.replace("(2024年度)", "(2023-2024年度)")
        .replace("| 示例补助资金 |", "| 主管部门 |")
        .replace("| 示例市示例区示例局 |", "| 各县区 |")
    )
    assert doc.year is None or doc.year.value != 2023
    assert doc.project_name is None
    assert doc.unit_name is None


# ---- the grade as the self-evaluation's conclusion ---------------------------------------------


def test_the_conclusions_grade_is_read() -> None:
    # the page's copy ends inside the quote (自评结论为“优秀)
    text = "示例局2021年度示例资金绩效自评报告\n三、综合评价结论\n自评得分为98分,自评结论为“优秀"
    doc = extract(text)
    assert doc.grade is not None and doc.grade.value == "优秀"


def test_a_conclusion_without_a_grade_gives_none() -> None:
    # near miss: a conclusion in words, no grade
    text = "示例局2021年度示例资金绩效自评报告\n三、综合评价结论\n自评结论为基本达到预期目标。"
    assert extract(text).grade is None


# ---- a quota with its kind in brackets ---------------------------------------------------------


def test_a_quota_with_its_kind_in_brackets_is_read() -> None:
    text = (
        "示例团市委2020年度项目支出绩效评价自评报告\n一、单位基本情况\n"
        "现有事业编制(参公)11名,2020年底实有人员9人。\n"
    )
    staff = extract(text).staff
    assert staff["staffing_quota"].value == 11 and staff["staff_actual"].value == 9


def test_a_bracket_that_is_no_kind_still_stops_the_quota() -> None:
    # near miss: a bracket naming what the figure is not (a year, a count of bodies) reads nothing
    text = (
        "示例团市委2020年度项目支出绩效评价自评报告\n一、单位基本情况\n"
        "现有事业编制(2019年核定)11名。\n"
    )
    assert "staffing_quota" not in extract(text).staff


# ---- the share of the target done ------------------------------------------------------------


def test_the_share_of_the_target_done_is_a_completion_claim() -> None:
    text = (
        "示例镇2022年农村危房改造项目自评报告\n一、项目基本情况\n"
        "示例镇2022年度农村危房改造项目绩效目标20户,实际完成18户,实际完成数占年度目标任务的90%。\n"
    )
    [claim] = extract(text).targets
    assert (claim.actual, claim.target, claim.stated_percent) == (
        Decimal(18),
        Decimal(20),
        Decimal(90),
    )


def test_a_share_of_something_else_is_no_claim() -> None:
    # near miss: a share of the budget, or of the people, is no completion of a target
    text = (
        "示例镇2022年农村危房改造项目自评报告\n一、项目基本情况\n改造户数18户,占全镇农户数的3%。\n"
    )
    assert extract(text).targets == []


# ---- a summary table's budget, spending and balance --------------------------------------------


SUMMARY = (
    "示例局2023年度绩效自评\n部门绩效自评结果公开汇总表\n单位:万元\n"
    "序号 项目名称 项目实施单位 预算数(调整后) 执行数(至2023年底) 结余数 自评得分\n"
    "1 示例专项资金 示例局 120.5 120.5 0 100\n"
    "2 示例补助资金 示例局 80.25      10.25 70 80\n"
)


def test_a_summary_rows_low_spending_without_reason_is_flagged() -> None:
    assert "execution_low_unexplained" in codes(SUMMARY)


def test_summary_rows_spent_or_explained_or_not_adding_pass() -> None:
    # near misses: every row spent; a reason given; three figures that are no budget less spending
    assert "execution_low_unexplained" not in codes(SUMMARY.replace("10.25 70", "80.25 0"))
    assert "execution_low_unexplained" not in codes(
        SUMMARY + "结余主要原因是项目跨年度实施,资金尚未拨付。\n"
    )
    assert "execution_low_unexplained" not in codes(SUMMARY.replace("10.25 70", "10.25 60"))


# ---- a subsidy's money paid out, said plainly ---------------------------------------------------


def test_a_subsidy_paid_out_or_funds_spent_is_the_spending() -> None:
    for sentence, amount in (
        ("全区共完成发放补助资金141.8万元。", "141.8"),
        ("实际完成改造264户,发放补助资金为278.8万元。", "278.8"),
        ("全年执行资金1847.85万元,执行率92.9%。", "1847.85"),
    ):
        doc = extract("示例区2023年农村危房改造项目绩效自评报告\n一、项目基本情况\n" + sentence)
        assert doc.budget["executed"].value == Decimal(amount), sentence


def test_a_subsidys_standard_is_no_spending() -> None:
    # near miss: the standard of the subsidy, not the money paid
    doc = extract(
        "示例区2023年农村危房改造项目绩效自评报告\n一、项目基本情况\n发放补助资金标准为每户2万元。"
    )
    assert "executed" not in doc.budget


# ---- the initial budget with its fund named between ---------------------------------------------


def test_the_initial_budget_with_its_fund_named_between_is_read() -> None:
    doc = extract(
        "示例市2022年度绩效自评报告\n一、项目基本情况\n2022年初农村危房改造资金预算安排300.7万元,计划补助115户。"
    )
    assert doc.budget["initial"].value == Decimal("300.7")


def test_a_year_start_without_a_budget_arranged_gives_none() -> None:
    # near miss: the start of the year and a fund's figure, no budget arranged
    doc = extract(
        "示例市2022年度绩效自评报告\n一、项目基本情况\n2022年初农村危房改造资金到位300.7万元。"
    )
    assert "initial" not in doc.budget


# ---- a cover's date over the line saying it is the cover ---------------------------------------


COVER = (
    "2024年度示例区妇联部门整体支出绩效自评报告\n部门(单位)名称:示例区妇联\n"
    "2025年 6 月 16日\n(此页为封面)\n一、部门基本情况\n核定编制6名。\n"
)


def test_a_cover_date_over_the_cover_note_is_the_filing_date() -> None:
    doc = extract(COVER)
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2025, 6, 16)


def test_a_bare_date_with_other_text_under_it_is_no_filing_date() -> None:
    # near miss: a bare date followed by the page's text is no cover's
    assert extract(COVER.replace("(此页为封面)", "浏览次数:12")).filled_on is None


# ---- a form's cover a cell a paragraph -----------------------------------------------------------


CELLS = (
    "项目支出绩效自评表\n\n    2022年度)\n\n    项目名称\n\n    “示例”省级补助资金\n\n"
    "    主管部门\n\n    示例市示例局\n\n    实施单位\n\n    示例市示例局\n"
)


def test_a_project_name_cell_between_its_label_and_the_next_is_read() -> None:
    name = extract(CELLS).project_name
    assert name is not None and name.value == "“示例”省级补助资金"


def test_a_list_headers_name_column_gives_no_project() -> None:
    # near miss: a list's header (项目名称 / 备注 …), its next cell no cover label
    text = CELLS.replace("    主管部门\n", "    备注\n")
    assert extract(text).project_name is None


# ---- a works' completion rate ------------------------------------------------------------------


def test_a_works_completion_rate_is_a_claim() -> None:
    text = (
        "示例区2023年农村危房改造项目绩效自评报告\n一、项目基本情况\n"
        "截止2023年12月31日,全区共完成农村危房改造60户,完工率120%。\n"
    )
    [claim] = extract(text).targets
    assert (claim.actual, claim.stated_percent) == (Decimal(60), Decimal(120))


def test_a_rate_that_is_no_completion_gives_no_claim() -> None:
    # near miss: a works' other rate (合格率) is no completion of a target
    text = (
        "示例区2023年农村危房改造项目绩效自评报告\n一、项目基本情况\n"
        "全区共完成农村危房改造60户,验收合格率100%。\n"
    )
    assert all(
        t.stated_percent != Decimal(100) or t.actual != Decimal(60) for t in extract(text).targets
    )
