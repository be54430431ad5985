"""Checks for the real reports' annotated defects that had none (#13, checks13): made-up texts.

Each rule has its shape (a test that fails without it) and a near miss that must stay unflagged.
The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

from jixiao.audit import checks
from jixiao.audit.extract import extract
from jixiao.audit.findings import Finding

OPENING = "示例县示例局2023年度部门整体支出绩效自评报告\n一、基本情况\n2023年实际支出12万元。\n"


def _found(text: str, check, code: str) -> list[Finding]:  # type: ignore[no-untyped-def]
    return [f for f in check(extract(text), None) if f.code == code]


# ---- a template's own heading left in the report -------------------------------------------


def test_a_templates_outline_heading_is_flagged() -> None:
    text = (
        "示例县示例中学2023年度整体支出绩效自评报告\n\n部门整体支出绩效评价报告编写提纲\n\n"
        + OPENING
    )
    found = _found(text, checks.check_template_heading, "template_heading_left")
    assert len(found) == 1 and found[0].location.line == 3
    assert "编写提纲" in found[0].message


def test_a_sentence_citing_the_outline_is_not() -> None:
    text = (
        OPENING
        + "按照《部门整体支出绩效评价报告参考提纲》编写本报告。\n参考提纲的要求已逐项落实。\n"
    )
    assert _found(text, checks.check_template_heading, "template_heading_left") == []


# ---- circled numbers that skip --------------------------------------------------------------


def test_circled_items_that_skip_one_are_flagged() -> None:
    text = OPENING + "1.机构设置\n①机关内设股室5个\n办公室、财务股。\n下辖大队3个\n③派出机构2个\n"
    found = _found(text, checks.check_circled_numbering, "numbering_broken")
    assert len(found) == 1 and "“③”的前一项是“①”" in found[0].message


def test_circled_items_in_order_or_a_new_list_are_not() -> None:
    text = (
        OPENING + "1.机构设置\n①机关内设股室5个\n②下辖大队3个\n③派出机构2个\n"
        "2.人员情况\n①在职人员10人\n②退休人员3人\n"
    )
    assert _found(text, checks.check_circled_numbering, "numbering_broken") == []


# ---- one item of a (1) (2) list without its left bracket -----------------------------------


def test_a_half_bracketed_first_item_among_full_ones_is_flagged() -> None:
    text = OPENING + "(一)主要职能:1)组织群众文化活动;(2)辅导业余骨干;(3)保护非遗项目。\n"
    found = _found(text, checks.check_half_bracket_item, "numbering_broken")
    assert len(found) == 1 and "“1)”缺少左括号" in found[0].message


def test_a_list_written_with_half_brackets_throughout_is_not() -> None:
    text = OPENING + "(一)主要职能:1)组织群众文化活动;2)辅导业余骨干;3)保护非遗项目。\n"
    assert _found(text, checks.check_half_bracket_item, "numbering_broken") == []
    text = OPENING + "(一)主要职能:(1)组织群众文化活动;(2)辅导业余骨干(含1)班);(3)保护非遗。\n"
    assert _found(text, checks.check_half_bracket_item, "numbering_broken") == []


# ---- the 自评表's two breakdowns of one total ------------------------------------------------


def test_breakdowns_by_income_and_by_spending_that_differ_are_flagged() -> None:
    text = OPENING + "年度资金总额\n\n500.00\n\n按收入性质分:500.00\n\n按支出性质分:480.00\n"
    found = _found(text, checks.check_breakdowns_agree, "figure_inconsistent")
    assert len(found) == 1 and found[0].location.line == 10


def test_breakdowns_that_agree_are_not() -> None:
    text = OPENING + "按收入性质分:500.00\n按支出性质分:500\n"
    assert _found(text, checks.check_breakdowns_agree, "figure_inconsistent") == []


# ---- one notice said to allocate two amounts -----------------------------------------------


def test_an_item_of_a_notice_larger_than_its_whole_allocation_is_flagged() -> None:
    text = OPENING + (
        "市财政局示财指〔2023〕41号文件下达我县2023年资金5万元。\n"
        "示财指〔2023〕41号文件下达我县2023年设施维养6万元。\n"
    )
    found = _found(text, checks.check_notice_amounts, "figure_inconsistent")
    assert len(found) == 1 and "示财指〔2023〕41号" in found[0].message


def test_an_item_within_the_notices_allocation_is_not() -> None:
    text = OPENING + (
        "市财政局示财指〔2023〕41号文件下达我县2023年资金50万元。\n"
        "示财指〔2023〕41号文件下达我县2023年设施维养6万元。\n"
        "示财指〔2023〕42号文件下达我县2023年资金8万元。\n"
    )
    assert _found(text, checks.check_notice_amounts, "figure_inconsistent") == []


# ---- a fund's spending against its 基本支出 and 项目支出 --------------------------------------


def test_a_funds_spending_equal_to_its_basic_part_alone_is_flagged() -> None:
    text = (
        "示例县示例办2024年度部门整体支出绩效自评报告\n一、基本情况\n"
        "2024年我办一般公共预算财政拨款支出100.57万元。\n"
        "一般公共预算财政拨款基本支出100.57万元,其中工资福利支出70万元。\n"
        "一般公共预算财政拨款项目支出21万元。\n"
    )
    found = _found(text, checks.check_fund_spending_parts, "figure_inconsistent")
    assert len(found) == 1 and "121.57" in found[0].message


def test_parts_that_add_up_or_last_years_figures_are_not() -> None:
    text = (
        "示例县示例办2024年度部门整体支出绩效自评报告\n一、基本情况\n"
        "2024年我办一般公共预算财政拨款支出121.57万元。\n"
        "一般公共预算财政拨款基本支出100.57万元;一般公共预算财政拨款项目支出21万元。\n"
        "2023年一般公共预算财政拨款支出90万元。\n"
    )
    assert _found(text, checks.check_fund_spending_parts, "figure_inconsistent") == []
    text = (
        "示例县示例办2024年度部门整体支出绩效自评报告\n一、基本情况\n"
        "一般公共预算财政拨款支出比上年减少20万元。一般公共预算财政拨款支出100万元。\n"
        "一般公共预算财政拨款基本支出80万元;一般公共预算财政拨款项目支出20万元。\n"
    )
    assert _found(text, checks.check_fund_spending_parts, "figure_inconsistent") == []


# ---- a table's 合计 off its rows by a rounding tail ------------------------------------------


_TABLE = (
    "支出内容 | 计划支出数(万元) | 实际支出数(万元) | ||\n"
    "活动经费 | 166.16 | 129.05 | ||\n"
    "运行补助 | 80.00 | 62.54 | ||\n"
    "保护经费 | 100.00 | 98.21 | ||\n"
)


def test_a_total_row_off_by_a_rounding_tail_is_flagged() -> None:
    text = OPENING + _TABLE + "支出合计 | 346.16 | 289.81 | ||\n"
    found = _found(text, checks.check_table_total_tail, "sum_rounding_tail")
    assert len(found) == 1 and "289.80" in found[0].message and "0.01" in found[0].message


def test_a_total_row_that_adds_up_or_is_far_off_is_not() -> None:
    text = OPENING + _TABLE + "支出合计 | 346.16 | 289.80 | ||\n"
    assert _found(text, checks.check_table_total_tail, "sum_rounding_tail") == []
    # far off: sub-rows or another list, not a rounding tail (not judged here)
    text = OPENING + _TABLE + "支出合计 | 346.16 | 300.80 | ||\n"
    assert _found(text, checks.check_table_total_tail, "sum_rounding_tail") == []
    # whole numbers: no rounding to speak of
    text = OPENING + "甲 | 3\n乙 | 4\n丙 | 5\n合计 | 13\n"
    assert _found(text, checks.check_table_total_tail, "sum_rounding_tail") == []


# ---- retirees counted in a 编制 figure ------------------------------------------------------


def test_retirees_counted_in_the_quota_are_flagged() -> None:
    text = OPENING + "现有编制人员120人。其中,机关在职80人、离休2人、退休38人。\n"
    found = _found(text, checks.check_quota_with_retirees, "staff_scope_mixed")
    assert len(found) == 1 and "120" in found[0].message


def test_retirees_stated_beside_the_quota_are_not() -> None:
    text = OPENING + "核定编制80人,实有在职人员78人;另有退休人员38人。\n"
    assert _found(text, checks.check_quota_with_retirees, "staff_scope_mixed") == []
    text = OPENING + "现有人员120人,其中在职在编80人、退休人员40人。\n"
    assert _found(text, checks.check_quota_with_retirees, "staff_scope_mixed") == []


# ---- indicators in the wrong place of the table --------------------------------------------


def test_a_cost_item_under_the_quantity_category_is_flagged() -> None:
    text = OPENING + "产出指标数量指标成本控制不超过预算不超过预算10质量指标专款专用\n"
    found = _found(text, checks.check_indicator_placement, "indicator_category_mismatch")
    assert len(found) == 1 and "数量指标" in found[0].message


def test_a_cost_category_after_the_quantity_category_is_not() -> None:
    text = (
        OPENING + "产出指标 | 数量指标 | 培训人次 | 100人次\n时效指标 成本指标 | 培训成本 | 5万元\n"
    )
    assert _found(text, checks.check_indicator_placement, "indicator_category_mismatch") == []


def test_an_output_category_under_the_decision_level_is_flagged() -> None:
    text = (
        OPENING
        + "一级指标 | 二级指标 | 三级指标\n项目决策\n        | 数量指标\n        | 宣传次数\n"
    )
    found = _found(text, checks.check_indicator_placement, "indicator_level_mismatch")
    assert len(found) == 1 and "项目决策" in found[0].message


def test_an_output_category_under_outputs_is_not() -> None:
    text = OPENING + "项目决策 | 项目立项 | 立项依据充分性\n产出指标 | 数量指标 | 宣传次数\n"
    assert _found(text, checks.check_indicator_placement, "indicator_level_mismatch") == []


# ---- the last sub-part of a part left empty ------------------------------------------------


def test_an_empty_last_sub_part_is_flagged() -> None:
    text = (
        "示例县示例站2023年度项目支出绩效自评报告\n一、项目基本情况\n(一)项目概况\n"
        "项目总投资10万元。\n(二)上年整改情况\n\n二、绩效自评工作开展情况\n成立了自评小组。\n"
    )
    found = _found(text, checks.check_empty_part, "section_empty")
    assert len(found) == 1 and "(二)上年整改情况" in found[0].message


def test_a_table_of_contents_or_a_sub_list_is_not() -> None:
    # a run of bare titles (a table of contents) ends with a sub-part before the next part
    text = (
        "示例县示例站2023年度项目支出绩效自评报告\n目录\n一、项目基本情况\n(一)项目概况\n"
        "(二)上年整改情况\n二、绩效自评工作开展情况\n"
    )
    assert _found(text, checks.check_empty_part, "section_empty") == []
    # a title followed by a heading that does not continue the outline (1. then (一))
    text = (
        "示例县示例站2023年度项目支出绩效自评报告\n根据通知要求开展自评。\n1.单位基本情况\n"
        "(一)机构设置。本站为全额拨款事业单位。\n"
    )
    assert _found(text, checks.check_empty_part, "section_empty") == []


# ---- a cited document's 文号 not its issuer's ------------------------------------------------


def test_an_offices_document_under_a_governments_number_is_flagged() -> None:
    text = OPENING + (
        "根据《中共示例省委办公厅 示例省人民政府办公厅关于全面实施预算绩效管理的实施意见》"
        "(示政发〔2019〕10号)要求开展自评。\n"
    )
    found = _found(text, checks.check_cited_number, "notice_number_suspect")
    assert len(found) == 1 and "示政发" in found[0].message


def test_documents_under_their_issuers_numbers_are_not() -> None:
    text = OPENING + (
        "根据《中共示例省委办公厅 示例省人民政府办公厅关于全面实施预算绩效管理的实施意见》"
        "(示办发〔2019〕10号)、《示例省人民政府关于推进预算绩效管理的意见》(示政发〔2019〕3号)"
        "和《示例省人民政府办公厅关于印发办法的通知》(示政办发〔2020〕5号)要求开展自评。\n"
    )
    assert _found(text, checks.check_cited_number, "notice_number_suspect") == []


# ---- a cover's 评价方式 against its 评价机构 -------------------------------------------------


def test_a_self_evaluation_by_an_agency_is_flagged() -> None:
    text = (
        "示例县财政支出政策绩效评价报告\n评价方式:部门(单位)绩效自评R 财政部门组织评价□\n"
        "评价机构:中介机构R 部门(单位)评价组□ 财政评价组□\n" + OPENING
    )
    found = _found(text, checks.check_evaluation_mode, "evaluation_mode_conflict")
    assert len(found) == 1 and found[0].location.line == 3 and "中介机构" in found[0].message


def test_a_self_evaluation_by_the_units_own_team_is_not() -> None:
    text = (
        "示例县财政支出政策绩效评价报告\n评价方式:部门(单位)绩效自评□√财政部门组织评价□"
        "评价机构:中介机构□部门(单位)评价组□√财政评价组□\n" + OPENING
    )
    assert _found(text, checks.check_evaluation_mode, "evaluation_mode_conflict") == []
    text = "评价方式:部门(单位)绩效自评\n评价机构:部门(单位)评价组\n" + OPENING
    assert _found(text, checks.check_evaluation_mode, "evaluation_mode_conflict") == []


# ---- 中共中央 inside a local committee's name ------------------------------------------------


def test_central_committee_in_a_county_committees_name_is_flagged() -> None:
    text = "部门名称: 示例县编办\n主管部门: 示例县中共中央示例县县委\n" + OPENING
    found = _found(text, checks.check_central_in_local_name, "unit_name_suspect")
    assert len(found) == 1 and "中共示例县县委" in found[0].message


def test_central_committee_cited_beside_a_county_committee_is_not() -> None:
    text = OPENING + (
        "根据《中共中央 国务院关于全面实施预算绩效管理的意见》和中共示例县委的部署,"
        "落实中共中央、县委的要求。\n"
    )
    assert _found(text, checks.check_central_in_local_name, "unit_name_suspect") == []


# ---- a whole report on funds that never says what was spent --------------------------------

_TRANSFER = (
    "示例镇2024年示例社区排水沟项目绩效自评报告\n一、绩效目标分解下达情况\n"
    "新建排水沟1300米。\n二、绩效自评工作开展情况\n对项目开展自评。\n"
    "三、绩效目标完成情况分析\n(一)资金投入情况分析\n下达建设资金56万元,全部用于排水沟建设。\n"
    "(二)绩效目标完成情况分析\n{answer}\n四、绩效自评结果拟应用和公开情况\n在系统内部公开。\n"
)


def test_funds_received_and_nothing_said_spent_is_flagged() -> None:
    text = _TRANSFER.format(answer="计划资金全部到位56万元,项目已验收。")
    found = _found(text, checks.check_spending_unstated, "execution_missing")
    assert len(found) == 1 and "56万元" in found[0].message


def test_spending_stated_or_an_excerpt_is_not() -> None:
    text = _TRANSFER.format(answer="已支付工程款56万元,项目已验收。")
    assert _found(text, checks.check_spending_unstated, "execution_missing") == []
    text = _TRANSFER.format(answer="资金执行率100%。")
    assert _found(text, checks.check_spending_unstated, "execution_missing") == []
    cut = _TRANSFER.format(answer="计划资金全部到位56万元。").split("四、")[0]
    assert _found(cut, checks.check_spending_unstated, "execution_missing") == []


# ---- one payer's share stated as the whole -------------------------------------------------


def test_a_payers_share_given_as_the_whole_is_flagged() -> None:
    text = OPENING + (
        "项目批复总投资61.8万元,其中中央财政资金30.9万元,县财政配套资金30.9万元,"
        "2021年度中央下达资金61.8万元。\n"
    )
    found = _found(text, checks.check_level_share, "figure_inconsistent")
    assert len(found) == 1 and "中央下达资金61.8万元" in found[0].message


def test_a_payers_share_stated_again_is_not() -> None:
    text = OPENING + (
        "项目批复总投资61.8万元,其中中央财政资金30.9万元,县财政配套资金30.9万元,"
        "2021年度中央下达资金30.9万元。\n"
    )
    assert _found(text, checks.check_level_share, "figure_inconsistent") == []
    text = OPENING + "项目总投资60万元,其中中央资金60万元,县级资金0万元,中央下达资金60万元。\n"
    assert _found(text, checks.check_level_share, "figure_inconsistent") == []


# ---- a 自评表's funds row short of a cell --------------------------------------------------

_FUNDS_HEAD = (
    "预算执行情况(万元) (20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 (20分*执行率) | |||\n"
)


def test_a_funds_row_short_of_a_cell_is_flagged() -> None:
    text = OPENING + _FUNDS_HEAD + "部门整体支出总额 | 864.2 | 100% | 20 | ||||||\n"
    found = _found(text, checks.check_funds_row_cells, "table_cell_missing")
    assert len(found) == 1 and found[0].location.line == 5 and "执行数(B)" in found[0].message


def test_a_full_funds_row_or_one_without_its_score_is_not() -> None:
    text = OPENING + _FUNDS_HEAD + "部门整体支出总额 | 864.2 | 864.2 | 100% | 20 | ||||||\n"
    assert _found(text, checks.check_funds_row_cells, "table_cell_missing") == []
    # the last cells left out (a score not given): no percentage stands under an amount
    text = OPENING + _FUNDS_HEAD + "部门整体支出总额 | 864.2 | 864.2 | ||||||\n"
    assert _found(text, checks.check_funds_row_cells, "table_cell_missing") == []


# ---- one labelled figure of the report stated with two values ------------------------------

_HEAD = "示例县示例局2023年度部门整体支出绩效自评报告\n一、基本情况\n"


def test_the_reports_initial_budget_stated_twice_differently_is_flagged() -> None:
    text = (
        _HEAD
        + "2023年年初预算数为500万元,全年执行数为480万元。\n三、评价结论\n年初预算数为520万元。\n"
    )
    found = _found(text, checks.check_same_figure, "figure_inconsistent")
    assert len(found) == 1 and "前面写500万元，此处写520万元" in found[0].message


def test_the_same_figure_in_yuan_a_projects_or_another_years_is_not() -> None:
    text = _HEAD + (
        "2023年年初预算数为500万元。我局年初预算5000000元。\n"
        "示例项目年初预算20万元。2022年年初预算数为450万元。\n"
        "年初预算数比上年增加50万元,上年年初预算数为450万元。\n"
    )
    assert _found(text, checks.check_same_figure, "figure_inconsistent") == []


# ---- a 其中 list of named kinds against its total -------------------------------------------


def test_named_kinds_said_complete_and_short_of_their_total_are_flagged() -> None:
    text = OPENING + (
        "本局主要有部门预算项目支出、专项预算支出二类支出,项目资金总预算为2455.5万元,"
        "其中部门预算项目支出87.5万元,专项预算支出2350万元。\n"
    )
    found = _found(text, checks.check_kinds_sum, "sum_mismatch")
    assert len(found) == 1 and "2437.50" in found[0].message and "少于" in found[0].message


def test_named_kinds_over_their_total_are_flagged() -> None:
    text = OPENING + "项目总投资100万元,其中中央补助资金70万元,县级配套资金40万元。\n"
    found = _found(text, checks.check_kinds_sum, "sum_mismatch")
    assert len(found) == 1 and "多于" in found[0].message


def test_named_kinds_short_of_a_total_not_said_complete_are_not() -> None:
    # a 其中 may list only some kinds: short is judged only when the paragraph counts the kinds
    text = (
        OPENING + "项目资金总预算为2455.5万元,其中部门预算项目支出87.5万元,专项预算支出2350万元。\n"
    )
    assert _found(text, checks.check_kinds_sum, "sum_mismatch") == []
    text = OPENING + (
        "本局主要有三类支出,项目资金总预算为2455.5万元,"
        "其中部门预算项目支出87.5万元,专项预算支出2350万元。\n"
    )
    assert _found(text, checks.check_kinds_sum, "sum_mismatch") == []
    # the labels check_sums knows are its own (an error there), not reported twice
    text = OPENING + "支出合计100万元,其中基本支出70万元,项目支出40万元。\n"
    assert _found(text, checks.check_kinds_sum, "sum_mismatch") == []


# ---- one payer's funds put in and done at a rate -------------------------------------------


def test_a_payers_rate_that_its_amounts_do_not_give_is_flagged() -> None:
    text = OPENING + (
        "中央资金完成636.75万元,预算执行率81.97%;地方资金完成877.99万元,预算执行率100%。\n"
        "共投入资金1769.59万元。其中中央资金投入776.84万元,地方资金投入992.88万元。\n"
    )
    found = _found(text, checks.check_payer_rates, "figure_inconsistent")
    assert len(found) == 1 and "88.43%" in found[0].message and "地方" in found[0].message


def test_payers_rates_that_agree_or_without_their_input_are_not() -> None:
    text = OPENING + (
        "中央资金完成636.75万元,预算执行率81.97%;省级资金完成288.26万元,预算执行率99.28%;"
        "县级资金完成50万元,预算执行率100%。\n"
        "其中中央资金投入776.84万元,省级资金投入290.36万元。\n"
    )
    assert _found(text, checks.check_payer_rates, "figure_inconsistent") == []
