"""The checks real reports need (issue 13 §3), on the seed with one planted slip and on wordings
shaped like published reports: each check finds its slip and stays quiet when the figures agree
or the wording cannot be read with certainty."""

from __future__ import annotations

import pytest

from jixiao.audit import audit_text
from jixiao.audit.checks import _same_unit, cn_int

SEED_WARNINGS = ["over_completion", "execution_100_unadjusted"]


def findings(text: str, severity: str | None = None) -> list[tuple[str, str]]:
    return [
        (f.code, f.severity)
        for f in audit_text(text).findings
        if f.severity != "info" and severity in (None, f.severity)
    ]


def new_codes(text: str) -> list[str]:
    """Error and warning codes besides the seed's own two warnings."""
    return [c for c, _ in findings(text) if c not in SEED_WARNINGS]


def plant(seed: str, old: str, new: str) -> str:
    assert old in seed, old
    return seed.replace(old, new, 1)


def test_seed_keeps_zero_errors_and_its_two_warnings(audit_seed_text: str) -> None:
    report = audit_text(audit_seed_text)
    assert report.errors == []
    assert sorted(f.code for f in report.warnings) == sorted(SEED_WARNINGS)


def test_cn_int() -> None:
    assert [cn_int(t) for t in ("一", "十", "十二", "二十一", "两", "12")] == [1, 10, 12, 21, 2, 12]
    assert cn_int("第") is None and cn_int("一百") is None


# ---------------------------------------------------------------- rate vs a target stated after


def test_rate_with_its_target_after_it() -> None:
    wrong = "全年完成培训1200人次，完成率125%（年度目标值1000人次）。"
    [finding] = [f for f in audit_text(wrong).findings if f.code == "percentage_mismatch"]
    assert finding.severity == "error"
    assert "1200÷1000＝120%" in finding.message and "125%" in finding.quote
    assert "percentage_mismatch" not in new_codes(wrong.replace("125%", "120%"))
    # another unit after the rate is not this target's value
    assert "percentage_mismatch" not in new_codes(wrong.replace("1000人次", "1000个"))


def test_rate_after_target_rounding_interval(audit_seed_text: str) -> None:
    right = "完成全年任务数的 126.59%（年度目标4400人次）"
    text = plant(audit_seed_text, "完成全年任务数的 126.59%", right)
    assert new_codes(text) == []
    text = plant(audit_seed_text, "完成全年任务数的 126.59%", right.replace("126.59", "126.60"))
    assert "percentage_mismatch" in new_codes(text)


# ---------------------------------------------------------------- dates of another year


def test_figure_as_of_the_previous_year_end(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "截至 2025 年底", "截至 2024 年底")
    report = audit_text(text)
    [finding] = [f for f in report.findings if f.code == "date_other_year"]
    assert finding.severity == "warning" and finding.location.line == 21
    assert "截至2024年底" in finding.quote
    assert report.errors == []


@pytest.mark.parametrize(
    "sentence",
    [
        "截至2024年底我中心编制7人，截至2025年底编制8人。",  # both years: a comparison
        "实有人数比截至2024年底增加2人。",
        "截至2023年12月31日，累计完成投资5亿元，较上年增长10%。",
    ],
)
def test_earlier_as_of_dates_in_comparisons_are_fine(sentence: str) -> None:
    text = f"评价年度：2025年\n\n{sentence}\n"
    assert "date_other_year" not in new_codes(text)


def test_report_naming_two_evaluated_years(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "现将 2025 年度", "现将 2024 年度")
    assert ("year_mismatch", "error") in findings(text)
    title = "湛江市职业技能鉴定指导中心2024年度部门整体支出绩效自评报告"
    text = plant(audit_seed_text, "部门整体支出绩效自评报告", title)
    assert ("year_mismatch", "error") in findings(text)
    assert (
        new_codes(plant(audit_seed_text, "部门整体支出绩效自评报告", title.replace("24", "25")))
        == []
    )


@pytest.mark.parametrize("blank", ["", "    年   月   日", "2026年  月  日", "______"])
def test_blank_filing_date(audit_seed_text: str, blank: str) -> None:
    text = plant(audit_seed_text, "填报日期：2026 年 5 月 21 日", f"填报日期：{blank}")
    assert new_codes(text) == ["filled_on_blank"]
    assert ("filled_on_blank", "error") in findings(text)


def test_no_filing_date_label_is_not_a_blank_date() -> None:
    assert "filled_on_blank" not in new_codes("部门整体支出绩效自评报告\n\n评价年度：2025年\n")


def test_notice_title_of_another_cycle(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "开展 2026 年市级", "开展 2023 年市级")
    assert new_codes(text) == ["notice_year_mismatch"]
    # a notice titled by the evaluated year (开展2025年度…自评) is this cycle's
    text = plant(audit_seed_text, "开展 2026 年市级", "开展 2025 年度市级")
    assert new_codes(text) == []
    # a management measure of 2019 cited beside it is no self-evaluation notice (the seed has one)


# ---------------------------------------------------------------- numbering and counts


def test_heading_skip_is_reported_once(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "(三) 自评材料报送时间及质量", "(四) 自评材料报送时间及质量")
    report = audit_text(text)
    [finding] = [f for f in report.findings if f.code == "numbering_broken"]
    assert finding.severity == "warning" and "跳号" in finding.message
    assert report.errors == []


def test_list_repeat(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "3. 信息化监管", "2. 信息化监管")
    assert new_codes(text) == ["numbering_broken"]


def test_inline_enumeration() -> None:
    text = "主要做法：一是加强领导；二是完善制度；四是强化监督。"
    assert "numbering_broken" in new_codes(text)
    assert "numbering_broken" not in new_codes(text.replace("四是", "三是"))


def test_lists_restarting_under_each_parent_are_fine() -> None:
    text = (
        "一、基本情况\n(一)概况\n1.机构\n2.人员\n(二)职能\n1.主要职能\n2.其他\n"
        "二、自评工作开展情况\n(一)组织\n(二)过程\n"
    )
    assert "numbering_broken" not in new_codes(text)


def test_stated_count_against_items(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "（四）存在问题\n", "（四）存在问题\n\n主要有以下两个方面：\n")
    [finding] = [f for f in audit_text(text).findings if f.code == "count_mismatch"]
    assert finding.severity == "warning" and "3 项" in finding.message
    text = plant(audit_seed_text, "（四）存在问题\n", "（四）存在问题\n\n主要有以下三个方面：\n")
    assert new_codes(text) == []


def test_stated_count_inline_and_named_parts() -> None:
    assert "count_mismatch" in new_codes("存在以下三个方面问题：一是制度不全；二是监管不够。")
    assert "count_mismatch" not in new_codes("存在以下两个方面问题：一是制度不全；二是监管不够。")
    named = "本单位下设3个科室，分别是办公室、业务科。"
    assert "count_mismatch" in new_codes(named)
    assert "count_mismatch" not in new_codes(named.replace("业务科", "业务科、财务科"))
    # 等 makes the list open; figures inside make it no list of names
    assert "count_mismatch" not in new_codes("共5个项目，包括培训项目、鉴定项目等。")


# ---------------------------------------------------------------- sums and changes


def test_parts_against_their_total() -> None:
    text = "2025年支出合计120.5万元，其中：基本支出100.25万元，项目支出30.25万元。"
    [finding] = [f for f in audit_text(text).findings if f.code == "sum_mismatch"]
    assert finding.severity == "error" and "130.5" in finding.message
    assert "sum_mismatch" not in new_codes(text.replace("30.25", "20.25"))


def test_staff_and_public_and_project_spending() -> None:
    text = "本年总支出100万元，其中人员支出60万元、公用支出10万元、项目支出20万元。"
    assert "sum_mismatch" in new_codes(text)
    assert "sum_mismatch" not in new_codes(text.replace("项目支出20", "项目支出30"))
    # nested: 基本支出 with its own 其中 in brackets
    nested = (
        "支出合计100万元，其中基本支出70万元(其中人员经费60万元，公用经费10万元)，项目支出30万元。"
    )
    assert new_codes(nested) == [c for c in new_codes(nested) if c != "sum_mismatch"]


def test_partial_lists_and_rounding_are_not_errors() -> None:
    # 其中 naming only some income: less than the total is fine
    assert "sum_mismatch" not in new_codes("本年收入合计500万元，其中财政拨款收入450万元。")
    assert "sum_mismatch" not in new_codes(
        "本年收入合计500万元，其中财政拨款收入400万元，其他收入50万元。"
    )
    # figures in 元 and 万元, rounded: 33.33 + 66.67 = 100.00; 1,234,500元 = 123.45万元
    assert "sum_mismatch" not in new_codes(
        "支出合计100万元，其中基本支出33.33万元，项目支出66.67万元。"
    )
    assert "sum_mismatch" not in new_codes(
        "支出合计123.45万元，其中基本支出1,000,000元，项目支出234,500元。"
    )
    # more parts than the total in income: an error
    assert "sum_mismatch" in new_codes(
        "本年收入合计500万元，其中财政拨款收入450万元，其他收入80万元。"
    )


def test_year_on_year_change() -> None:
    text = "2025年支出110万元，比上年增加10万元，增长12%。"
    [finding] = [f for f in audit_text(text).findings if f.code == "change_mismatch"]
    assert finding.severity == "error" and "10÷100＝10.00%" in finding.message
    assert "change_mismatch" not in new_codes(text.replace("12%", "10%"))
    assert "change_mismatch" not in new_codes("2025年支出110万元，比上年减少10万元，下降8.33%。")
    assert "change_mismatch" in new_codes("2025年支出110万元，比上年减少10万元，下降10%。")
    # last year's figure stated: the difference itself is checked
    assert "change_mismatch" in new_codes("支出110万元，比上年的100万元增加12万元。")
    assert "change_mismatch" not in new_codes("支出110万元，比上年的100万元增加10万元。")
    # a rate alone (no amount) cannot be checked
    assert "change_mismatch" not in new_codes("支出110万元，比上年增长15%。")


def test_adjusted_budget_change_against_the_budgets(audit_rendered: dict[str, bytes]) -> None:
    rendered_text = audit_rendered["txt"].decode("utf-8")
    assert new_codes(rendered_text) == []
    text = rendered_text.replace("较年初预算增加5.17万元", "较年初预算增加6.17万元")
    assert new_codes(text) == ["change_mismatch"]


# ---------------------------------------------------------------- template leftovers


def test_another_units_name(audit_seed_text: str) -> None:
    text = plant(
        audit_seed_text,
        "现将 2025 年度湛江市职业技能鉴定指导中心",
        "现将 2025 年度茂名市就业服务中心",
    )
    assert new_codes(text) == ["other_unit_name"]
    # an abbreviation of the own name is the same unit
    assert _same_unit("湛江市人社局", "湛江市人力资源和社会保障局")
    assert not _same_unit("茂名市就业服务中心", "湛江市职业技能鉴定指导中心")


def test_another_unit_types_words() -> None:
    town = "评价单位:某县某镇人民政府\n\n我镇2025年度预算执行良好。我街道社区服务中心运行正常。\n"
    assert "other_unit_type_wording" in new_codes(town)
    street = "评价单位:某区某街道办事处\n\n我街道辖区共有5个社区。全镇共完成培训300人次。\n"
    assert "other_unit_type_wording" in new_codes(street)
    # 社区 in a township, 健全乡村治理 in a street office: no self-reference of another type
    assert "other_unit_type_wording" not in new_codes(
        "评价单位:某县某镇人民政府\n\n我镇下辖3个社区，健全乡村治理体系。\n"
    )
    assert "other_unit_type_wording" not in new_codes(
        "评价单位:某区某街道办事处\n\n我街道健全乡村治理，本街道共有5个社区。\n"
    )


@pytest.mark.parametrize(
    ("placeholder", "severity"),
    [("湛财评[20XX]26号", "error"), ("湛财评[20xx]26号", "error"), ("【请填写文号】", "error")],
)
def test_placeholders(audit_seed_text: str, placeholder: str, severity: str) -> None:
    text = plant(audit_seed_text, "湛财评[2019]26号", placeholder)
    assert ("placeholder_text", severity) in findings(text)


def test_likely_placeholders_are_warnings(audit_seed_text: str) -> None:
    text = plant(audit_seed_text, "湛江市人力资源和社会保障局管理", "XX市XX局管理")
    assert [f for f in findings(text) if f[0] == "placeholder_text"] == [
        ("placeholder_text", "warning")
    ]
    # Latin words and a single × are not placeholders
    assert "placeholder_text" not in new_codes("采用XXL-Job调度，面积20×30米，指标ABCXX1。")


# ---------------------------------------------------------------- required parts with figures


def test_targets_part_removed(audit_seed_text: str) -> None:
    start = audit_seed_text.index("（三）部门整体支出绩效目标")
    end = audit_seed_text.index("（四）部门整体支出情况")
    text = audit_seed_text[:start] + audit_seed_text[end:].replace("（四）", "（三）", 1)
    report = audit_text(text)
    assert [f.code for f in report.errors] == ["section_missing"]
    assert "绩效目标" in report.errors[0].message


def test_short_texts_are_not_judged_for_parts() -> None:
    text = (
        "部门整体支出绩效自评报告\n一、基本情况\n二、自评工作开展情况\n三、绩效自评情况\n四、其他\n"
    )
    assert "section_missing" not in new_codes(text)


# ---------------------------------------------------------------- the real corpus

NEW_CODES = frozenset(
    {
        "date_other_year",
        "year_mismatch",
        "filled_on_blank",
        "numbering_broken",
        "count_mismatch",
        "sum_mismatch",
        "change_mismatch",
        "placeholder_text",
        "other_unit_name",
        "other_unit_type_wording",
        "filled_before_year_end",
        "as_of_before_year_end",
        "year_missing",
        "title_missing",
        "filled_on_incomplete",
        "execution_missing",
        "heading_repeated",
        "numbering_shifted",
        "actual_missing",
        "indicator_category_mismatch",
        "score_formula_mismatch",
        "execution_low_unexplained",
        "figure_inconsistent",
        "amount_unit_suspect",
        "date_year_lost",
        "indicator_score_mismatch",
        # checks13: the annotated defects that had no check
        "template_heading_left",
        "sum_rounding_tail",
        "staff_scope_mixed",
        "indicator_level_mismatch",
        "section_empty",
        "notice_number_suspect",
        "evaluation_mode_conflict",
        "unit_name_suspect",
        "table_cell_missing",
        "execution_claim_contradicted",
    }
)


# Annotated defects of these kinds the checks do not find yet (report, code); nothing may be added
# without its reason.
KNOWN_MISSED: set[tuple[str, str]] = {
    # seventh held-out set (held13g): 普陀's two sheets flattened from a pdf into one line each,
    # cells out of the form's order (250000.00 250000.00 215,457.6 10 8.62 … 86.19%): no funds
    # row can be placed, so no rate (86.19 %, 45.17 %) is read to find low
    ("sh-putuo-tiyu-2022-xm", "execution_low_unexplained"),
    # held13g: 朝天's 57.89 % with its 存在问题和改进措施 cells empty — but the stored opening is
    # cut inside the indicator grid, whose 未完成原因和改进措施 column may give the reason further
    # down; the reason words of a column's label count as a reason (a cut copy cannot say more)
    ("sc-chaotian-jianshen-2023-xm", "execution_low_unexplained"),
    # eighth held-out set (held13h): 承德's 财政资金3267.28万元。其中 by grade (优…3038.38万元;
    # 良…201.9万元, …) adding to 3465.35 — the 其中 opens a new sentence, each part carrying a
    # count of projects before its amount; a part's list of that shape is not checked yet
    ("he-chengde-nyncj-2023-xm", "sum_mismatch"),
    # held out (heldout13): 87.06 of 239万元 spent, no reason — but the report says it only as
    # "按生均1000元安排,共计239万元" and "财政安排支出共计87.06万元", and 安排支出 may as well be
    # spending planned: neither figure is read, so no rate is there to judge
    ("hn-leiyang-4zhong-2022-xm", "execution_low_unexplained"),
    # held out, second batch: 2263万元,其中 seven funds adding to 2253 — a 其中 of named funds
    # may list only some, so parts short of the total are an error only for a complete set
    # (基本+项目, 人员+公用); by design not reported
    ("nm-hohhot-heshui-2023-xm", "sum_mismatch"),
    # read13r: a 自评表 row met yet marked down (or missed yet given full marks) is found only on a
    # sheet whose rows are read; 古城's (traditional characters) and 永德's (two-row header) are
    # read since sheet13, these two are not: 银川六中's and 科学城融媒体中心's are OCR'd with their
    # cells run together (64.864.864.8100%, 22 for 分值 2 | 得分 2), which no cell can be placed in
    ("nx-yinchuan-6zhong-2021-xm", "indicator_score_mismatch"),
    ("cq-kxc-rongmeiti-2021", "indicator_score_mismatch"),
    # held13d's set (heldout_batch 5), first run: 稷山's xlsx sheet comes as one line with its
    # labels first and its figures after (65.66 65.07 10 99% 9 … 95% 95% 30 27), so no row is read
    ("sx-jishan-ybj-2020-xm", "indicator_score_mismatch"),
    ("sx-jishan-ybj-2020-xm", "score_formula_mismatch"),
    # held13e's set (heldout_batch 6), first run (19:20 UTC, main 0ae9345), registered as it was:
    # 宣州's traditional copy (no title stored) counts its houses 截止2023年11月30日 (its 141.8 of
    # 246.2万元 paid with no rate, 长安区's summary rows of budget / 执行数 / 结余, 1.976 of 86.031,
    # and 眉山's 其中 of three levels adding to more than its total were registered too; all are
    # found since: the read budget and the balance rows in check_execution_low, check_source_sums)
    ("ah-xuanzhou-weifang-2023-xm", "as_of_before_year_end"),
    # (held13f's set, first run: 鄂州科协's traditional 自评表 giving 19 for 20 × 99.97 % was
    # registered here; found since: the formula sheet's source text is folded as the reader's)
}


def test_real_reports_no_false_finding_and_every_annotated_slip_found() -> None:
    """On the published reports of jixiao/audit/corpus/real: each defect annotated with one of
    these checks' codes is found, and none of them reports anything (error or warning) on a
    report the annotation gives no such defect."""
    from jixiao.audit.corpus.real import load_real_corpus

    cases = load_real_corpus()
    assert len(cases) >= 40
    missed: list[tuple[str, str]] = []
    false: list[tuple[str, str]] = []
    found = 0
    for case in cases:
        codes = {f.code for f in audit_text(case.text).findings}
        expected = case.defect_codes & NEW_CODES
        missed.extend((case.name, c) for c in expected - codes)
        found += len(expected & codes)
        false.extend((case.name, c) for c in (codes & NEW_CODES) - expected - case.not_judged)
    assert set(missed) <= KNOWN_MISSED and false == []
    # checks13b, 170 reports (青神's blank 完成值 cells, read from its 自评表, among them)
    assert found >= 79


def test_this_and_last_years_figures_stated() -> None:
    text = (
        "本年度收入合计3258909.77元,上年度收入合计3736198.37元,收入减少477288.6元,"
        "同比下降12.770%;本年度支出合计3258909.77元,上年度支出合计3785198.37元,"
        "支出减少526288.6元,同比下降13.90%。"
    )
    [finding] = [f for f in audit_text(text).findings if f.code == "change_mismatch"]
    assert "12.7747%" in finding.message
    assert "change_mismatch" not in new_codes(text.replace("12.770%", "12.77%"))


def test_inline_digit_items_and_checkbox_rows() -> None:
    text = "主要工作：1.完成考核。2.做好维护。3.收集信息。4.完成考评。4.处理案件。5.其他。"
    assert "numbering_broken" in new_codes(text)
    assert "numbering_broken" not in new_codes(
        text.replace("4.处理", "5.处理").replace("5.其他", "6.其他")
    )
    # decimals are no items; a form's checkbox rows (1、持续性项目 ☑ 2、新增性项目 □) no headings
    assert "numbering_broken" not in new_codes("支出2.5万元。3.5万元用于培训。")
    assert "numbering_broken" not in new_codes(
        "项目类型\n1、部门预算项目 □ 2、县直专项 ☑\n项目属性\n1、持续性项目 ☑ 2、新增性项目 □\n"
    )


def test_a_later_title_of_another_year() -> None:
    text = (
        "德钦县图书馆2022年度部门整体支出绩效自评报告\n\n项目名称:整体支出\n\n附件7 ……\n\n"
        "德钦县图书馆2023年度部门整体支出绩效自评报告\n\n摘要\n"
    )
    assert ("year_mismatch", "error") in findings(text)
    assert "year_mismatch" not in new_codes(text.replace("2023年度", "2022年度"))


def test_template_stars() -> None:
    assert "placeholder_text" in new_codes("数量指标 公猪舍(≥**平方米) 22.8")


def test_blank_signature_date_line(audit_seed_text: str) -> None:
    text = audit_seed_text + "\n湛江市职业技能鉴定指导中心\n\n年  月  日\n"
    assert new_codes(text) == ["filled_on_blank"]
    # a date written in full, or 年月日 inside a sentence, is no blank line
    assert new_codes(audit_seed_text + "\n2026年5月21日\n") == []
    assert "filled_on_blank" not in new_codes("填表说明：日期按年 月 日填写。")


def test_report_dated_inside_the_year() -> None:
    text = "岳阳县2021年度部门整体支出绩效评价自评报告\n\n报告日期:2021年12月31日\n"
    assert ("filled_before_year_end", "error") in findings(text)
    assert "filled_before_year_end" not in new_codes(text.replace("2021年12月31日", "2022年3月1日"))


def test_heading_that_lost_its_opening_bracket() -> None:
    text = "一、概况\n(一)职能\n(二)人员\n三) 当年部门整体支出绩效\n"
    assert "numbering_broken" in new_codes(text)
    assert "numbering_broken" not in new_codes(text.replace("三)", "(三)"))


def test_as_of_written_with_zhi() -> None:
    text = "评价年度：2025年\n\n截止2024年底，我单位编制7人。\n"
    assert "date_other_year" in new_codes(text)


def test_funds_table_part_above_its_total() -> None:
    header = "项目资金(万元)\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
    right = (
        header + "年度资金总额\t90\t90\t89.97\t10\t99.97%\t10\n其中：本年财政拨款\t90\t90\t89.97\n"
    )
    assert "sum_mismatch" not in new_codes(right)
    wrong = right.replace("其中：本年财政拨款\t90\t90", "其中：本年财政拨款\t90\t95")
    assert ("sum_mismatch", "error") in findings(wrong)
    # a sheet flattened to one line, the total row left at zero
    flat = "年初预算数 全年预算数 全年执行数 分值 执行率 得分 年度资金总额: 0 0 0 10 0 0 其中:本年财政拨款 90 89.974 89.974 上年结转资金"
    assert ("sum_mismatch", "error") in findings(flat)


def test_projects_total_against_initial_and_added() -> None:
    text = "实施项目共15个(含上年项目5个),年初批复预算8个项目985万元,年中增加8个项目。"
    assert "count_mismatch" in new_codes(text)
    assert "count_mismatch" not in new_codes(text.replace("共15个", "共16个"))
    assert "count_mismatch" not in new_codes(text.replace("。", ",年中取消1个项目。"))


def test_one_marker_twice_in_a_flattened_line() -> None:
    text = "一、基本情况(一)部门(单位)基本情况(一)基本情况。1.主要职能:依法履职。"
    assert "numbering_broken" in new_codes(text)
    assert "numbering_broken" not in new_codes(text.replace("(一)基本情况。", "(二)基本情况。"))
    # another marker between two (一) of different parents: no repeat
    assert "numbering_broken" not in new_codes("(一)甲(二)乙二、丙(一)丁")


def test_form_instructions_left_as_answers() -> None:
    text = "评价结论\n结合自评情况,说明项目自评总分,说明项目实施取得的成效或成果。(200字以内)\n"
    assert ("placeholder_text", "error") in findings(text)
    assert "placeholder_text" not in new_codes("评价结论\n项目自评得分95分，成效明显。\n")


def test_a_list_going_on_past_its_labelled_parts() -> None:
    # 其他支出 is no label: the labelled run 基本+项目 is not the whole list, a shortfall is no error
    text = "支出合计100万元，其中：基本支出70万元，项目支出20万元，其他支出10万元。"
    assert "sum_mismatch" not in new_codes(text)
    assert "sum_mismatch" in new_codes(text.replace("项目支出20", "项目支出40"))


def test_percent_indicator_with_its_own_stated_rate() -> None:
    text = "服务对象满意度达到98%，目标值≥90%，完成率108.89%。"
    assert "percentage_mismatch" not in new_codes(text)
    assert ("percentage_mismatch", "error") in findings(text.replace("108.89%", "110%"))


# wordings of published 部门决算 explanations (收入支出决算情况说明), whose figures agree
FINAL_ACCOUNTS = (
    "2022年本年收入合计4125.49万元,其中:一般公共预算财政拨款收入3859.16万元,占93.54%;"
    "政府性基金预算财政拨款收入0万元,占0%;上级补助收入0万元,占0%;事业收入0万元,占0%;"
    "其他收入266.33万元,占6.46%。\n"
    "2022年本年支出合计4143.91万元,其中:基本支出1140.27万元,占27.52%;项目支出3003.64万元,"
    "占72.48%;上缴上级支出0万元,占0%;经营支出0万元,占0%。\n"
    "其中:税收收入8103万元,比上年增收1284万元,增长18.8%;非税收入16524万元,比上年减收2354万元,"
    "下降12.5%。\n"
    "本单位2023年度总支出125.08万元,其中本年支出116.12万元,较2022年度决算数增加19.68万元,"
    "增长20.41%。\n"
)


def test_final_accounts_wordings_agree_and_their_slips_are_found() -> None:
    assert [c for c in new_codes(FINAL_ACCOUNTS) if c != "not_a_report"] == []
    assert "sum_mismatch" in new_codes(FINAL_ACCOUNTS.replace("3003.64", "3013.64"))
    assert "sum_mismatch" in new_codes(FINAL_ACCOUNTS.replace("266.33", "286.33"))
    assert "change_mismatch" in new_codes(FINAL_ACCOUNTS.replace("增长18.8%", "增长28.8%"))
    assert "change_mismatch" in new_codes(FINAL_ACCOUNTS.replace("增长20.41%", "增长25.41%"))


def test_links_to_other_years_reports_are_no_titles() -> None:
    text = (
        "某中心2024年度部门整体支出绩效自评报告\n\n评价年度：2024年\n\n正文。\n\n"
        "上一篇：某中心2023年度部门整体支出绩效自评报告\n\n相关文章 某中心2022年度部门整体支出绩效自评报告\n"
    )
    assert "year_mismatch" not in new_codes(text)


def test_spending_as_of_a_day_inside_the_year() -> None:
    text = "评价年度：2022年\n\n项目资金共2179万元,截止2022年12月8日,已完成拨付2113.63万元,执行率97%。\n"
    assert ("as_of_before_year_end", "warning") in findings(text)
    # the year's end, or a milestone that is no spending figure, is fine
    assert "as_of_before_year_end" not in new_codes(text.replace("12月8日", "12月31日"))
    assert "as_of_before_year_end" not in new_codes(
        "评价年度：2022年\n\n截至2022年6月底,已完成培训3期,完成率50%。\n"
    )


def test_goal_answered_with_money_only() -> None:
    """海口's shape: the year's goal is a share of the works, its 完成情况 gives only the money
    paid. Near misses: the answer also gives the works figure; the goal is itself money."""
    text = (
        "某某道路项目绩效自评报告\n"
        "一、项目概况\n"
        "2022年项目预算经费为3483万元,2022年支付3483万元。\n"
        "总体目标:完成项目改造建设总量50%。\n"
        "当年年度目标完成情况:2022年预算价为3483万元,2022年完成支付3483万元。\n"
    )
    [finding] = [f for f in audit_text(text).findings if f.code == "actual_missing"]
    assert finding.severity == "warning"
    assert "完成项目改造建设总量50%" in finding.message
    answered = text.replace("完成支付3483万元。", "完成支付3483万元,完成改造建设总量52%。")
    assert "actual_missing" not in new_codes(answered)
    money_goal = text.replace("完成项目改造建设总量50%", "保障项目资金按时足额支付")
    assert "actual_missing" not in new_codes(money_goal)
