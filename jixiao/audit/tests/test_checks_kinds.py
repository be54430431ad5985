"""Checks for the kinds of defect published reports showed that had no check (issue 13 §3, second
round): each finds its slip in a wording shaped like a real report, and stays quiet on the near
miss that is right."""

from __future__ import annotations

import pytest

from jixiao.audit import audit_text
from jixiao.audit.checks import _FILLED_NO_DAY

SEED_WARNINGS = ["over_completion", "execution_100_unadjusted"]


def found(text: str, code: str) -> list[tuple[str, str, str]]:
    """(severity, message, quote) of each finding with this code."""
    return [(f.severity, f.message, f.quote) for f in audit_text(text).findings if f.code == code]


def plant(seed: str, old: str, new: str) -> str:
    assert old in seed, old
    return seed.replace(old, new, 1)


def test_the_seed_gives_none_of_these(audit_seed_text: str) -> None:
    report = audit_text(audit_seed_text)
    assert report.errors == []
    assert sorted(f.code for f in report.warnings) == sorted(SEED_WARNINGS)


# ---------------------------------------------------------------- year and title

OPENING = (
    "泸西县民政局部门整体支出绩效自评报告\n"
    "一、部门基本情况\n"
    "(一)部门职能职责\n"
    "拟定全县民政事业发展规划,主要承担全县社会组织登记与管理,社会救助服务和管理等工作。\n"
    "(二)机构设置及人员情况\n"
    "截至2024年12月31日,县民政局在职人员编制31人,在职实有30人。\n"
    "二、绩效评价工作开展情况\n"
    "根据《泸西县县级预算绩效管理办法的通知》(泸财〔2023〕12号),我局开展了自评。\n"
)


def test_no_year_anywhere() -> None:
    [(severity, message, quote)] = found(OPENING, "year_missing")
    assert severity == "warning" and "评价年度" in message
    assert quote.endswith("部门整体支出绩效自评报告")


@pytest.mark.parametrize(
    "year_given",
    [
        ("泸西县民政局部门", "泸西县民政局2024年度部门"),  # in the title
        ("我局开展了自评。", "我局开展了2024年度自评。"),  # in the text
        ("拟定全县", "2024年,拟定全县"),  # as a sentence's opening
        ("截至2024年12月31日,", "2024年部门决算收支完成情况:"),  # beside the year's figures
    ],
)
def test_a_year_stated_anywhere_is_enough(year_given: tuple[str, str]) -> None:
    text = OPENING.replace(*year_given)
    assert found(text, "year_missing") == []


def test_no_title() -> None:
    text = "标题:\n" + OPENING.split("\n", 1)[1].replace("截至2024年12月31日", "2024年")
    [(severity, _, quote)] = found(text, "title_missing")
    assert severity == "warning" and quote == "一、部门基本情况"
    assert found(text, "year_missing") == []  # one finding for the one slip
    assert found(OPENING, "title_missing") == []


# ---------------------------------------------------------------- 填报日期 without a day


@pytest.mark.parametrize("written", ["202511", "2025年11月", "2025.11", "2025-11"])
def test_filing_date_without_a_day(written: str) -> None:
    text = f"评价年度:2024\n\n评价单位(公章):徐闻县前山镇人民政府\n\n填报日期:{written}\n"
    [(severity, message, _)] = found(text, "filled_on_incomplete")
    assert severity == "warning" and "2025 年 11 月" in message


@pytest.mark.parametrize("written", ["2025年11月3日", "20251103", "2025.11.3", "2025-11-03"])
def test_filing_date_with_its_day(written: str) -> None:
    text = f"评价年度:2024\n\n评价单位(公章):徐闻县前山镇人民政府\n\n填报日期:{written}\n"
    assert found(text, "filled_on_incomplete") == []
    # nor the pattern alone, were the date not read for another reason
    assert _FILLED_NO_DAY.search(f"填报日期:{written}") is None


# ---------------------------------------------------------------- no execution figure

PROJECT = (
    "海口市秀英区水务局2022年衔接资金项目绩效自评报告\n"
    "三、绩效目标自评完成情况分析\n"
    "(一)资金投入情况分析。\n"
    "1.项目资金到位情况分析\n"
    "海口市秀英区水务局2022年衔接资金105万元已全部到位。\n"
    "2.项目资金执行情况分析\n"
    "实施西秀镇龙头村蔬菜园产业项目,该专项资金已按合同规定完成对该项目进度的支付。\n"
    "3.项目资金管理情况分析\n"
    "该专项资金已拔入到秀英区水务局,严格管理,做到专款专用。\n"
)


def test_execution_part_without_a_figure() -> None:
    [(severity, message, quote)] = found(PROJECT, "execution_missing")
    assert severity == "warning" and "项目资金执行情况分析" in message
    assert quote.startswith("2.项目资金执行情况分析")


@pytest.mark.parametrize(
    "paid",
    [
        "该专项资金已支付105万元。",
        "该专项资金已按合同规定支付,执行率100%。",
    ],
)
def test_execution_part_with_its_figure(paid: str) -> None:
    text = PROJECT.replace(
        "实施西秀镇龙头村蔬菜园产业项目,该专项资金已按合同规定完成对该项目进度的支付。", paid
    )
    assert found(text, "execution_missing") == []


def test_execution_part_cut_off_is_not_judged() -> None:
    # the text ends inside the part (a published opening): nothing to judge
    text = PROJECT.split("3.项目资金管理情况分析")[0]
    assert found(text, "execution_missing") == []


# ---------------------------------------------------------------- repeated headings

BASICS = (
    "保山市图书馆2021年度部门整体支出绩效自评报告\n"
    "一、部门基本情况\n"
    "(一)部门绩效目标的设立情况\n"
    "主要职能机构情况:保山市图书馆是公益性文化事业单位。\n"
    "(二)部门绩效目标的设立情况\n"
    "2021年我单位最主要的目标是:全年图书馆免费开放天数≥360天。\n"
    "(三)部门整体收支情况\n"
    "本年度收入合计325.89万元。\n"
)


def test_sibling_headings_with_the_same_words() -> None:
    [(severity, message, quote)] = found(BASICS, "heading_repeated")
    assert severity == "warning" and "第 2 项“部门绩效目标的设立情况”" in message
    assert quote.startswith("(二)部门绩效目标的设立情况")
    assert (
        found(BASICS.replace("(一)部门绩效目标的设立情况", "(一)部门职能"), "heading_repeated")
        == []
    )


def test_same_words_under_other_parents_or_a_new_list() -> None:
    text = (
        "一、产出指标完成情况\n(一)数量指标完成情况\n完成培训300人次。\n"
        "二、效益指标完成情况\n(一)数量指标完成情况\n受益300人。\n"
    )
    assert found(text, "heading_repeated") == []
    # a second report on the same page starts its list again
    two = "一、部门概况\n正文。\n二、部门概况说明\n正文。\n一、部门概况\n正文。\n"
    assert found(two, "heading_repeated") == []


# ---------------------------------------------------------------- targets of an earlier year


def test_targets_of_the_previous_year() -> None:
    text = BASICS.replace("2021年我单位最主要的目标是", "2020年我单位最主要的目标是")
    [(severity, message, quote)] = found(text, "date_other_year")
    assert severity == "warning" and "2020 年的目标" in message
    assert "2020年我单位最主要的目标是" in quote
    assert found(BASICS, "date_other_year") == []
    # last year's targets named beside this year's: a comparison
    compared = text.replace("全年图书馆", "2021年目标在此基础上提高,全年图书馆")
    assert found(compared, "date_other_year") == []


# ---------------------------------------------------------------- target without its actual value

DONE = (
    "红河州第二人民医院国家基本公共卫生服务项目州级补助资金2023年度绩效自评报告\n"
    "(三)绩效指标完成情况分析。\n"
    "1.产出指标完成情况分析。\n"
    "开展工作督导:一个季度开展工作督导一次,共4次。\n"
    "2.满意度指标完成情况分析\n"
    "服务对象满意度:服务对象满意度≥80%。\n"
)


def test_satisfaction_reported_by_its_target_only() -> None:
    [(severity, message, quote)] = found(DONE, "actual_missing")
    assert severity == "warning" and "满意度≥80%" in message
    assert "服务对象满意度≥80%" in quote


@pytest.mark.parametrize(
    "clause",
    [
        "服务对象满意度:服务对象满意度达到92%(指标值≥80%)。",
        "服务对象满意度:目标值≥80%,实际完成95%。",
        "服务对象满意度:服务对象满意度≥80%,问卷调查结果为满意。",
    ],
)
def test_satisfaction_with_its_measured_value(clause: str) -> None:
    assert (
        found(DONE.replace("服务对象满意度:服务对象满意度≥80%。", clause), "actual_missing") == []
    )


def test_a_target_bound_where_targets_are_set_is_fine() -> None:
    planned = DONE.replace("(三)绩效指标完成情况分析。", "(三)绩效目标设定情况。").replace(
        "1.产出指标完成情况分析。", "1.产出指标。"
    )
    planned = planned.replace("2.满意度指标完成情况分析", "2.满意度指标")
    assert found(planned, "actual_missing") == []


# ---------------------------------------------------------------- indicator under the wrong category


def test_counts_under_cost_indicators() -> None:
    text = (
        "1.产出指标完成情况分析。\n(1)数量指标。\n开展工作督导:一个季度开展工作督导一次,共4次。\n"
        "(2)成本指标。\n开展技术指导:一个季度开展技术指导一次,共4次。\n"
        "2.效益指标完成情况分析。\n"
    )
    [(severity, message, quote)] = found(text, "indicator_category_mismatch")
    assert severity == "warning" and "开展技术指导" in message and "开展技术指导" in quote
    costed = text.replace(
        "开展技术指导:一个季度开展技术指导一次,共4次。", "人均指导成本:共4次,每次800元。"
    )
    assert found(costed, "indicator_category_mismatch") == []


def test_satisfaction_under_output_indicators() -> None:
    row = (
        "一级指标\t二级指标\t三级指标\t指标值\t完成值\n产出指标\t质量指标\t群众满意度\t≥90%\t95%\n"
    )
    [(severity, message, _)] = found(row, "indicator_category_mismatch")
    assert severity == "warning" and "群众满意度" in message and "质量指标" in message
    right = row.replace("产出指标\t质量指标", "满意度指标\t服务对象满意度指标")
    assert found(right, "indicator_category_mismatch") == []
    prose = "(1)数量指标。\n培训满意度:达到96%。\n(2)满意度指标。\n群众满意度:达到96%。\n"
    [(_, message, _)] = found(prose, "indicator_category_mismatch")
    assert "培训满意度" in message
    assert (
        found(
            prose.replace("培训满意度:达到96%", "培训人次:300人次"), "indicator_category_mismatch"
        )
        == []
    )


# ---------------------------------------------------------------- the opening numbered as a part

PREAMBLE = (
    "评价年度:2024\n评价单位(公章): 徐闻县地方公路局\n填报日期:2025年10月29日\n"
    "一、根据县财政局《关于做好 2024年度县级财政资金绩效自评工作的通知》(徐财绩[2025]5号)文件要求,"
    "我单位及时布置自评工作,成立自评工作小组,明确分工,落实责任,认真开展自评自查工作。"
    "现将2024年度徐闻县地方公路局整体支出绩效自评情况报告如下:\n"
    "二、单位基本情况\n(一)单位机构设置、部门职能情况。\n本单位为副科级事业单位。\n"
    "三、自评工作开展情况\n成立了评价小组。\n"
)


def test_opening_paragraph_numbered_as_the_first_part() -> None:
    [(severity, message, quote)] = found(PREAMBLE, "numbering_shifted")
    assert severity == "warning" and "“单位基本情况”成为第 二 部分" in message
    assert quote.startswith("一、根据县财政局")
    right = PREAMBLE.replace("一、根据", "根据").replace("二、单位", "一、单位")
    right = right.replace("三、自评", "二、自评")
    assert found(right, "numbering_shifted") == []


# ---------------------------------------------------------------- score off its stated formula

SHEET = (
    "预算执行情况(万元) (20分) | 预算数(A) | 执行数(B) | 执行率(B/A) | 得分 (20分*执行率) |\n"
    "年度财政资金总额 | 278.4449 | 30.00 | 10.77% | {score} |\n"
    "年度绩效目标 (80分) | 一级指标 | 二级指标 | 三级指标 | 年初目标值(A) | 实际完成值(B) | 得分 |\n"
    "偏差原因:项目资金于年末下达,尚未支付完毕。\n"
)


def test_score_one_rounding_off_its_formula_is_a_warning() -> None:
    [(severity, message, quote)] = found(SHEET.format(score="2.16"), "score_formula_mismatch")
    assert severity == "warning" and "四舍五入为 2.15 分" in message
    assert "278.4449 30.00 10.77% 2.16" in quote
    assert found(SHEET.format(score="2.15"), "score_formula_mismatch") == []


def test_score_far_off_or_above_its_weight_is_an_error() -> None:
    [(severity, message, _)] = found(SHEET.format(score="2.50"), "score_formula_mismatch")
    assert severity == "error" and "2.15" in message
    [(severity, message, _)] = found(SHEET.format(score="21"), "score_formula_mismatch")
    assert severity == "error" and "超过该项分值 20 分" in message


def test_cells_one_per_line_and_a_sheet_without_its_formula() -> None:
    cells = (
        "预算数(A)\n\n执行数(B)\n\n执行率(B/A)\n\n得分\n\n(20分*执行率)\n\n"
        "年度财政资金总额\n\n50\n\n10\n\n20\n\n{score}\n\n年度绩效目标\n"
    )
    assert found(cells.format(score="4"), "score_formula_mismatch") == []
    assert [s for s, _, _ in found(cells.format(score="6"), "score_formula_mismatch")] == ["error"]
    # no formula stated: the column may follow other rules (not judged here)
    plain = SHEET.replace("得分 (20分*执行率)", "得分").format(score="2.50")
    assert found(plain, "score_formula_mismatch") == []


# ---------------------------------------------------------------- low execution, no reason


def test_low_execution_without_a_reason() -> None:
    text = SHEET.format(score="2.15").replace("偏差原因:项目资金于年末下达,尚未支付完毕。\n", "")
    [(severity, message, _)] = found(text, "execution_low_unexplained")
    assert severity == "warning" and "10.77%" in message
    # the reason given (the seed sheet above has one), or a rate at 90% or more: nothing
    assert found(SHEET.format(score="2.15"), "execution_low_unexplained") == []
    prose = "年初预算100万元,全年执行数95万元,预算执行率95%。"
    assert found(prose, "execution_low_unexplained") == []
    assert found(
        prose.replace("95万元", "60万元").replace("95%", "60%"), "execution_low_unexplained"
    )


# ---------------------------------------------------------------- one figure stated two ways

ONE_PROJECT = (
    "部门预算总金额803.74万元其中:基本支出757.49万元,项目支出46.25万元。"
    "二是项目绩效自评情况。我单位共有1个项目批复了绩效目标,项目金额46.00万元。"
    "其中:河湖水系闸坝工程运行维修经费46.00万元。\n"
)


def test_the_one_projects_amount_against_project_spending() -> None:
    [(severity, message, quote)] = found(ONE_PROJECT, "figure_inconsistent")
    assert severity == "warning" and "46.25" in message and "46.00" in message
    assert "46.00万元" in quote
    assert (
        found(
            ONE_PROJECT.replace("46.25", "46.00").replace("757.49", "757.74"), "figure_inconsistent"
        )
        == []
    )
    # several projects: their amounts need not equal the total
    several = ONE_PROJECT.replace("共有1个项目", "共有3个项目")
    assert found(several, "figure_inconsistent") == []


# ---------------------------------------------------------------- a bureau's unit's wording


def test_a_township_described_as_a_bureaus_unit() -> None:
    text = (
        "评价年度:2024\n\n评价单位(公章):徐闻县前山镇人民政府\n\n"
        "(一)单位机构设置、部门职能情况。前山镇人民政府为徐闻县财政局下的行政单位,"
        "单位基本性质是政府机关。\n"
    )
    [(severity, message, quote)] = found(text, "other_unit_type_wording")
    assert severity == "warning" and "徐闻县财政局" in message
    assert "为徐闻县财政局下的行政单位" in quote
    right = text.replace("为徐闻县财政局下的行政单位", "为徐闻县人民政府下的一级政府")
    assert found(right, "other_unit_type_wording") == []
    # a body the township hosts may well be a bureau's unit
    hosted = text.replace(
        "前山镇人民政府为徐闻县财政局下的行政单位", "镇财政所为徐闻县财政局下的派出单位"
    )
    assert found(hosted, "other_unit_type_wording") == []


def test_every_code_reported_on_real_reports_has_its_description() -> None:
    from jixiao.audit.corpus.real import load_real_corpus
    from jixiao.audit.findings import CODE_NAMES

    codes = {f.code for case in load_real_corpus() for f in audit_text(case.text).findings}
    assert {"year_missing", "execution_missing", "score_formula_mismatch"} <= codes
    assert codes - set(CODE_NAMES) == set()
