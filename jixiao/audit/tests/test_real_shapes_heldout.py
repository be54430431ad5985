"""Shapes the held-out real reports showed (#13, heldout13): made-up texts.

The seventeen held-out reports of jixiao/audit/corpus/real (``heldout: true``) were audited once
before any rule changed; these are the general rules their first run called for. Each has the
shape it reads and a near-miss that must read nothing (or read what it read before): a wrong value
is worse than none. The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit import audit_text
from jixiao.audit.extract import extract


def codes(text: str) -> set[str]:
    return {f.code for f in audit_text(text).findings}


# ---- the kind: a transfer payment's self-evaluation is a project's --------------------------


def test_a_transfer_payment_report_is_a_project_report() -> None:
    text = (
        "示例市林业局2021年度中央对地方转移支付预算执行情况绩效自评报告\n"
        "一、绩效目标分解下达情况\n中央下达补助资金120万元。\n"
    )
    assert extract(text).kind == "project"


def test_a_department_report_mentioning_transfer_payments_stays_a_department_s() -> None:
    text = (
        "示例县财政局2021年度部门整体支出绩效自评报告\n"
        "一、部门基本情况\n本年管理上级转移支付资金300万元。\n"
    )
    assert extract(text).kind == "department"


# ---- the project name: where a cover's cells run together -------------------------------------


def test_a_project_name_run_into_the_next_label_is_not_read() -> None:
    # 项目 may end the name or begin 项目负责人: which one cannot be told
    text = (
        "绩效目标自评表(2022年度)项目名称示例县灌区节水改造工程项目负责人及电话张三13900000000"
        "主管部门示例县水利局实施单位示例县水利局\n"
    )
    assert extract(text).project_name is None


def test_a_project_name_before_a_separated_label_is_read() -> None:
    doc = extract(
        "项目名称 | 示例县灌区节水改造工程 | 项目负责人 | 张三 | 主管部门 | 示例县水利局\n"
    )
    assert doc.project_name is not None
    assert doc.project_name.value == "示例县灌区节水改造工程"


def test_a_project_name_cell_loses_its_bars() -> None:
    text = "项目支出绩效自评表 | 项目名称 | 示例营养改善补助资金 | 主管部门 | 示例县教育局 |\n"
    doc = extract(text)
    assert doc.project_name is not None and doc.project_name.value == "示例营养改善补助资金"


# ---- cells run together: no score or rate has four digits ------------------------------------


def test_a_score_of_two_cells_run_together_is_not_read() -> None:
    text = "绩效目标自评表(2022年度)满意度指标受益群众满意度10≥95%≥95%10总分100100注:1.一级指标\n"
    assert extract(text).total_score is None
    assert "score_out_of_range" not in codes(text)


def test_a_score_above_its_points_is_still_read() -> None:
    doc = extract("项目支出绩效自评报告\n评价年度:2022年\n自评总分105分,等级为优。\n")
    assert doc.total_score is not None and doc.total_score.value == Decimal(105)


def test_a_rate_of_cells_run_together_is_not_read() -> None:
    text = (
        "资金情况(万元)全年预算数(A)全年执行数(B)分值执行率(B/A)得分年度资金总额:202010100.00%10\n"
    )
    # the run is never read as a rate (10100.00 %); since read13 the row is cut where exactly one
    # cut checks (20 | 20 | 10 | 100.00% | 10), and the rate is that cut's
    assert [r.percent for r in extract(text).rates] == [Decimal("100.00")]
    # a run no cut checks gives no rate at all
    assert [r.percent for r in extract(text.replace("100.00%", "90.00%")).rates] == []


def test_an_execution_rate_above_one_hundred_is_still_read() -> None:
    rates = extract("本年预算执行率为108.20%,超出部分为上年结转。\n").rates
    assert [r.percent for r in rates] == [Decimal("108.20")]


# ---- a funds row that lost an empty cell --------------------------------------------------------

_FUNDS_HEADER = "项目资金(万元) | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分 |\n"


def test_a_funds_row_one_cell_short_is_not_read() -> None:
    # six columns, five figures: the 分值 10 would be read as the amount executed
    doc = extract(_FUNDS_HEADER + "| 年度资金总额 | 5000 | 5000 | 10 | 100% | 10 |\n")
    assert {k: v.value for k, v in doc.budget.items()} == {}
    assert "execution_rate_mismatch" not in codes(
        _FUNDS_HEADER + "| 年度资金总额 | 5000 | 5000 | 10 | 100% | 10 |\n"
    )


def test_a_full_funds_row_is_read() -> None:
    doc = extract(_FUNDS_HEADER + "| 年度资金总额 | 5000 | 5200 | 5200 | 10 | 100% | 10 |\n")
    assert {k: v.value for k, v in doc.budget.items()} == {
        "initial": Decimal(5000),
        "full_year": Decimal(5200),
        "executed": Decimal(5200),
    }


# ---- the year: a title's funds year against the year under it --------------------------------


def test_the_year_under_the_title_wins_over_the_funds_year_in_it() -> None:
    text = (
        "示例县林业局2023年造林补助资金项目支出绩效自评报告\n(2024年度)\n"
        "部门名称(公章):示例县林业局\n一、项目基本情况\n本项目2024年实施。\n"
    )
    doc = extract(text)
    assert doc.year is not None and doc.year.value == 2024
    assert "year_mismatch" not in codes(text)


def test_a_title_stating_its_evaluated_year_keeps_it() -> None:
    text = "示例县林业局2023年度造林补助资金项目支出绩效自评报告\n(2024年度)\n一、项目基本情况\n"
    doc = extract(text)
    assert doc.year is not None and doc.year.value == 2023


def test_a_title_year_with_the_same_year_under_it() -> None:
    text = "示例县林业局2024年造林补助资金项目支出绩效自评报告\n(2024年度)\n一、项目基本情况\n"
    doc = extract(text)
    assert doc.year is not None and doc.year.value == 2024


# ---- the unit: a section of it is not the unit -------------------------------------------------


def test_the_department_on_the_cover_not_its_section() -> None:
    text = (
        "示例县林业局造林补助资金项目支出绩效自评报告\n"
        "部门名称(公章):示例县林业和草原局\n"
        "项目单位:示例县林业和草原局资源管理科\n"
        "主管部门:示例县林业和草原局\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县林业和草原局"


def test_a_section_alone_is_no_unit() -> None:
    doc = extract("项目支出绩效自评报告\n项目单位:示例县林业和草原局资源管理科\n")
    assert doc.unit_name is None or doc.unit_name.value != "示例县林业和草原局资源管理科"


def test_a_unit_with_ke_inside_its_name_is_read() -> None:
    doc = extract(
        "项目支出绩效自评报告\n项目单位:示例县农业科学研究所\n主管部门:示例县农业农村局\n"
    )
    assert doc.unit_name is not None and doc.unit_name.value == "示例县农业科学研究所"


# ---- the form's standing note is no instruction left unanswered -------------------------------


_SHEET = (
    "部门预算项目支出绩效自评表(2023年度)\n项目名称 | 示例工作经费 |\n"
    "预算执行情况(10分) | 年初预算 | 调整后预算数 | 预算执行数 | 预算执行率 |\n"
    "总额 | 10.00 | 10.00 | 10.00 | 100.00% |\n"
)


def test_the_form_s_standing_rule_is_not_a_placeholder() -> None:
    text = _SHEET + (
        "1.预算执行率=预算执行数/调整后预算数,预算执行率未达到90%的需说明原因(100字以内);"
        "2.年中发生预算调整的(追加或调减),应单独说明理由。\n"
        "评价结论 | 项目按计划完成,自评得分100分。 |\n"
    )
    assert "placeholder_text" not in codes(text)


def test_an_instruction_left_as_the_answer_is_still_found() -> None:
    text = (
        _SHEET + "评价结论 | 结合自评情况,说明项目自评总分,说明项目实施取得的成效。(200字以内) |\n"
    )
    assert "placeholder_text" in codes(text)


# ---- defects the held-out reports had and the checks did not find ------------------------------


def test_a_part_s_execution_of_nought_without_a_reason() -> None:
    text = (
        "示例市林业局2021年度中央对地方转移支付预算执行情况绩效自评报告\n"
        "中央财政补助资金全年共120万元,拨付使用了120万元,预算执行率100%。\n"
        "管护补助资金全年共8万元,当年未使用,预算执行率0%。\n"
    )
    assert "execution_low_unexplained" in codes(text)


def test_nought_with_its_reason_or_in_a_sheet_s_row_is_no_finding() -> None:
    with_reason = (
        "示例市林业局2021年度中央对地方转移支付预算执行情况绩效自评报告\n"
        "管护补助资金全年共8万元,因项目尚未验收,预算执行率0%。\n"
    )
    assert "execution_low_unexplained" not in codes(with_reason)
    sheet_row = _FUNDS_HEADER + "| 年度资金总额 | 0 | 0 | 0 | 10 | 0% | 0 |\n"
    assert "execution_low_unexplained" not in codes(sheet_row)


def test_a_signature_date_left_blank_in_a_sheet_s_cell() -> None:
    text = "项目支出绩效自评报告\n报告撰写人(签字):\n年 月 日 | ||||\n一、项目基本情况\n"
    assert "filled_on_blank" in codes(text)


def test_a_signature_date_filled_in_a_sheet_s_cell() -> None:
    text = "项目支出绩效自评报告\n报告撰写人(签字):\n2025年 3月 5日 | ||||\n一、项目基本情况\n"
    assert "filled_on_blank" not in codes(text)


def test_a_self_evaluation_date_without_its_day() -> None:
    text = (
        "示例县林业局项目支出绩效自评报告\n(2024年度)\n绩效自评日期: 2025年5月\n一、项目基本情况\n"
    )
    assert extract(text).filled_on is None
    assert "filled_on_incomplete" in codes(text)


def test_a_self_evaluation_date_in_full_is_the_report_s_date() -> None:
    text = "示例县林业局项目支出绩效自评报告\n(2024年度)\n绩效自评日期: 2025年5月8日\n一、项目基本情况\n"
    doc = extract(text)
    assert doc.filled_on is not None and str(doc.filled_on.value) == "2025-05-08"
    assert "filled_on_incomplete" not in codes(text)


def test_an_actual_written_as_its_target_s_bound() -> None:
    # the cells of a 自评表 run together: 分值 10, 指标值 ≥95%, 实际值 ≥95%, 得分 10
    text = "绩效目标自评表(2022年度)满意度指标受益群众满意度10≥95%≥95%10安装标尺10≥200米≥200米10\n"
    assert "actual_missing" in codes(text)


@pytest.mark.parametrize(
    "row",
    [
        "受益群众满意度 | ≥95% | ≥95% | 96% | 10 | 10",  # 年初 and 调整 指标值, then the value
        "受益群众满意度 | ≥95% | 96% | 10 | 10",
        "受益群众满意度 | ≥90% | ≥95% | 10 | 10",  # two different bounds
    ],
)
def test_a_bound_with_a_value_is_no_missing_actual(row: str) -> None:
    assert "actual_missing" not in codes("项目支出绩效自评表(2022年度)\n" + row + "\n")


_INDICATOR_HEADER = (
    "绩效指标(90分) | 一级指标 | 二级指标 | 三级指标 | 指标性质 | 指标值 | 度量单位 | 完成值 | "
    "权重 | 得分 | 未完成原因分析 |\n"
)


def test_a_figure_s_actual_answered_with_a_word() -> None:
    text = (
        _INDICATOR_HEADER + "产出指标 | 成本指标 | 工程成本 | ≤ | 30 | 万元 | 完成 | 90 | 90 | |\n"
    )
    assert "actual_missing" in codes(text)


def test_a_word_s_actual_answered_with_a_word() -> None:
    text = (
        _INDICATOR_HEADER + "产出指标 | 质量指标 | 工程质量 | 定性 | 达标 | | 达标 | 90 | 90 | |\n"
    )
    assert "actual_missing" not in codes(text)


_EXECUTION_PARTS = (
    "示例单位2023年度整体支出绩效自评报告\n一、部门基本情况\n本单位共有编制10名。\n"
    "二、一般公共预算支出情况\n基本支出120.5万元,项目支出30万元。\n"
    "三、政府性基金预算支出情况\n{part}\n四、部门整体支出绩效情况\n本单位全年运行正常。\n"
    "五、存在的问题\n无。\n"
)


def test_a_part_that_had_nothing_to_spend_states_its_figure() -> None:
    text = _EXECUTION_PARTS.format(part="本单位无政府性基金预算支出。")
    assert "execution_missing" not in codes(text)


def test_a_part_without_its_figure_is_still_found() -> None:
    text = _EXECUTION_PARTS.format(part="政府性基金预算资金按规定使用,管理规范。")
    assert "execution_missing" in codes(text)


# ---- fields the held-out reports state in a page's table ---------------------------------------


def test_the_unit_in_a_page_table_s_cell() -> None:
    text = (
        "部门整体支出绩效自评表 | ||||\n单位(盖章):示例县示例镇人民政府 | 填报日期:2022年2月3日 | |||\n"
        "部门(单位)名称 | 示例县示例镇人民政府 | |||\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县示例镇人民政府"
    alone = extract("部门整体支出绩效自评表\n部门(单位)名称 | 示例县示例镇人民政府 | |||\n")
    assert alone.unit_name is not None and alone.unit_name.value == "示例县示例镇人民政府"


def test_a_header_cell_after_the_unit_label_is_no_unit() -> None:
    doc = extract("部门整体支出绩效自评表\n单位名称 | 资金金额 | 执行率 |\n")
    assert doc.unit_name is None


def test_the_project_in_a_page_table_s_cell() -> None:
    text = "项目支出绩效自评表(2023年度) | |||\n项目名称 | 5101-2023年示例补助资金项目 | ||||\n主管部门 | 示例局 |\n"
    doc = extract(text)
    assert doc.project_name is not None
    assert doc.project_name.value == "5101-2023年示例补助资金项目"


def test_a_list_s_header_row_gives_no_project() -> None:
    text = "项目支出绩效自评汇总表\n项目名称 | 主管部门 | 实施单位 | 自评得分 |\n"
    assert extract(text).project_name is None


def test_a_score_label_with_its_unit() -> None:
    doc = extract("部门整体绩效自评表 主管部门 财政处室 自评总分(分)97.6部门联系人 张三\n")
    assert doc.total_score is not None and doc.total_score.value == Decimal("97.6")
    assert extract("部门整体绩效自评表 自评总分(分) 部门联系人 张三\n").total_score is None


_SCORE_SHEET = (
    "项目支出绩效自评表\n| 一级指标 | 三级指标 | 指标值 | 实际完成值 | 分值 | 得分 |\n"
    "| 产出指标 | 受益人数 | 100人 | 100人 | 90 | 90 |\n"
)


def test_the_grade_in_the_cell_after_the_sheet_s_total_score() -> None:
    doc = extract(_SCORE_SHEET + "| 其他需要说明事项 | 无 | 总分 | 100 | 96 | 优 |\n")
    assert doc.total_score is not None and doc.total_score.value == Decimal(96)
    assert doc.grade is not None and doc.grade.value == "优"


def test_no_grade_in_the_cell_after_the_score_is_no_grade() -> None:
    doc = extract(_SCORE_SHEET + "| 其他需要说明事项 | 无 | 总分 | 100 | 96 | 无 |\n")
    assert doc.grade is None


@pytest.mark.parametrize(
    ("title", "project"),
    [
        ("示例县2023年度国家基本公共卫生服务项目绩效评价自评报告", "国家基本公共卫生服务项目"),
        ("示例县2019年度生态护林员项目绩效评价报告", "生态护林员项目"),
        # 项目支出 is the kind: the 项目 is not the name's
        ("2024年度林业生态保护恢复资金项目支出绩效评价报告", "林业生态保护恢复资金"),
    ],
)
def test_the_project_between_the_title_s_year_and_its_kind(title: str, project: str) -> None:
    doc = extract(title + "\n一、项目基本情况\n本项目资金50万元。\n")
    assert doc.project_name is not None and doc.project_name.value == project


@pytest.mark.parametrize(
    "title",
    ["示例中心2024年度项目支出绩效自评报告", "示例局2024年度部门整体支出项目绩效自评报告"],
)
def test_a_title_naming_no_project_gives_none(title: str) -> None:
    doc = extract(title + "\n一、项目基本情况\n本项目资金50万元。\n")
    assert doc.project_name is None


# ---- the second held-out batch ---------------------------------------------------------------


def test_a_department_s_evaluation_of_a_project_is_a_project_report() -> None:
    # 部门评价: organised by a department, here of its special funds
    text = (
        "部门评价报告根据县财政局要求,我办对2021年专项工作经费绩效情况进行了检查,现报告如下:"
        "一、项目基本情况 (一)项目概况。专项工作经费主要用于事业单位登记。\n"
    )
    assert extract(text).kind == "project"


def test_a_department_titled_report_without_project_parts_stays_a_department_s() -> None:
    text = (
        "示例局2024年度部门绩效自评报告\n一、部门基本情况\n本局编制10名。\n"
        "二、预算执行情况\n基本支出80万元,项目支出30万元。\n"
    )
    assert extract(text).kind == "department"


# ---- the publisher of a place's report ---------------------------------------------------------


def _published(publisher: str, title: str) -> str:
    return (
        f"索引号: | 0001/2024-01 | 发布机构: | {publisher} | 主题分类: | 财政 |\n"
        f"{title}\n一、项目基本情况\n本项目资金590万元,执行率100%。\n"
    )


def test_the_publisher_of_a_report_titled_by_its_place() -> None:
    doc = extract(_published("示例县林业和草原局", "示例县2019年度生态护林员项目绩效评价报告"))
    assert doc.unit_name is not None and doc.unit_name.value == "示例县林业和草原局"


@pytest.mark.parametrize(
    ("publisher", "title"),
    [
        # a 财政局 publishes other units' reports in its own column
        ("示例县财政局", "示例县2019年度生态护林员项目绩效评价报告"),
        # another place's report
        ("示例县林业和草原局", "其他县2019年度生态护林员项目绩效评价报告"),
    ],
)
def test_a_publisher_that_need_not_be_the_unit_is_not_read(publisher: str, title: str) -> None:
    assert extract(_published(publisher, title)).unit_name is None
