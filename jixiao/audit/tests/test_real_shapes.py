"""Reading the shapes real reports write (#13.2): small made-up texts in each shape.

Each text is written for the test in the way published reports put things (the unit only in the
title, staffing in a cover table, a 决算's totals …), never copied from one report. A shape the
reader cannot tell apart must leave the field unread: a wrong value is worse than none.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit.extract import extract
from jixiao.audit.normalize import normalize_line, paragraphs


def _staff(text: str) -> dict[str, int]:
    return {key: value.value for key, value in extract(text).staff.items()}


# ---- the unit and the year ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit", "year"),
    [
        ("示例县水利局2024年度部门整体支出绩效自评报告\n一、基本情况\n", "示例县水利局", 2024),
        ("2023年度示例市档案馆部门整体支出绩效自评报告\n", "示例市档案馆", 2023),
        ("示例区城市管理局关于2022年度部门整体支出绩效自评情况的报告\n", "示例区城市管理局", 2022),
        # the unit on its own line above the title: the two lines make one paragraph
        ("中共示例县委办公室\n2024年部门整体支出绩效自评报告\n目录\n", "中共示例县委办公室", 2024),
        ("示例州信息中心2024年度项目支出绩效单位自评报告\n", "示例州信息中心", 2024),
    ],
)
def test_unit_and_year_from_the_title(text: str, unit: str, year: int) -> None:
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == unit
    assert unit in doc.unit_name.quote  # the quote shows where it was read
    assert doc.year is not None and doc.year.value == year


def test_a_project_title_names_the_project_not_the_unit() -> None:
    doc = extract("2023年度示例展示中心运维项目支出绩效自评报告\n一、基本情况\n")
    assert doc.unit_name is None  # "示例展示中心运维" is the project
    assert doc.year is not None and doc.year.value == 2023


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        (
            "部门整体支出绩效自评报告\n单位名称\t示例县农业农村局\n主管部门\t示例县人民政府\n",
            "示例县农业农村局",
        ),
        ("绩效自评报告\n名称：示例市档案馆（公章）\n", "示例市档案馆"),
        ("绩效自评报告\n示例镇人民政府（公章）\n2025年3月1日\n", "示例镇人民政府"),
        (
            "自评报告\n项目单位：示例县机构编制委员会办公室\n主管部门：示例县委\n",
            "示例县机构编制委员会办公室",
        ),
        # cover cells run together: the next label ends the name
        ("自评报告\n评价单位（公章）：示例县林业局 填报日期：2025年3月1日\n", "示例县林业局"),
    ],
)
def test_unit_from_cover_lines(text: str, unit: str) -> None:
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == unit


def test_unit_from_a_signature_at_the_end() -> None:
    text = "自评报告\n一、情况\n正文一。\n二、问题\n正文二。\n示例县林业局\n2024年3月5日\n"
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县林业局"


def test_a_publisher_line_counts_only_when_the_name_recurs() -> None:
    alone = "发布机构：示例市财政局\n部门整体支出绩效自评报告\n一、基本情况\n我单位是行政单位。\n"
    assert extract(alone).unit_name is None  # the site's publisher may not be the unit
    again = alone.replace("我单位", "示例市财政局")
    doc = extract(again)
    assert doc.unit_name is not None and doc.unit_name.value == "示例市财政局"


def test_two_years_in_the_title_give_no_year_from_it() -> None:
    doc = extract("2023年度部门整体支出绩效自评报告（2024年修订）\n")
    assert doc.year is None or doc.year.value == 2023
    assert extract("关于2022-2023年度整体支出绩效自评报告\n").year is None


# ---- staffing ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # prose, quota and headcount in one sentence
        (
            "截至年底，本局核定编制24人，实有在职人员21人，离退休人员9人。",
            {"staffing_quota": 24, "staff_actual": 21, "retired": 9},
        ),
        # 名 and a connecting 为
        ("单位编制数为12名，在职人数为11名。", {"staffing_quota": 12, "staff_actual": 11}),
        # 实有编制数 is the quota the unit has, 在职 the headcount (a pdf broke 离 / 退休)
        (
            "本局实有编制数 40 人，年末在职人数 36 人、离\n退休人数 52 人。",
            {"staffing_quota": 40, "staff_actual": 36, "retired": 52},
        ),
        ("编制数30人，实有编制数30人，在职人数27人。", {"staffing_quota": 30, "staff_actual": 27}),
        # a total that includes retirees is neither the headcount nor the quota
        ("单位实有人数40人，其中在职31人，离退休9人。", {"staff_actual": 31, "retired": 9}),
        ("单位编制人数52人，其中在职38人，退休14人。", {"staff_actual": 38, "retired": 14}),
        # a quota with its parts: the total is the quota
        (
            "核定编制20人，其中行政编制15人，事业编制5人；实有18人。",
            {"staffing_quota": 20, "staff_actual": 18},
        ),
        # 离休 and 退休 without a 离退休 total
        ("在职人员16人；离休1人，退休12人。", {"staff_actual": 16, "retired": 13}),
        ("离退休人员16人，其中：离休0人，退休16人。", {"retired": 16}),
        (
            "临时聘用人员4人，编制7人，实有6人。",
            {"temporary": 4, "staffing_quota": 7, "staff_actual": 6},
        ),
        # two-column cover table: label | figure | label | figure
        (
            "编制人数\t46\t实有人数\t41\n在职人数\t41\t离退休人数\t23\n",
            {"staffing_quota": 46, "staff_actual": 41, "retired": 23},
        ),
        # labels over figures
        (
            "编制数\t实有人数\t离退休人数\n20\t18\t5\n",
            {"staffing_quota": 20, "staff_actual": 18, "retired": 5},
        ),
        # a pdf that gives each cell on its own line
        (
            "编制人数\n46\n实有人数\n41\n离退休人数\n23\n一、其他\n",
            {"staffing_quota": 46, "staff_actual": 41, "retired": 23},
        ),
        # a pdf that spaces every character
        ("编 制 人 数 4 6 人 ， 实 有 人 数 4 1 人", {"staffing_quota": 46, "staff_actual": 41}),
    ],
)
def test_staffing_shapes(text: str, expected: dict[str, int]) -> None:
    assert _staff(text) == expected


@pytest.mark.parametrize(
    ("text", "unread"),
    [
        # two quotas and no total: which one the report means is not said
        ("机关行政编制39名（含领导使用编制），事业编制5名。在职实有32人。", "staffing_quota"),
        # a 编制数 and a 实有编制数 that differ
        ("编制数\t实有编制数\t在职人数\n20\t18\t17\n", "staffing_quota"),
        # last year's and this year's headcount
        ("上年实有人数30人，本年实有人数32人。", "staff_actual"),
    ],
)
def test_staffing_not_read_when_ambiguous(text: str, unread: str) -> None:
    doc = extract(text)
    assert unread not in doc.staff
    assert len(doc.staff_conflicts[unread]) == 2


def test_other_numbers_near_staff_words_are_not_staff() -> None:
    text = "核定公务用车车辆编制6辆。组织在职培训120人次。编制2024年预算。编外人员3人。"
    assert _staff(text) == {"temporary": 3}  # 编外人员 are the staff outside the quota


def test_staff_values_carry_quote_and_line() -> None:
    doc = extract("一、基本情况\n本中心核定编制9人，实有7人。\n")
    quota = doc.staff["staffing_quota"]
    assert quota.quote == "核定编制9人"
    assert quota.location({}).line == 2


# ---- budgets -----------------------------------------------------------------------------


def _budget(text: str) -> dict[str, Decimal]:
    return {key: value.value for key, value in extract(text).budget.items()}


def test_final_accounts_totals() -> None:
    text = (
        "2024年度决算收入合计1520.40万元，其中财政拨款收入1400.00万元；"
        "本年支出合计1498.35万元，其中基本支出612.08万元，项目支出886.27万元。"
    )
    assert _budget(text) == {"executed": Decimal("1498.35")}


def test_funds_received_is_not_spending() -> None:
    text = "年初批复预算260万元，调整预算后项目预算245.5万元，实际到位资金230万元。"
    assert _budget(text) == {"initial": Decimal(260), "full_year": Decimal("245.5")}


def test_a_parts_figures_are_not_the_budget() -> None:
    text = "“三公”经费年初预算6万元，实际支出4.2万元。部门年初预算数为310万元，实际支出305万元。"
    assert _budget(text) == {"initial": Decimal(310), "executed": Decimal(305)}


def test_a_figure_outside_the_lead_clause_is_not_read() -> None:
    assert _budget("年初预算未安排，年中追加资金50万元。") == {}


def test_funds_table_with_cells_one_per_line() -> None:
    text = (
        "资金来源\n年初预算数\n全年预算数\n全年执行数\n执行率\n"
        "年度资金总额\n105.00\n121.05\n120.01\n99.14%\n"
    )
    assert _budget(text) == {
        "initial": Decimal("105.00"),
        "full_year": Decimal("121.05"),
        "executed": Decimal("120.01"),
    }


# ---- pdf text ----------------------------------------------------------------------------


def test_cells_one_per_line_keep_their_figures_apart() -> None:
    texts = [p.text for p in paragraphs("年初预算数\n全年执行数\n105.00\n120.01\n")]
    assert texts == ["年初预算数全年执行数105.00 120.01"]


def test_a_number_broken_at_a_wrapped_line_is_joined() -> None:
    text = "本年度新增取得职业技能等级认定证书共计18\n969人次，完成全年任务。"
    assert (
        paragraphs(text)[0].text == "本年度新增取得职业技能等级认定证书共计18969人次,完成全年任务。"
    )


def test_page_numbers_at_page_edges_are_dropped_and_cells_kept() -> None:
    pages = ["一、基本情况\n本单位编制\n7\n人员情况见表。\n3", "续页正文。"]
    doc = extract("\n".join(pages), pages=pages)
    assert [p.text for p in doc.paras] == [
        "一、基本情况",
        "本单位编制7 人员情况见表。",
        "续页正文。",
    ]


def test_three_single_digit_cells_stay_apart() -> None:
    assert normalize_line("7 5 2") == "7 5 2"
    assert normalize_line("2 0 2 5 年") == "2025年"


def test_unit_from_the_opening_sentence() -> None:
    text = "整体支出绩效自评报告\n现将2021年示例市发展和改革局整体支出绩效自评情况报告如下:\n"
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例市发展和改革局"


def test_closing_date_when_no_filled_date_is_labelled() -> None:
    text = "自评报告\n一、情况\n正文一。\n二、问题\n正文二。\n示例县林业局\n2025年3月5日\n"
    doc = extract(text)
    assert doc.filled_on is not None and doc.filled_on.value.isoformat() == "2025-03-05"
    assert doc.filled_on.location({}).line == 7  # the date's own line
    # a date inside the text is no closing date
    assert (
        extract("自评报告\n一、情况\n正文一。\n二、问题\n于2025年3月5日完成。\n").filled_on is None
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "截至年底，本单位财政核定编制在职人员为 40 人，年末实有在职人员为 37 人，退休人员 21 人。",
            {"staffing_quota": 40, "staff_actual": 37, "retired": 21},
        ),
        (
            "机构编制部门核定人数80人、年末在职人数72人、离退休人数30人、外聘临时工人数9人。",
            {"staffing_quota": 80, "staff_actual": 72, "retired": 30, "temporary": 9},
        ),
        ("行政事业总编制为120个，其中行政编10个、事业编110个。", {"staffing_quota": 120}),
        ("学校在编教师数为42人。", {"staff_actual": 42}),
        # a portal that writes each cell on its own line, blank lines between
        (
            "一、基本情况\n\n人员编制\n\n18\n\n实有人数\n\n17\n\n职能职责\n\n负责全市工作。\n",
            {"staffing_quota": 18, "staff_actual": 17},
        ),
    ],
)
def test_more_staffing_shapes(text: str, expected: dict[str, int]) -> None:
    assert _staff(text) == expected


def test_a_page_number_between_blank_lines_after_prose_is_dropped() -> None:
    text = "一、基本情况\n本单位负责全市的各项工作，具体如下\n\n4\n\n所列各项。\n"
    assert [p.text for p in paragraphs(text)] == [
        "一、基本情况",
        "本单位负责全市的各项工作,具体如下所列各项。",
    ]


def test_traditional_characters_with_readings() -> None:
    doc = extract("項(xiàng)目支出績(jī)效自評(píng)報(bào)告\n評(píng)價(jià)年度:2022\n")
    assert doc.kind == "project"
    assert doc.year is not None and doc.year.value == 2022


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("示例县司法局部门整体支出绩效自评报告\n一、基本情况\n", "示例县司法局"),
        (
            "2021年度示例市人民政府办公室部门(单位)整体支出绩效评价自评报告\n",
            "示例市人民政府办公室",
        ),
        # (a line after the name: a name the text ends with may be cut there, test_real_shapes_cut)
        ("自评报告\n部门(单位)名称: 示例县新开镇政府\n评价方式:自评\n", "示例县新开镇政府"),
        # a portal's metadata line runs into the title's paragraph
        ("时效性: 有效\n示例州数据中心2024年度项目支出绩效自评报告\n", "示例州数据中心"),
    ],
)
def test_more_unit_shapes(text: str, unit: str) -> None:
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == unit


def test_unit_types_of_others_are_not_the_units() -> None:
    text = "主要职责：培训事业单位领导人员；指导司法行政机关履行职责。下设正处级事业单位某中心。"
    assert extract(text).unit_type is None
    assert extract("本局是市政府工作部门，为正科级行政单位。").unit_type is not None


def test_only_the_self_evaluation_notice_is_read() -> None:
    text = "根据《示例州财政局关于下达2022年补助资金的通知》(示财建发〔2022〕139号)，资金已到位。"
    assert extract(text).notice == {}


def test_budget_difference_and_zero_total_rows() -> None:
    text = "年初预算数185万元，年末支出合计325.89万元。支出合计比年初预算数多140.89万元。"
    assert _budget(text) == {"initial": Decimal(185), "executed": Decimal("325.89")}
    sheet = (
        "项目资金(万元) 年初预算数 全年预算数 全年执行数 分值 执行率 得分\n"
        "年度资金总额: 0 0 0 10 0 0\n其中:本年财政拨款 90 89.974 89.974\n"
    )
    assert _budget(sheet) == {
        "initial": Decimal(90),
        "full_year": Decimal("89.974"),
        "executed": Decimal("89.974"),
    }
    assert normalize_line("分值 10 100%") == "分值10 100%"  # two cells, not 10100%


@pytest.mark.parametrize(
    ("text", "executed"),
    [
        ("2022年支出56.30万元，其中基本支出40万元。", Decimal("56.30")),
        ("本年支出1200.50万元。", Decimal("1200.50")),
        ("项目资金已使用3.00万元。", Decimal("3.00")),
        ("截至年底已完成拨付180.5万元。", Decimal("180.5")),
    ],
)
def test_spending_said_plainly(text: str, executed: Decimal) -> None:
    assert _budget(text)["executed"] == executed


def test_a_parts_spending_is_not_the_years() -> None:
    assert "executed" not in _budget("“三公”经费支出:3.5万元。")


def test_unit_cell_with_an_agency_code() -> None:
    text = "项目支出绩效自评表\n项目名称 委托业务项目 主管部门 219-示例县某镇人民政府 实施单位 219001-示例县某镇人民政府 项目资金 (万元)\n"
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县某镇人民政府"


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("部门(单位)名称:示例县档案馆 预算编码:50501 报告日期:2018年06月13日\n", "2018-06-13"),
        ("报告日期:20220615\n", "2022-06-15"),
        ("报告期:2017 -7 - 25\n", "2017-07-25"),
    ],
)
def test_report_date_on_the_cover(text: str, date: str) -> None:
    doc = extract(text)
    assert doc.filled_on is not None and doc.filled_on.value.isoformat() == date


def test_cover_labels_end_the_unit_name() -> None:
    doc = extract("部门(单位)名称:示例县档案馆预算编码:50501评价方式:部门(单位)绩效自评\n")
    assert doc.unit_name is not None and doc.unit_name.value == "示例县档案馆"
    # a title and a label run together are no name
    doc = extract(
        "示例县2016年度部门(单位)整体支出绩效评价自评报告部门(单位)名称 示例县某中心\n评价方式:自评\n"
    )
    assert doc.unit_name is not None and doc.unit_name.value == "示例县某中心"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("项目支出绩效自评表\n项目名称 委托业务项目 主管部门 示例县财政局\n", "委托业务项目"),
        (
            "示例县第一小学2023年度项目支出绩效自评报告\n(教育专项工作经费)\n一、自评结论\n",
            "教育专项工作经费",
        ),
        (
            "示例市图书馆2022年度项目支出绩效自评报告(免费开放补助经费)\n一、自评结论\n",
            "免费开放补助经费",
        ),
    ],
)
def test_project_name_shapes(text: str, name: str) -> None:
    doc = extract(text)
    assert doc.project_name is not None and doc.project_name.value == name


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2021年度本专科生奖助学金项目自评结果\n一、自评结论\n", 2021),
        ("项目支出绩效自评表 (2022年度)\n项目名称 某项目 主管部门 某局\n", 2022),
    ],
)
def test_year_from_result_and_table_titles(text: str, year: int) -> None:
    doc = extract(text)
    assert doc.year is not None and doc.year.value == year


def test_notice_number_before_its_title() -> None:
    text = "根据示财绩〔2025〕5号《关于开展2024年县级财政资金绩效自评工作的通知》文件要求，我单位开展自评。"
    doc = extract(text)
    assert doc.notice["number"].value == "示财绩〔2025〕5号"
    assert doc.notice["year"].value == 2025


def test_notice_cited_as_a_file_without_title() -> None:
    text = "根据示例市财政局文件(示财绩〔2023〕2号)要求，我单位组织开展项目支出绩效自评工作。"
    assert extract(text).notice["number"].value == "示财绩〔2023〕2号"
    other = "根据示例市财政局文件(示财建〔2023〕9号)要求，我单位组织开展项目支出绩效自评工作。"
    assert extract(other).notice == {}  # a funds office's number is not the notice
