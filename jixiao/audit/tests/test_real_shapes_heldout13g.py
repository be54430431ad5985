"""Shapes the seventh held-out set showed (#13, held13g): made-up texts.

The twelve reports of jixiao/audit/corpus/real marked ``heldout_batch: 8`` were audited once
before any rule changed (docs/audit.md keeps that first figure: one crash, four wrong values);
these are the general rules it called for. Each has the shape and a near miss: a wrong value is
worse than none. The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

from jixiao.audit import audit_text
from jixiao.audit.extract import extract

# ---- a grid header whose cells were cut in two ---------------------------------------------------

_FUNDS = (
    "项目名称 示例专项经费\n主管部门 示例区文化和旅游局 实施单位 示例区文化和旅游局\n"
    "项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
    "(万元) 年度资金总额 50 50 50 10 100% 10\n"
)


_ROWS = (
    "产出指标 数量指标 指标1:修缮面积 800平方米 800平方米 10 10\n"
    "指标2:修缮级别 市级保护单位 市级保护单位 10 10\n"
    "质量指标 指标1:验收合格率 100% 95% 10 8\n"
)


def test_a_header_cut_in_two_lines_is_rejoined() -> None:
    # 年度 | 实际 over 指标值 | 完成值: the columns stand where the first halves stand
    text = (
        _FUNDS + "绩效指标 一级指标 二级指标 三级指标 年度 实际 分值 得分 偏差原因分析及改进措施\n"
        "指标值 完成值\n" + _ROWS
    )
    doc = extract(text)
    assert doc.sheet is not None
    rows = {r.name: (r.target, r.actual) for r in doc.sheet.indicators if r.readable}
    assert rows == {
        "修缮面积": (800, 800),
        "验收合格率": (100, 95),
    }


def test_a_header_naming_its_values_after_the_reason_reads_no_rows_and_does_not_crash() -> None:
    # near miss: 指标值 / 完成值 after 偏差原因 with no half words before to complete — the columns
    # cannot be placed; a row whose next cell is a category label once made the reader fail on a
    # row without figures
    text = (
        _FUNDS + "绩效指标 一级指标 二级指标 三级指标 分值 得分 偏差原因分析及改进措施\n"
        "指标值 完成值\n" + _ROWS
    )
    report = audit_text(text)
    doc = extract(text)
    assert doc.sheet is not None and doc.sheet.indicators == []
    assert report.extracted["budget"]["executed"] == "50"


def test_a_header_in_one_line_still_reads_its_rows() -> None:
    # near miss: the same grid with its header words whole
    text = (
        _FUNDS + "绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 "
        "偏差原因分析及改进措施\n"
        "产出指标 数量指标 指标1:修缮面积 800平方米 800平方米 10 10\n"
    )
    doc = extract(text)
    assert doc.sheet is not None and [r.name for r in doc.sheet.indicators] == ["修缮面积"]


# ---- an execution rate written as a fraction ----------------------------------------------------


def _rate(row: str) -> str | None:
    text = (
        "项目名称 示例专项经费\n主管部门 示例局 实施单位 示例局\n"
        "项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n" + row + "\n"
    )
    return audit_text(text).extracted["budget"]["stated_execution_rate"]


def test_a_fraction_the_rows_own_figures_agree_with_is_a_percent() -> None:
    assert _rate("(万元) 年度资金总额 40 40 38.3 10 0.957 9") == "95.7"  # 38.3 ÷ 40 = 0.9575
    assert _rate("(万元) 年度资金总额 40 40 40 10 1 10") == "100"


def test_a_rate_the_figures_agree_with_as_a_percent_stays_as_written() -> None:
    # near misses: 0.5 % spent, written without its sign; a bare 1 with half of it spent
    assert _rate("(万元) 年度资金总额 400 400 2 10 0.5 0") == "0.5"
    # (the rate as the row states it, "1"; the disagreement gate then gives none as the report's,
    # 1 % and 20 ÷ 40 = 50 % being too far apart to be a miscalculation)
    text = (
        "项目名称 示例专项经费\n主管部门 示例局 实施单位 示例局\n"
        "项目资金 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
        "(万元) 年度资金总额 40 40 20 10 1 5\n"
    )
    doc = extract(text)
    assert [r.percent_text for r in doc.rates if r.kind == "execution"] == ["1"]
    assert doc.to_dict()["budget"]["stated_execution_rate"] is None


# ---- a cover whose unit is a seal ----------------------------------------------------------------


def test_a_seal_where_the_name_belongs_is_no_name() -> None:
    text = (
        "2024年度示例第一小学整体支出绩效自评报告\n单位名称:(盖章)\n2025年3月2日\n"
        "一、部门概况\n学校现有教职工40人。\n"
    )
    doc = extract(text)
    assert doc.unit_name is None or "盖章" not in doc.unit_name.value


def test_a_name_before_its_seal_is_read() -> None:
    # near miss: the seal beside the label, the name after it
    text = (
        "2024年度整体支出绩效自评报告\n单位名称(盖章):示例县档案馆\n2025年3月2日\n"
        "一、部门概况\n我馆现有职工10人。\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县档案馆"


# ---- quotas of two kinds, one written short -----------------------------------------------------


def test_a_short_kinds_quota_makes_two_quotas_and_no_total() -> None:
    doc = extract("一、单位概况\n我院行政政法专项编制50人,事业编3人。本年实有人数52人。\n")
    assert "staffing_quota" not in doc.staff
    assert doc.staff["staff_actual"].value == 52


def test_in_post_and_off_quota_staff_keep_their_kinds() -> None:
    # near miss: 在编 is staff in post and 编外 staff off the quota, not a kind's quota
    doc = extract("一、单位概况\n核定编制30人,在编28人,编外聘用5人。\n")
    assert doc.staff["staffing_quota"].value == 30
    assert doc.staff["staff_actual"].value == 28


# ---- a list of parts opened inside a bracket ----------------------------------------------------


def test_parts_listed_in_a_bracket_end_with_the_bracket() -> None:
    doc = extract(
        "一、单位概况\n本年实有人数52人(其中:财政拨款在职人员50人,自收自支事业人员2人),退休人员12人。\n"
    )
    assert doc.staff["staff_actual"].value == 52
    assert doc.staff["retired"].value == 12


def test_parts_listed_without_a_bracket_still_include_the_retired() -> None:
    # near miss: the total counts its retirees: the 在职 part is the headcount
    doc = extract("一、单位概况\n实有人数62人,其中在职人员50人,退休人员12人。\n")
    assert doc.staff["staff_actual"].value == 50


# ---- several project sheets in one text ---------------------------------------------------------

_SHEET = (
    "财政项目支出绩效自评表 (2022 年度) 项目名称 {name} 主管部门 示例区体育局 实施单位 "
    "示例区体育中心 年初预算数 全年预算数 全年执行数 分值 执行率 得分 "
)


def test_one_of_several_sheets_names_no_project_for_the_text() -> None:
    text = (
        "示例区体育中心2022年度项目自评价.pdf\n"
        + _SHEET.format(name="场馆运营结算费用")
        + "\n"
        + _SHEET.format(name="对口支援经费")
        + "\n"
    )
    assert extract(text).project_name is None


def test_several_sheets_are_seen_through_hard_breaks_and_full_width_brackets() -> None:
    # the mutated corpus (--mutate): a line break inside 项目名称 or the sheet's title, and （2022
    # 年度）, hid the second sheet from the raw text, and the first sheet's name was read
    sheet = _SHEET.replace("项目名称", "项目\n名称").replace("(2022 年度)", "（2022\n年度）")
    text = (
        "示例区体育中心2022年度项目自评价.pdf\n"
        + sheet.format(name="场馆运营结算费用")
        + "\n"
        + sheet.format(name="对口支援经费")
        + "\n"
    )
    assert extract(text).project_name is None


def test_one_sheet_names_its_project() -> None:
    # near miss: one sheet (its title once), its name read
    text = "示例区体育中心2022年度项目自评价.pdf\n" + _SHEET.format(name="对口支援经费") + "\n"
    doc = extract(text)
    assert doc.project_name is not None and doc.project_name.value == "对口支援经费"


# ---- a funds row cut inside its last figure ------------------------------------------------------

_ROW_HEAD = (
    "项目资金(万元) |年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"
    "| 年度资金总额 | 7.29 | 7.29 | "
)


def test_a_figure_cut_at_its_decimal_point_is_no_figure() -> None:
    # a stored opening that ends inside 7.29: the 7 is a piece of a figure
    budget = extract(_ROW_HEAD + "7.").to_dict()["budget"]
    assert budget["executed"] is None


def test_a_whole_figure_at_the_end_is_read() -> None:
    # near miss: the row ends with the whole figure
    assert extract(_ROW_HEAD + "7.29").to_dict()["budget"]["executed"] == "7.29"


# ---- a school's staff as 教职工 ------------------------------------------------------------------


def test_a_schools_staff_count_is_its_headcount() -> None:
    doc = extract("一、部门概况\n学校现有12个教学班,学生540人,教职工47人,其中高级教师5人。\n")
    assert doc.staff["staff_actual"].value == 47


def test_retired_or_temporary_staff_are_no_headcount() -> None:
    # near misses: 离退休 / 临时 教职工 are not the staff in post
    doc = extract("一、部门概况\n学校离退休教职工30人,临时教职工4人,在职教师50人。\n")
    assert doc.staff["staff_actual"].value == 50


# ---- the eighth held-out set (held13h, heldout_batch: 9) -----------------------------------------


def test_the_years_budget_executed_is_spending_not_the_budget() -> None:
    # 全年预算执行数: what the year's budget spent, not the budget
    doc = extract("示例项目年初预算100万元,全年预算执行数合计80万元,预算执行率80%。")
    assert "full_year" not in doc.budget
    assert doc.budget["executed"].value == 80


def test_the_years_budget_is_still_read() -> None:
    doc = extract("示例项目全年预算数120万元,全年执行数90万元,预算执行率75%。")
    assert doc.budget["full_year"].value == 120
    assert doc.budget["executed"].value == 90


_DEPARTMENT_NO_TITLE = (
    "一、部门基本情况\n(一)部门概况\n示例省示例厅是省政府组成部门,人员编制共40人。\n"
    "(二)部门预决算情况\n2021年初支出预算500万元,包括基本支出300万元、项目支出200万元。\n"
)


def test_project_spending_with_its_figure_names_no_project_report() -> None:
    # a department's spending by kind (基本支出…、项目支出200万元) in a text without a title
    assert extract(_DEPARTMENT_NO_TITLE).kind != "project"


def test_project_spending_named_as_the_subject_is_a_project_report() -> None:
    text = "一、项目基本情况\n示例项目由示例局实施。\n二、项目支出绩效目标完成情况\n项目支出按计划执行。\n"
    assert extract(text).kind == "project"


_TWO_YEAR_PROJECT = (
    "一、绩效目标分解下达情况\n"
    "(一)2023年中央下达示例设施建设项目资金500万元(两年期项目)。2023年完成支付300万元。\n"
)


def test_funds_carried_into_a_later_year_leave_the_year_unread() -> None:
    # 2024年结转2023年…: the report spends in 2024 too, so 2023's sentences do not give its year
    text = (
        _TWO_YEAR_PROJECT
        + "(二)2024年结转2023年示例设施建设项目资金合计200万元,全年预算执行数合计150万元。\n"
    )
    assert extract(text).year is None
    text = _TWO_YEAR_PROJECT + "(二)未用完的200万元结转至2024年使用。\n"
    assert extract(text).year is None


def test_a_transfer_without_a_carry_over_keeps_its_year() -> None:
    year = extract(_TWO_YEAR_PROJECT).year
    assert year is not None and year.value == 2023


def test_a_notices_number_after_a_space_is_its_number() -> None:
    # a copy's space between the title and its bracketed 文号
    doc = extract(
        "根据示例市财政局《关于开展2023年度项目绩效自评工作的通知》 (示财评价[2024]1号)要求,开展自评。"
    )
    assert doc.notice["number"].value == "示财评价〔2024〕1号"


def test_a_bracket_after_a_space_that_is_no_number_gives_none() -> None:
    doc = extract("根据《关于开展2023年度项目绩效自评工作的通知》 (以下简称通知)要求,开展自评。")
    assert "number" not in doc.notice


def test_a_department_cover_with_its_count_of_units_gives_the_name() -> None:
    # 广东's 部门整体 cover: the name's line runs into the next label once lines are joined
    text = (
        "部门整体支出绩效自评报告\n部门名称:示例市示例局\n所属下级预算单位数量:3\n"
        "填报人:张三\n联系电话:0000-1234567\n一、部门基本情况\n"
    )
    unit = extract(text).unit_name
    assert unit is not None and unit.value == "示例市示例局"


def test_a_name_running_into_prose_gives_none() -> None:
    text = "部门整体支出绩效自评报告\n部门名称:示例市示例局所属单位共有三个\n一、部门基本情况\n"
    assert extract(text).unit_name is None


def test_a_fund_named_with_a_short_bracket_in_the_title() -> None:
    text = (
        "示例县司法局2020年度一村(社区)一法律顾问经费绩效自评报告\n一、基本情况\n示例经费已拨付。\n"
    )
    name = extract(text).project_name
    assert name is not None and name.value == "一村(社区)一法律顾问经费"


def test_a_long_bracket_in_the_title_gives_no_fund_name() -> None:
    # a bracket that is a remark, not part of a name
    text = "示例县司法局2020年度示例(由县财政统一拨付到位的)经费绩效自评报告\n一、基本情况\n"
    assert extract(text).project_name is None


def test_a_fund_before_the_kind_with_de() -> None:
    text = (
        "示例县司法局\n关于2021年度示例政法转移支付资金绩效的自评报告\n一、绩效目标分解下达情况\n"
    )
    name = extract(text).project_name
    assert name is not None and name.value == "示例政法转移支付资金"


def test_a_generic_fund_before_the_kind_with_de_gives_none() -> None:
    text = "示例县司法局\n关于2021年度财政专项资金绩效的自评报告\n一、绩效目标分解下达情况\n"
    assert extract(text).project_name is None
