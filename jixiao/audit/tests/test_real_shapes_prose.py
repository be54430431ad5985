"""Reading the prose and cover shapes of whole real reports (#13, fields13): made-up texts.

Each rule has the shape it reads and a near-miss that must read nothing: a wrong value is worse
than none. The texts are written for the test in the way published reports put things, never
copied from one report.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit.extract import extract

# ---- the title: where it ends, and a title behind a file's metadata -------------------------


def test_a_flattened_report_s_title_ends_before_its_prose() -> None:
    # a docx flattened into one line: the title runs on into prose citing 《…》
    text = (
        "示例市河道管理中心2022年整体和项目支出绩效自评总结报告一、工作开展情况。我单位按照"
        "《示例市关于全面实施预算绩效管理的意见》要求开展自评。\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例市河道管理中心"
    assert doc.year is not None and doc.year.value == 2022


def test_a_citation_is_no_title() -> None:
    text = "根据《示例市河道管理中心2022年度绩效自评报告》，现将有关情况说明如下。\n"
    doc = extract(text)
    assert doc.unit_name is None
    assert doc.year is None


def test_a_title_behind_a_file_s_metadata() -> None:
    text = (
        "作者甲 abc123 1 2019-05-22T04:56:35Z 2006-09-13T11:21:51Z 15.00 F00D 9300 0 0 False "
        "附件:项目支出绩效自评表 (2022年度) 项目名称 委托业务项目 主管部门 示例镇人民政府\n"
    )
    doc = extract(text)
    assert doc.year is not None and doc.year.value == 2022
    assert "2022" in doc.year.quote


def test_a_title_late_in_a_line_of_prose_is_not_taken() -> None:
    text = (
        "我单位高度重视本次工作，组织专门力量开展全面梳理，逐项核对各类账目和资料，确保数据真实准确，"
        "同时对照2021年度的目标逐项进行了分析，最终按要求形成了2019年度绩效自评报告。\n"
    )
    assert extract(text).year is None


def test_the_unit_with_a_second_name_in_brackets_on_the_line_above_the_title() -> None:
    text = "中共示例省委党校(示例省行政学院)\n2021年度部门整体支出绩效自评报告\n省财政厅:\n"
    doc = extract(text)
    assert doc.unit_name is not None
    assert doc.unit_name.value == "中共示例省委党校(示例省行政学院)"


def test_a_bracket_that_is_no_name_stays_out_of_the_unit() -> None:
    doc = extract("示例县财政局(本级)2021年度部门整体支出绩效自评报告\n")
    assert doc.unit_name is None or "本级" not in doc.unit_name.value


# ---- the year where the title does not give it ----------------------------------------------


def test_a_year_rendered_with_a_dash_for_nian() -> None:
    doc = extract("附件6\n示例县20 16 -度部门(单位)整体支出\n绩效评价自评报告\n")
    assert doc.year is not None and doc.year.value == 2016


def test_a_dash_that_is_no_year() -> None:
    doc = extract("附件6\n示例县2016-2017 -度部门(单位)整体支出\n绩效评价自评报告\n")
    assert doc.year is None


def test_the_year_of_a_project_run_over_one_calendar_year() -> None:
    text = "财政支出项目绩效评价自评报告\n项目名称 示例专项\n项目起止时间 |\n2016 年 1 月起至 2016 年 12 月止 |\n"
    doc = extract(text)
    assert doc.year is not None and doc.year.value == 2016
    assert "起止时间" in doc.year.quote


def test_a_project_run_over_two_years_names_no_year() -> None:
    text = "财政支出项目绩效评价自评报告\n项目起止时间 2016年1月起至2017年12月止\n"
    assert extract(text).year is None


@pytest.mark.parametrize(
    ("sentence", "year"),
    [
        ("2.资金:2022年示例项目预算经费为3483万元,2022年支付3483万元。", 2022),
        ("2021年部门决算收支完成情况。\n1、收入:792.22万元。\n2、支出:799.12万元。", 2021),
        ("2018年本年支出1366.23万元,其中基本支出802.21万元。", 2018),
    ],
)
def test_the_year_whose_spending_the_report_gives(sentence: str, year: int) -> None:
    doc = extract("示例项目绩效自评报告\n一、基本情况\n" + sentence + "\n")
    assert doc.year is not None and doc.year.value == year
    assert str(year) in doc.year.quote


def test_spending_of_two_years_names_no_year() -> None:
    text = "示例项目绩效自评报告\n2021年支付1200万元,2022年支付3483万元。\n"
    assert extract(text).year is None


def test_a_year_in_a_date_is_no_spending_year() -> None:
    text = "示例项目绩效自评报告\n截至2022年12月31日,资金已使用2.00万元。\n"
    assert extract(text).year is None


# ---- the notice cited by its number alone ---------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "根据示财绩〔2025〕5号要求,我单位及时布置自评,成立自评工作小组。",
        "根据示例市财政局文件(示财绩〔2023〕2号)要求,我单位安排专人做好该项目经费绩效评价工作。",
    ],
)
def test_a_notice_cited_by_its_number_alone(sentence: str) -> None:
    doc = extract("部门整体支出绩效自评报告\n" + sentence + "\n")
    assert doc.notice["number"].value in sentence
    assert doc.notice["year"].value in (2023, 2025)


@pytest.mark.parametrize(
    "sentence",
    [
        # a funds document, not a performance office's: not the notice
        "根据示财预〔2025〕5号要求,我单位及时布置自评。",
        # a performance number, but nothing about evaluating follows
        "根据示财绩〔2025〕5号要求,我单位及时拨付了资金。",
    ],
)
def test_a_number_that_is_not_the_self_evaluation_notice(sentence: str) -> None:
    assert not extract("部门整体支出绩效自评报告\n" + sentence + "\n").notice


# ---- score and grade ------------------------------------------------------------------------


def test_the_score_alone_under_its_heading() -> None:
    doc = extract(
        "项目支出绩效自评报告\n一、自评结论\n(一)自评得分\n100分。\n(二)绩效目标完成情况\n"
    )
    assert doc.total_score is not None and doc.total_score.value == Decimal(100)
    assert doc.total_score.quote == "100分。"


def test_a_heading_followed_by_prose_gives_no_score() -> None:
    text = "项目支出绩效自评报告\n(一)自评得分\n本项目分值100分，各项指标均已完成。\n"
    assert extract(text).total_score is None


def test_the_score_in_a_score_table_s_total_row() -> None:
    text = (
        "项目支出绩效自评报告\n一级指标 | 二级指标 | 分值 | 得分 | 偏差原因\n"
        "决策 | 项目立项 | 20 | 20 |\n合计 | 100 | 98.5 |\n"
    )
    doc = extract(text)
    assert doc.total_score is not None and doc.total_score.value == Decimal("98.5")


@pytest.mark.parametrize(
    "row",
    [
        "合计 | 100 | | |评价结论 |",  # the score cell left empty
        "合计 | 100 | 95 | 98 |",  # three figures: which is the score is not said
    ],
)
def test_a_total_row_without_one_score_gives_none(row: str) -> None:
    text = "项目支出绩效自评报告\n三级指标 | 权重 | 得分 |\n" + row + "\n"
    assert extract(text).total_score is None


def test_a_total_row_of_a_budget_table_is_no_score() -> None:
    text = "项目支出绩效自评报告\n项目 | 年初预算 | 全年预算 | 全年执行\n合计 | 100 | 98 |\n"
    assert extract(text).total_score is None


@pytest.mark.parametrize(
    ("sentence", "grade"),
    [
        ("部门目标实现率100%,整体绩效自评为优 秀;", "优秀"),
        ("项目自评得分92分,自评等次为良好。", "良好"),
        ("综合评价得分95分，等级为“优”。", "优"),
    ],
)
def test_grade_shapes(sentence: str, grade: str) -> None:
    doc = extract("部门整体支出绩效自评报告\n" + sentence + "\n")
    assert doc.grade is not None and doc.grade.value == grade


def test_a_grade_word_inside_a_longer_phrase_is_no_grade() -> None:
    doc = extract("部门整体支出绩效自评报告\n所属项目中自评为良好的项目有3个。\n")
    assert doc.grade is None


def test_a_spending_rate_called_zijin_shiyonglv() -> None:
    doc = extract("项目支出绩效自评报告\n项目实际使用资金1076.47万元,资金使用率99%。\n")
    assert [r.percent for r in doc.rates] == [Decimal(99)]


# ---- spending and budget --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "executed"),
    [
        (
            "项目财政资金总额16.20万元,全部为县级配套资金,拨付使用16.20万元,预算执行率100%。",
            "16.20",
        ),
        ("2023年当期取得收入5675.19万元,2023年当期发生支出5691.64万元。", "5691.64"),
        ("2.资金:2022年示例项目预算经费为3483万元,2022年支付3483万元。", "3483"),
        (
            "2021年部门决算收支完成情况。\n2、支出:799.12万元。其中:人员经费支出434.89万元。",
            "799.12",
        ),
        ("计划安排资金(万元) |\n1208.75 |\n实际支出(万元) |\n991.51 |\n结余(万元) |\n", "991.51"),
    ],
)
def test_spending_shapes(sentence: str, executed: str) -> None:
    doc = extract("示例项目绩效自评报告\n一、基本情况\n" + sentence + "\n")
    assert doc.budget["executed"].value == Decimal(executed)


@pytest.mark.parametrize(
    "sentence",
    [
        "资金已到位,拨付16.20万元至各乡镇。",  # 拨付 alone (not 已拨付 / 拨付使用) after a comma
        "其中,基本支出为5016.74万元。",  # a part
        "项目支出(万元) | 年初预算 | 全年预算\n",  # a label without its figure
        "支付进度:2022年支付比例30%。",  # a rate, no amount
    ],
)
def test_spending_near_misses(sentence: str) -> None:
    doc = extract("部门整体支出绩效自评报告\n一、基本情况\n" + sentence + "\n")
    assert "executed" not in doc.budget


def test_initial_and_full_year_from_a_budget_and_its_parts() -> None:
    sentence = "2022年预算收入69.06万元,其中年初预算57.28万元,调整追加11.78万元。"
    doc = extract("部门整体支出绩效自评报告\n" + sentence + "\n")
    assert doc.budget["initial"].value == Decimal("57.28")
    assert doc.budget["full_year"].value == Decimal("69.06")


def test_parts_that_do_not_add_up_give_no_full_year() -> None:
    sentence = "2022年预算收入70.06万元,其中年初预算57.28万元,调整追加11.78万元。"
    doc = extract("部门整体支出绩效自评报告\n" + sentence + "\n")
    assert "full_year" not in doc.budget
    assert "initial" not in doc.budget  # 其中 makes it a part when the whole is not confirmed


# ---- the unit and the project from covers and titles ----------------------------------------


def test_unit_and_project_split_from_a_long_project_title() -> None:
    text = (
        "示例州第二人民医院基本公共卫生服务项目州级补助资金2023年度绩效自评报告\n"
        "一、绩效目标完成情况分析\n"
        "基本公共卫生服务项目州级补助资金2.00万元,资金已使用2.00万元。\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例州第二人民医院"
    assert doc.project_name is not None
    assert doc.project_name.value == "基本公共卫生服务项目州级补助资金"


def test_a_long_project_title_whose_rest_never_recurs_is_not_split() -> None:
    text = (
        "示例州第二人民医院基本公共卫生服务项目州级补助资金2023年度绩效自评报告\n"
        "一、绩效目标完成情况分析\n下达示例州第二人民医院基本公共卫生服务项目州级补助资金2万元。\n"
    )
    doc = extract(text)
    assert doc.unit_name is None
    assert doc.project_name is None


def test_a_title_that_is_the_project_evaluated() -> None:
    text = (
        "示例省残疾人事业发展补助资金(省对下转移支付)项目2018年度绩效自评报告\n"
        "省残联对示例省残疾人事业发展补助资金(省对下转移支付)进行绩效自评。\n"
    )
    doc = extract(text)
    assert doc.project_name is not None
    assert doc.project_name.value == "示例省残疾人事业发展补助资金(省对下转移支付)"
    assert doc.unit_name is None


def test_a_title_not_said_to_be_evaluated_names_no_project() -> None:
    text = (
        "示例省残疾人事业发展补助资金(省对下转移支付)项目2018年度绩效自评报告\n"
        "省残联下达示例省残疾人事业发展补助资金(省对下转移支付)500万元。\n"
    )
    assert extract(text).project_name is None


def test_the_project_in_brackets_on_the_title_s_next_line_and_nested_brackets() -> None:
    doc = extract("示例县第一小学2023年度项目支出绩效自评报告\n(教育专项工作经费)\n一、自评结论\n")
    assert doc.project_name is not None and doc.project_name.value == "教育专项工作经费"
    doc = extract("示例市图书馆2022年度项目支出绩效自评报告(2022年文化馆(站)免费开放补助经费)\n")
    assert doc.project_name is not None
    assert doc.project_name.value == "2022年文化馆(站)免费开放补助经费"


def test_a_project_name_cell_over_another_cover_label() -> None:
    text = "财政支出项目绩效评价自评报告\n项目名称 低保专项\n项目单位 示例区民政局\n主管部门\n"
    doc = extract(text)
    assert doc.project_name is not None and doc.project_name.value == "低保专项"
    alone = "财政支出项目绩效评价自评报告\n项目名称 低保专项\n一、基本情况\n"
    assert extract(alone).project_name is None


def test_a_unit_in_the_cell_after_its_label() -> None:
    text = "部门预算项目支出绩效自评表(2023年度) |\n实施单位 (盖章) |\n示例县发展和改革局 |项目基本情况 |\n"
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县发展和改革局"
    # the next cell is a sentence, not a name
    other = "项目支出绩效自评表 |\n实施单位 (盖章) |\n对照年度目标,说明完成情况 |\n"
    assert extract(other).unit_name is None


def test_cover_cells_run_together_with_a_coded_name() -> None:
    text = (
        "示例县项目支出绩效自评表 (2021年度) 项目名称 公共卫生服务 主管部门 219-示例县卫生健康局 "
        "年初预算 数 0 项目资金 (万元) 年度资金总额 实施单位 219001-示例县某镇卫生院 全年预算数\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县某镇卫生院"
    assert doc.supervisor is not None and doc.supervisor.value == "示例县卫生健康局"


def test_the_budget_unit_of_the_project() -> None:
    text = "项目绩效自评报告\n预算单位示例国家高新区管委会(行政主管部门)的示例路网项目。\n"
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例国家高新区管委会"
    other = "项目绩效自评报告\n预算单位示例国家高新区管委会(行政主管部门)负责资金管理。\n"
    assert extract(other).unit_name is None


# ---- what a page prints after the report ----------------------------------------------------

_BODY = (
    "示例县图书馆2023年度部门整体支出绩效自评报告\n"
    "一、基本情况\n我馆是示例县文化和旅游局管理的公益一类事业单位。\n"
    "二、绩效自评工作开展情况\n我馆成立自评小组，对照年度目标开展自评。\n"
    "三、综合评价\n各项指标均已完成。\n四、存在问题\n项目进度偏慢。\n五、改进措施\n加快进度。\n"
)


@pytest.mark.parametrize(
    "after",
    [
        "相关附件：示例县图书馆2021年度绩效自评表.xlsx 自评得分85分，等级为良好。\n",
        "【打印本页】【关闭窗口】\n上一篇：示例县文化馆2022年度部门整体支出绩效自评报告 自评得分88分\n",
        # the next report on the same page
        "示例县文化馆2023年度部门整体支出绩效自评报告\n一、基本情况\n自评得分95分，等级为优秀。\n",
    ],
)
def test_nothing_is_read_from_what_follows_the_report(after: str) -> None:
    doc = extract(_BODY + after)
    assert doc.total_score is None
    assert doc.grade is None
    assert doc.unit_name is not None and doc.unit_name.value == "示例县图书馆"


def test_a_title_repeated_before_the_report_s_sections_is_no_second_report() -> None:
    text = (
        "示例县图书馆2023年度部门整体支出绩效自评报告\n示例县财政局制\n"
        "示例县图书馆2023年度部门整体支出绩效自评报告\n"
        + _BODY
        + "六、自评结果\n自评得分95分，等级为优秀。\n"
    )
    doc = extract(text)
    assert doc.total_score is not None and doc.total_score.value == Decimal(95)
    assert doc.grade is not None and doc.grade.value == "优秀"


# ---- a table given a cell a line ------------------------------------------------------------


def test_cover_cells_one_per_line() -> None:
    text = (
        "附件1\n\n项目支出绩效自评表\n\n2019年度)\n\n项目名称\n\n示例楼暖通改造经费\n\n"
        "主管部门\n\n示例市发改委\n\n实施单位\n\n示例市食品工程学校\n\n项目资金\n"
    )
    doc = extract(text)
    assert doc.year is not None and doc.year.value == 2019
    assert doc.project_name is not None and doc.project_name.value == "示例楼暖通改造经费"
    assert doc.supervisor is not None and doc.supervisor.value == "示例市发改委"
    assert doc.unit_name is not None and doc.unit_name.value == "示例市食品工程学校"


def test_cells_that_are_not_a_cover_read_nothing() -> None:
    text = (
        "项目支出绩效自评表\n\n填表说明\n\n项目名称\n\n按预算批复填写\n\n一、基本情况\n\n"
        "主管部门\n\n负责审核本表\n\n2019年度预算执行情况良好。\n"
    )
    doc = extract(text)
    assert doc.year is None  # a year inside a sentence is not the line under the title
    assert doc.project_name is None  # the value is not followed by another cover label
    assert doc.supervisor is None  # not a name


def test_a_full_year_budget_as_the_initial_one_adjusted_to() -> None:
    doc = extract("部门整体支出绩效自评报告\n本年年初预算57.28万元,年中调整为69.06万元。\n")
    assert doc.budget["full_year"].value == Decimal("69.06")
    assert doc.budget["initial"].value == Decimal("57.28")


@pytest.mark.parametrize(
    "sentence",
    [
        "三公经费年初预算5万元,年中调整为3万元。",  # a part's budget
        "年初预算57.28万元,绩效目标调整为3项。",  # no amount after 调整为
    ],
)
def test_adjusted_to_near_misses(sentence: str) -> None:
    doc = extract("部门整体支出绩效自评报告\n" + sentence + "\n")
    assert "full_year" not in doc.budget


def test_a_count_in_volumes() -> None:
    doc = extract("项目支出绩效自评报告\n数字资源补充50000册,指标完成率100%。\n")
    assert [(t.actual, t.unit, t.stated_percent) for t in doc.targets] == [
        (Decimal(50000), "册", Decimal(100))
    ]
    # a 册 with no figure is no count
    assert extract("项目支出绩效自评报告\n印发工作手册,指标完成率100%。\n").targets == []
