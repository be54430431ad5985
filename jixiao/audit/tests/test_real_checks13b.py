"""Checks for the real reports' annotated defects (#13, checks13b): made-up texts.

Each rule has its shape (a test that fails without it) and a near miss that must stay silent.
The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

from jixiao.audit import checks
from jixiao.audit.extract import extract
from jixiao.audit.findings import Finding

TITLE = "示例县示例局2024年度示例补助资金项目绩效自评报告\n"


def _found(text: str, check, code: str) -> list[Finding]:  # type: ignore[no-untyped-def]
    return [f for f in check(extract(text), None) if f.code == code]


# ---- a low share spent, read from the budget and the spending when no rate is stated -------------

PAID = (
    TITLE + "一、项目基本情况\n2024年共下达我县示例补助资金300万元。\n"
    "二、绩效目标完成情况\n1.资金执行情况。2024年全县共发放补助资金180万元。\n"
    "2.产出情况。完成示例任务40户。\n三、存在的问题\n宣传还需加强。\n"
)


def test_a_whole_years_spending_far_below_its_budget_with_no_reason_is_flagged() -> None:
    found = _found(PAID, checks.check_execution_low, "execution_low_unexplained")
    assert len(found) == 1 and "60%" in found[0].message and found[0].location.line == 5


def test_one_projects_spending_beside_all_the_funds_is_not_judged() -> None:
    # the funds of two projects, the spending of one: no share of the whole can be taken
    text = PAID.replace("全县共发放补助资金180万元", "该项目发放补助资金180万元")
    assert _found(text, checks.check_execution_low, "execution_low_unexplained") == []


def test_a_low_share_with_its_reason_is_not_flagged() -> None:
    text = PAID.replace("宣传还需加强。", "由于部分农户未完工,资金尚未拨付完毕。")
    assert _found(text, checks.check_execution_low, "execution_low_unexplained") == []


# ---- a sentence that the spending kept to the budget against a low rate ------------------------

SHEET = (
    TITLE + "资金投入情况(万元) | 全年预算数(A) | 全年执行数(B) | 预算执行率(B/A×100%)\n"
    "年度资金总额: | 500 | 300 | 60% |\n"
    "执行准确性 | 不存在执行数偏离预算数较多的问题 | |\n"
)


def test_a_denied_deviation_against_a_low_rate_is_flagged() -> None:
    found = _found(SHEET, checks.check_execution_claim, "execution_claim_contradicted")
    assert len(found) == 1 and "60%" in found[0].message and found[0].location.line == 4
    assert found[0].severity == "warning"


def test_a_denied_deviation_against_a_rate_near_the_budget_is_not() -> None:
    # 86 % of the budget spent: a reader may call that close to it
    text = SHEET.replace("| 300 | 60% |", "| 430 | 86% |")
    assert _found(text, checks.check_execution_claim, "execution_claim_contradicted") == []


def test_an_aim_of_a_high_rate_or_an_empty_rate_cell_is_not_a_claim() -> None:
    aim = SHEET.replace("不存在执行数偏离预算数较多的问题", "下一步确保预算执行率较高")
    assert _found(aim, checks.check_execution_claim, "execution_claim_contradicted") == []
    nought = SHEET.replace("| 300 | 60% |", "| 0 | 0% |")
    assert _found(nought, checks.check_execution_claim, "execution_claim_contradicted") == []


def test_a_claimed_high_rate_against_the_whole_spending_is_flagged() -> None:
    text = PAID.replace("宣传还需加强。", "项目预算执行率较高,资金管理规范。")
    found = _found(text, checks.check_execution_claim, "execution_claim_contradicted")
    assert len(found) == 1 and "180÷300" in found[0].message


# ---- the year's funds laid out use by use, not adding to the funds -----------------------------

ARRANGED = (
    TITLE + "一、项目基本情况\n2024年,市下达我县示例专项资金80.5万元。\n"
    "二、资金安排\n2024年我县示例资金安排是:支持场地建设20万元,支持人员培训10.5万元,"
    "支持器材更新30万元,支持赛事活动15万元。\n"
)


def test_uses_that_fall_short_of_the_funds_are_flagged() -> None:
    found = _found(ARRANGED, checks.check_arranged_funds, "sum_mismatch")
    assert len(found) == 1 and found[0].severity == "warning" and found[0].location.line == 5
    assert "75.50" in found[0].message and "80.50" in found[0].message


def test_uses_that_add_up_or_a_list_of_some_uses_are_not() -> None:
    whole = ARRANGED.replace("赛事活动15万元", "赛事活动20万元")
    assert _found(whole, checks.check_arranged_funds, "sum_mismatch") == []
    # 主要 and 等 say the list gives only some uses
    some = ARRANGED.replace("资金安排是:", "资金安排是:主要").replace("15万元。", "15万元等。")
    assert _found(some, checks.check_arranged_funds, "sum_mismatch") == []
    # two uses are a pair, not a layout of the year's funds
    pair = ARRANGED.replace(",支持器材更新30万元,支持赛事活动15万元", "")
    assert _found(pair, checks.check_arranged_funds, "sum_mismatch") == []
    # another year's arrangement is not this year's funds
    other = ARRANGED.replace("2024年我县示例资金安排是", "2023年我县示例资金安排是")
    assert _found(other, checks.check_arranged_funds, "sum_mismatch") == []


def test_whole_amounts_are_given_their_rounding_when_the_list_has_no_finer_figure() -> None:
    # all uses in whole 万元: each may be half a 万 off, so 4 uses short by 1.5 are not judged
    text = ARRANGED.replace("10.5万元", "10万元").replace("80.5万元", "76.5万元")
    assert _found(text, checks.check_arranged_funds, "sum_mismatch") == []


# ---- a funds block whose one filled source differs from its total ------------------------------

BLOCK = (
    TITLE + "资金投入情况(万元) | 全年预算数(A) | 全年执行数(B) | 预算执行率\n"
    "年度资金总额: | 400 | 360.48 | 90.12% |\n"
    "其中:中央财政资金 | 400 | 360.4 | 90.1% |\n"
    "地方财政资金 | | | |\n"
    "其他资金 | | |\n"
    "资金管理情况 | 情况说明 |\n"
)


def test_the_one_filled_source_against_its_total_is_flagged() -> None:
    found = _found(BLOCK, checks.check_sole_source, "figure_inconsistent")
    assert len(found) == 1 and found[0].location.line == 4 and found[0].severity == "warning"
    assert "360.48" in found[0].message and "360.4" in found[0].message


def test_a_source_equal_to_its_total_or_one_of_several_filled_is_not() -> None:
    same = BLOCK.replace("360.4 | 90.1%", "360.48 | 90.12%")
    assert _found(same, checks.check_sole_source, "figure_inconsistent") == []
    # a second source filled in: the 其中 row is one part of the total
    two = BLOCK.replace("地方财政资金 | | | |", "地方财政资金 | 0 | 0.08 | |")
    assert _found(two, checks.check_sole_source, "figure_inconsistent") == []
    # within the rounding of both figures (360.4 may be 360.44)
    near = BLOCK.replace("360.48 | 90.12%", "360.44 | 90.11%")
    assert _found(near, checks.check_sole_source, "figure_inconsistent") == []
    # no source rows after it: nothing shows the 其中 row is the only one
    cut = BLOCK.replace("地方财政资金 | | | |\n其他资金 | | |\n", "")
    assert _found(cut, checks.check_sole_source, "figure_inconsistent") == []


def test_a_sentence_stating_the_deviation_is_no_claim_of_keeping_to_the_budget() -> None:
    for words in ("因项目未完工导致执行偏离预算", "受疫情影响无法避免偏离预算"):
        text = SHEET.replace("不存在执行数偏离预算数较多的问题", words)
        assert _found(text, checks.check_execution_claim, "execution_claim_contradicted") == []


def test_another_funds_arrangement_beside_the_reports_total_is_not_judged() -> None:
    # the full-year figure is the department's; the arrangement is one fund's
    text = ARRANGED.replace("2024年我县示例资金安排是", "2024年乡村振兴奖补资金安排是")
    assert _found(text, checks.check_arranged_funds, "sum_mismatch") == []
