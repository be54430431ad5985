"""Shapes of the real corpus the auditor misjudged or missed after the second held-out set (#13,
read13r): made-up texts.

Each rule has the shape (the test fails without it) and a near miss that must still be judged, or
read nothing: a wrong value is worse than none, and a false finding costs a reviewer's trust. The
texts are written for the test, never copied from one report.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.audit import audit_text
from jixiao.audit.extract import extract


def codes(text: str) -> list[str]:
    return [f.code for f in audit_text(text).findings]


# ---- an OCR'd 1 in a project's period ------------------------------------------------------


PERIOD = (
    "财政支出项目绩效评价自评报告项目名称示例文化服务经费项目单位示例市文化馆"
    "项目起止时间2021年{month}月起至2021年12月止实际到位资金(万元)75\n"
)


def test_a_period_whose_january_was_read_as_a_letter_names_its_year() -> None:
    for month in ("I", "l", "1"):
        doc = extract(PERIOD.format(month=month))
        assert doc.year is not None and doc.year.value == 2021, month
        assert "year_missing" not in codes(PERIOD.format(month=month))


def test_a_period_that_is_not_january_to_december_names_no_year() -> None:
    # a letter standing for another digit (I2月: 12) or a period over two years: no single year
    for text in (
        PERIOD.format(month="I2"),
        PERIOD.format(month="I").replace("至2021年12月", "至2022年12月"),
        PERIOD.format(month="L"),
    ):
        assert extract(text).year is None, text
    assert "year_missing" in codes(PERIOD.format(month="I2"))


# ---- a low rate in a copy cut before its analysis -------------------------------------------


CUT = (
    "示例镇人民政府2023年度部门整体绩效自评工作报告\n"
    "一、基本情况\n(一)项目资金情况。\n"
    "项目预算安排500万元,项目资金已使用425万元。项目资金执行率85%\n"
    "(二)部门职能职责。\n1.执行本级人民代表大会\n"
)


def test_a_low_rate_in_a_text_that_ends_in_its_overview_is_not_judged() -> None:
    # the stored opening ends in 一、基本情况: the report's 偏差原因 would come in later parts
    assert "execution_low_unexplained" not in codes(CUT)
    traditional = CUT.replace("一、基本情况", "一、基本情況")
    assert "execution_low_unexplained" not in codes(traditional)


def test_a_low_rate_with_parts_after_it_or_in_an_analysis_part_is_judged() -> None:
    later = CUT + "二、绩效目标完成情况分析\n全年共开展培训20场。\n三、其他\n无。\n"
    assert "execution_low_unexplained" in codes(later)
    # the rate stated in the last part, but that part is the analysis: judged
    analysis = (
        "示例镇人民政府2023年度部门整体绩效自评工作报告\n一、基本情况\n本镇共有干部30名。\n"
        "二、绩效目标完成情况分析\n项目预算安排500万元,项目资金已使用425万元。项目资金执行率85%\n"
    )
    assert "execution_low_unexplained" in codes(analysis)
    # no numbered parts at all: judged as before
    plain = "示例局2023年度项目支出绩效自评报告\n项目预算500万元,已使用425万元,执行率85%。\n"
    assert "execution_low_unexplained" in codes(plain)


# ---- numbering: an item after a comma, a table cell's own list ------------------------------


def test_an_item_after_a_comma_is_no_skip() -> None:
    text = (
        "年度主要工作内容:1.完成公益培训20场。2.公共文化场馆实行免费开放,"
        "3.完成传统文化进校园。4、完成送文化下乡20场次。\n"
    )
    assert "numbering_broken" not in codes(text)


def test_a_missing_item_is_still_a_skip() -> None:
    text = (
        "年度主要工作内容:1.完成公益培训20场。2.公共文化场馆实行免费开放,"
        "完成传统文化进校园。4、完成送文化下乡20场次。\n"
    )
    assert "numbering_broken" in codes(text)
    # the comma's item is another number (a 3 of 3.5万元 is a figure): still a skip
    figure = text.replace("免费开放,", "免费开放,投入3.5万元,")
    assert "numbering_broken" in codes(figure)


WEB_TABLE = (
    "示例区2021年度部门(单位)整体支出绩效评价自评报告\n"
    "一、部门(单位)基本概况 |\n"
    "人员编制 |\n16 |\n"
    "年度部门(单位)总体运行情况及取得的成绩 |\n"
    "一、群文活动出成效; 1.圆满完成专场文艺汇演活动,均获优秀节目奖。 |\n"
    "二、部门整体支出情况 |\n"
)


def test_a_table_cell_s_own_list_is_not_the_outline() -> None:
    assert "numbering_broken" not in codes(WEB_TABLE)


def test_the_form_s_heading_rows_in_a_table_are_still_judged() -> None:
    # a short heading row (no sentence in it) repeated after a cell is the outline's slip
    repeated = WEB_TABLE.replace("二、部门整体支出情况 |", "一、部门整体支出情况 |")
    assert "numbering_broken" in codes(repeated)
    # the same repeat outside a table is still a slip
    plain = WEB_TABLE.replace(" |", "").replace("一、群文活动出成效;", "一、群文活动出成效。")
    assert "numbering_broken" in codes(plain)


# ---- a notice number whose year was cut to three digits -------------------------------------


NOTICE = (
    "示例县自然资源局2024年度部门整体支出绩效自评报告\n"
    "根据《示例县财政局关于做好2024年度预算绩效自评工作的通知》(示财函〔{year}〕25号等文件精神,"
    "我局开展了2024年度部门整体支出绩效自评。\n"
)


def test_a_notice_year_of_three_digits_is_reported_and_not_read_as_a_year() -> None:
    text = NOTICE.format(year="202")
    doc = extract(text)
    assert doc.notice["number"].value == "示财函〔202〕25号"  # as printed
    assert "year" not in doc.notice
    assert audit_text(text).extracted["notice"]["year"] is None
    [finding] = [f for f in audit_text(text).findings if f.code == "notice_year_mismatch"]
    assert finding.severity == "error" and "202" in finding.message


def test_a_whole_notice_year_is_judged_as_before() -> None:
    assert "notice_year_mismatch" not in codes(NOTICE.format(year="2025"))
    assert "notice_year_mismatch" in codes(NOTICE.format(year="2024"))
    # a number of another document (a 管理办法) with a short year is no notice of this evaluation
    other = NOTICE.format(year="2025").replace(
        "我局开展", "并按《示例县专项资金管理办法》(示财发〔202〕3号)要求,我局开展"
    )
    assert "notice_year_mismatch" not in codes(other)


# ---- a time indicator due before the evaluated year ----------------------------------------


DEADLINE = (
    "示例种薯推广项目绩效目标自评表(2022年度)\n"
    "产出指标 | 时效指标 | 指标1{due}前完成资金支付 | 11月底完成 | 100% | 8\n"
)


def test_a_time_indicator_due_before_the_year_is_reported() -> None:
    for due in ("2021年11月30日", "2021年12月底"):
        found = [f for f in audit_text(DEADLINE.format(due=due)).findings]
        assert [f.code for f in found if f.code == "date_other_year"] == ["date_other_year"], due
    # the sheet's label run into the date, as an OCR'd copy gives it
    run_together = DEADLINE.format(due="2021年11月30日").replace(" | 指标1", "指标1")
    assert "date_other_year" in codes(run_together)


def test_a_deadline_inside_the_year_or_an_earlier_date_of_history_is_not() -> None:
    assert "date_other_year" not in codes(DEADLINE.format(due="2022年11月30日"))
    # an earlier date outside a time indicator: the project's history
    history = (
        "示例种薯推广项目绩效自评报告(2022年度)\n项目于2021年11月30日前完成招标,2022年全面实施。\n"
    )
    assert "date_other_year" not in codes(history)
    # a figure with 年 that is no year (12021年 is no date after 指标)
    assert "date_other_year" not in codes(
        DEADLINE.format(due="2021年11月30日").replace("指标1", "共1")
    )


# ---- a fund of a few 元 --------------------------------------------------------------------


FUNDS = (
    "示例市卫生健康委员会2022年度项目绩效自评报告(春节慰问经费项目)\n"
    "一、预算执行情况分析\n春节慰问经费项目市级资金配套{amount},全部到位并使用完毕,执行率100%\n"
)


def test_a_fund_of_a_few_yuan_is_reported() -> None:
    [finding] = [f for f in audit_text(FUNDS.format(amount="3.6元")).findings
                 if f.code == "amount_unit_suspect"]  # fmt: skip
    assert finding.severity == "warning" and "3.6 万元" in finding.message


def test_money_in_wan_a_standard_or_nothing_is_not_reported() -> None:
    for amount in ("3.6万元", "36000元", "0元", "0.00元"):
        assert "amount_unit_suspect" not in codes(FUNDS.format(amount=amount)), amount
    standards = (
        "慰问对象120人,慰问标准300/人。",
        "资金按每人50元发放。",
        "培训经费50元/人。",
        "误餐补助30元。",
        "人均支出60元。",
    )
    for sentence in standards:
        text = FUNDS.format(amount="3.6万元") + sentence + "\n"
        assert "amount_unit_suspect" not in codes(text), sentence


# ---- a template's guidance left as a part's text --------------------------------------------


GUIDANCE = (
    "2024年部门整体支出绩效自评报告\n一、基本情况\n"
    "(一)部门整体支出概况。2024年,示例局各项收入合计2602.28万元。\n"
    "(二)部门整体支出或项目实施情况分析。主要包括资金到位、资金使用、资金管理、项目组织和项目管理"
    "情况分析等。\n"
    "二、绩效评价工作情况\n"
)


def test_a_part_left_with_the_template_s_guidance_is_reported() -> None:
    found = [f for f in audit_text(GUIDANCE).findings if f.code == "placeholder_text"]
    assert [f.severity for f in found] == ["warning"]
    assert "主要包括资金到位" in found[0].quote


def test_a_unit_s_own_main_items_are_no_guidance() -> None:
    answered = GUIDANCE.replace(
        "情况分析等。\n", "情况分析等。\n资金全部到位,执行率100%。\n"
    )  # the part goes on: answered
    functions = GUIDANCE.replace(
        "主要包括资金到位、资金使用、资金管理、项目组织和项目管理情况分析等。",
        "主要包括负责全县财政收支管理、指导乡镇财政所工作和财政收支情况分析等。",
    )  # the unit's own functions
    money = GUIDANCE.replace(
        "主要包括资金到位、资金使用、资金管理、项目组织和项目管理情况分析等。",
        "主要包括人员经费及日常公用经费支出等。",
    )  # money described, no 情况 to analyse
    figures = GUIDANCE.replace("资金到位、", "资金到位100%、")  # a figure: the unit's own words
    sub_parts = GUIDANCE.replace("二、绩效评价工作情况", "1.资金到位情况\n资金全部到位。")
    for text in (answered, functions, money, figures, sub_parts):
        assert "placeholder_text" not in codes(text)


# ---- step 3: fields the text states plainly in a wording the reader did not know -------------


def test_the_form_s_column_label_in_prose_gives_the_full_year_budget() -> None:
    text = "示例镇2023年度部门整体支出绩效自评报告\n年初预算1848.31万元,全年(调整)预算数3587.78万元。\n"
    doc = extract(text)
    assert doc.budget["full_year"].value == Decimal("3587.78")
    assert doc.budget["initial"].value == Decimal("1848.31")
    # 调整 without the full-year label is no full-year budget
    other = text.replace("全年(调整)预算数", "调整事项涉及")
    assert "full_year" not in extract(other).budget


def test_spending_completed_is_the_executed_figure() -> None:
    text = (
        "2024年部门整体支出绩效自评报告\n(一)部门整体支出概况。\n"
        "完成支出2604.24万元。其中,基本支出1903.67万元,项目支出700.57万元。\n"
    )
    assert extract(text).budget["executed"].value == Decimal("2604.24")
    # a part's completion (项目完成支出) or a pace without an amount is not the year's spending
    part = text.replace("完成支出2604.24万元。其中,", "")
    part = part.replace("项目支出700.57万元", "项目完成支出700.57万元")
    assert "executed" not in extract(part).budget
    pace = "2024年部门整体支出绩效自评报告\n完成支出进度的80%。\n"
    assert "executed" not in extract(pace).budget


SCORED = (
    "示例市卫生健康委员会2022项目绩效自评报告\n一、自评结论\n(一)自评得分\n"
    "项目能严格按照项目实施方案开展绩效评分{score},自评为优。\n(二)绩效目标完成情况\n"
)


def test_the_one_score_in_the_sentence_under_its_heading_is_the_score() -> None:
    doc = extract(SCORED.format(score="96分"))
    assert doc.total_score is not None and doc.total_score.value == Decimal("96")


def test_a_sentence_of_points_or_of_two_scores_gives_no_score() -> None:
    for score in ("96分,满分100分", "96分(分值100分)", "96分,产出指标50分", "9.6分第一"):
        assert extract(SCORED.format(score=score)).total_score is None, score
    assert extract(SCORED.format(score="96%")).total_score is None
    # no grade beside it: a part's score or a change (较上年提高5分) is no total
    for sentence in ("项目决策得分20分。", "自评得分较上年提高5分。"):
        text = SCORED.replace("项目能严格按照项目实施方案开展绩效评分{score},自评为优。", sentence)
        assert extract(text).total_score is None, sentence


OPENING = (
    "为提升预算绩效管理水平,根据《示例市财政局关于2020年市级部门整体支出绩效自评有关事项的通知》"
    "(示财预〔2021〕66号),{said}。现将自评情况报告如下:\n"
    "示例市交通运输局是全市主管交通运输工作的行政机关。\n"
)


def test_the_year_the_opening_says_was_evaluated() -> None:
    for said in (
        "对我局2020年度部门整体支出进行绩效评价",
        "我局开展了2020年度部门整体支出绩效自评",
    ):
        doc = extract(OPENING.format(said=said))
        assert doc.year is not None and doc.year.value == 2020, said


def test_an_opening_naming_two_years_or_none_gives_no_year() -> None:
    two = "对我局2020年度部门整体支出进行绩效评价,开展了2019年度项目绩效自评"
    assert extract(OPENING.format(said=two)).year is None
    assert extract(OPENING.format(said="对我局部门整体支出进行绩效评价")).year is None


def test_a_notice_title_cut_before_its_tongzhi_cited_as_a_file() -> None:
    text = (
        "根据《关于2021年市级部门整体支出和项目支出绩效自评及财政绩效评价》(示财绩〔2022〕4号)"
        "文件要求,我局开展了2021年度部门整体支出绩效自评工作。现将自评情况报告如下:\n"
    )
    doc = extract(text)
    assert doc.notice["number"].value == "示财绩〔2022〕4号"
    # another document cited as a 文件 (a 管理办法) is no notice of this self-evaluation
    other = text.replace(
        "关于2021年市级部门整体支出和项目支出绩效自评及财政绩效评价", "示例市专项资金管理办法"
    )
    assert extract(other).notice == {}
    # a standing rule on self-evaluation cited as a 文件: its 文号 year is its own, no notice
    for title in ("示例县预算绩效自评管理办法", "关于印发2019年示例县绩效自评管理办法"):
        rule = text.replace("关于2021年市级部门整体支出和项目支出绩效自评及财政绩效评价", title)
        assert extract(rule).notice == {}, title


def test_a_unit_the_opening_describes_and_the_report_calls_itself_by() -> None:
    doc = extract(OPENING.format(said="对我局2020年度部门整体支出进行绩效评价"))
    assert doc.unit_name is not None and doc.unit_name.value == "示例市交通运输局"


def test_a_described_body_of_another_kind_is_no_unit() -> None:
    # the report calls itself 我中心: the 局 it describes first is its parent, not itself
    text = OPENING.format(said="对我中心2020年度部门整体支出进行绩效评价")
    assert extract(text).unit_name is None


PUBLISHED = (
    "示例区2024年度转移支付衔接推进乡村振兴补助资金绩效评价自评报告\n"
    "发布时间:2025-03-12 09:48信息来源:示例区农业农村水利局文字大小:[ ] 背景色:\n"
    "根据有关通知要求,我局开展了绩效自评。\n"
)


def test_a_publisher_before_the_page_s_controls() -> None:
    doc = extract(PUBLISHED)
    assert doc.unit_name is not None and doc.unit_name.value == "示例区农业农村水利局"


def test_a_publisher_of_another_place_before_the_controls_is_not_read() -> None:
    text = PUBLISHED.replace("信息来源:示例区", "信息来源:别处县")
    assert extract(text).unit_name is None


def test_a_sheet_s_label_pair_and_value_pair() -> None:
    text = (
        "示例推广项目绩效目标自评表(2022年度)项目名称示例推广项目"
        "实施单位/项目负责人示例区农技中心/张三主管部门示例区农业农村局资金情况(万元)\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例区农技中心"
    # the person alone in the pair's place: no unit
    alone = text.replace("示例区农技中心/张三", "张三/13900000000")
    assert extract(alone).unit_name is None


def test_a_unit_cell_before_the_sheet_s_funds_block() -> None:
    text = (
        "绩效目标自评表(2022年度)项目名称示例水标尺安装项目负责人及电话张三"
        "主管部门示例县水利局实施单位示例县水利局资金情况(万元)全年预算数(A)\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县水利局"


# ---- a date whose 年 was lost ---------------------------------------------------------------


LOST = "示例县2019年度护林员项目绩效评价报告\n资金用于支付580名护林员{when}工资,已全部发放。\n"


def test_a_year_and_month_run_together_is_reported() -> None:
    for when in ("20197-12月份", "202012月底", "20202-20211月份"):
        found = [f for f in audit_text(LOST.format(when=when)).findings]
        assert [f.code for f in found if f.code == "date_year_lost"] == ["date_year_lost"], when


def test_dates_with_their_year_amounts_and_counts_are_not() -> None:
    for when in ("2019年7-12月份", "2020年12月底", "7-12月份", "共20197元的12月份"):
        assert "date_year_lost" not in codes(LOST.format(when=when)), when
    # a figure after a digit or a point, or a month without 份 / 底 / 末, is no such date
    for when in ("12.20197月份", "320197月份", "20197个月"):
        assert "date_year_lost" not in codes(LOST.format(when=when)), when


# ---- a sheet's score against what the row achieved -----------------------------------------


SHEET_HEADER = ["三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析"]


def sheet(*rows: list[str]) -> str:
    lines = [SHEET_HEADER, *rows]
    return "项目支出绩效自评表(2020年度)\n" + "\n".join("\t".join(r) for r in lines)


def mismatches(text: str) -> list[str]:
    return [f.message for f in audit_text(text).findings if f.code == "indicator_score_mismatch"]


def test_a_met_indicator_marked_down_without_a_reason() -> None:
    [message] = mismatches(sheet(["执法补助经费", "72890元", "72890元", "10", "9", ""]))
    assert "72890" in message and "9" in message


def test_a_missed_indicator_given_full_marks() -> None:
    [message] = mismatches(sheet(["政府采购执行率", "100%", "72.74%", "2", "2", ""]))
    assert "未达到" in message and "1.45" in message


def test_scores_the_rules_give_are_not_reported() -> None:
    rows = [
        ["执法补助经费", "72890元", "72890元", "10", "10", ""],  # met, full marks
        ["验收合格率", "100%", "100%", "20", "19", "佐证材料不全，扣1分"],  # marked down, reason
        ["早孕建册数", "120人", "69人", "2", "1.2", ""],  # missed, in proportion
        ["访视数", "214人", "213人", "2", "2.0", ""],  # 1.99 rounds to 2.0: full marks allowed
        ["接种率", "100%", "99.8%", "5", "5", ""],  # 4.99 rounds to 5
        ["平均成本", "≤300元", "280元", "5", "4", ""],  # ≤: not judged here
    ]
    assert mismatches(sheet(*rows)) == []
    # in plain text the reason cell cannot be told from the next row's name: not judged
    plain = "三级指标 年度指标值 实际完成值 分值 得分 偏差原因 执法补助经费 72890元 72890元 10 9 验收合格率 100% 100% 20 20"
    assert mismatches(plain) == []


# ---- a cover's date standing alone above who made the report ---------------------------------

COVER = (
    "部门整体支出绩效评价报告\n\n项目单位: 示例县机构编制委员会办公室\n\n主管部门: 中共示例县委\n\n"
    "评价类型事前评价□事中评价□事后评价□√评价方式:部门(单位)绩效自评□√\n\n"
    "2018年4月3日\n\n示例县机构编制委员会办公室编制\n\n"
    "一、部门基本情况\n本办下设一个二层机构。\n"
)


def test_a_cover_date_over_its_maker_is_the_filled_on_date() -> None:
    doc = extract(COVER)
    assert doc.filled_on is not None and str(doc.filled_on.value) == "2018-04-03"


def test_a_lone_date_elsewhere_is_not() -> None:
    # no maker under it (a date of something else), or inside the report's parts
    assert (
        extract(
            COVER.replace("示例县机构编制委员会办公室编制", "示例县机构编制委员会办公室")
        ).filled_on
        is None
    )
    # inside the report's parts (a date of something else, more text after it)
    moved = COVER.replace("2018年4月3日\n\n示例县机构编制委员会办公室编制\n\n", "").replace(
        "本办下设一个二层机构。\n",
        "本办下设一个二层机构。\n2018年4月3日\n\n示例县机构编制委员会办公室编制\n\n"
        "二、绩效自评情况\n本办自评得分95分。\n三、其他\n无。\n",
    )
    assert extract(moved).filled_on is None


# ---- a title opening with the unit, no year, and the report's self-word ----------------------


TITLED = (
    "示例市第四中学专项资金绩效自评价报告\n"
    "一、基本情况\n我校本年项目为一个:生均公用经费项目,共计239万元。\n"
)


def test_a_title_opening_with_a_unit_the_report_calls_itself_by() -> None:
    doc = extract(TITLED)
    assert doc.unit_name is not None and doc.unit_name.value == "示例市第四中学"


def test_a_title_opening_that_is_no_unit_of_the_self_word_s_kind() -> None:
    # 我院 for a 中学, a name cut inside a word, a title with its year: none read this way
    assert extract(TITLED.replace("我校", "我院")).unit_name is None
    hospital = "示例县人民医院院区改造绩效自评报告\n一、基本情况\n我院本年改造病房20间。\n"
    assert extract(hospital).unit_name is None


# ---- a letter grade right after its score ---------------------------------------------------


LETTER = (
    "示例区交通运输局2023年度资金整体绩效自评报告\n二、综合评价结论\n自评分数为89分,{grade}。\n"
)


def test_a_letter_grade_after_its_score_is_read_and_not_judged() -> None:
    for grade in ("等级为B", "等級为B", "等级为B级"):
        report = audit_text(LETTER.format(grade=grade))
        assert report.extracted["grade"] == "B", grade
        assert "grade_mismatch" not in {f.code for f in report.findings}


def test_a_letter_elsewhere_is_no_grade() -> None:
    for text in (
        LETTER.format(grade="创建等级为A级景区"),
        "示例区交通运输局2023年度资金整体绩效自评报告\n本局信用等级为A。\n",
        LETTER.format(grade="等级为AAAA"),
    ):
        assert audit_text(text).extracted["grade"] is None, text
    # a Chinese grade is judged as before (89 分 is 良 under the default bands)
    assert "grade_mismatch" in {
        f.code for f in audit_text(LETTER.format(grade="等级为优")).findings
    }
