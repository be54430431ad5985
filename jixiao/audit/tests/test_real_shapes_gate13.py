"""The disagreement gate (#13, gate13, jixiao/audit/gate.py): made-up texts.

A field the text states two ways that do not fit is not read, and a not_found line says why; two
mentions that agree, or one the text's own figures confirm, are read as before. Each shape has its
near miss. The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jixiao.audit import audit_text
from jixiao.audit.extract import extract

DEPARTMENT_HEAD = (
    "示例县水利局2024年度部门整体支出绩效自评报告\n一、部门基本情况\n我局内设3个股室。\n"
)

# ---- the execution rate --------------------------------------------------------------------------


def test_two_whole_rates_without_figures_give_no_rate() -> None:
    text = DEPARTMENT_HEAD + "二、预算执行情况\n本年度预算执行率100%。\n年末预算执行率86%。\n"
    doc = extract(text)
    assert doc.to_dict()["budget"]["stated_execution_rate"] is None
    assert any("互不相符的执行率 100%、86%" in m for m in doc.missing)


def test_of_two_rates_the_one_the_figures_confirm_is_read() -> None:
    text = (
        DEPARTMENT_HEAD + "二、预算执行情况\n全年预算数808.10万元,全年执行数692.98万元。\n"
        "预算执行率100%。\n实际预算执行率86%。\n"
    )
    doc = extract(text)
    assert doc.to_dict()["budget"]["stated_execution_rate"] == "86"
    assert [r.percent for r in doc.rates if r.kind == "execution"] == [Decimal(86)]
    # (the 100 the figures contradict is gone, and with it the check's false error)
    report = audit_text(text)
    assert not [f for f in report.findings if f.code == "execution_rate_mismatch"]


def test_one_rate_written_to_two_places_is_read() -> None:
    # near miss: 96% and 96.34% are one rate
    text = DEPARTMENT_HEAD + "二、预算执行情况\n预算执行率96.34%。\n总体看,执行率96%。\n"
    doc = extract(text)
    assert doc.to_dict()["budget"]["stated_execution_rate"] == "96.34"
    assert not doc.withheld


def test_spending_far_from_its_stated_rate_is_not_read() -> None:
    # a cell read one off: 10 元 of a 38.77 万元 budget beside its 100%
    text = (
        DEPARTMENT_HEAD + "二、预算执行情况\n全年预算数38.77万元,全年执行数10元,预算执行率100%。\n"
    )
    doc = extract(text)
    assert "executed" not in doc.budget
    assert doc.to_dict()["budget"]["stated_execution_rate"] is None
    assert not [f for f in audit_text(text).findings if f.code == "execution_rate_mismatch"]


def test_a_rate_a_few_points_off_is_read_and_found() -> None:
    # near miss: 95.00 for 47.68 of 50 (95.36 %) is the report's miscalculation, not a misread
    text = (
        DEPARTMENT_HEAD
        + "二、预算执行情况\n全年预算数50万元,全年执行数47.68万元,预算执行率95.00%。\n"
    )
    doc = extract(text)
    assert doc.budget["executed"].value == Decimal("47.68")
    assert doc.to_dict()["budget"]["stated_execution_rate"] == "95.00"
    assert any(f.code == "execution_rate_mismatch" for f in audit_text(text).findings)


# ---- the unit ------------------------------------------------------------------------------------


def test_a_signature_naming_another_unit_leaves_the_unit_unread() -> None:
    text = (
        "单位名称:示例县水利局\n" + DEPARTMENT_HEAD + "二、其他\n无。\n三、结论\n总体良好。\n"
        "示例县林业局\n2025年3月1日\n"
    )
    doc = extract(text)
    assert doc.unit_name is None
    assert any("落款写作“示例县林业局”" in m for m in doc.missing)


def test_a_signature_naming_the_unit_short_or_in_full_keeps_it() -> None:
    # near miss: the signature the same unit without its place
    text = (
        "单位名称:示例县水利局\n" + DEPARTMENT_HEAD + "二、其他\n无。\n三、结论\n总体良好。\n"
        "水利局\n2025年3月1日\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县水利局"


def test_a_place_read_where_its_government_signs_is_not_the_unit() -> None:
    # the place read from the opening sentence, its government signing: another body
    text = (
        "示例项目绩效自评报告\n现将2024年示例县示例镇项目支出绩效自评情况报告如下:\n"
        "一、项目基本情况\n项目资金100万元。\n二、绩效目标\n完成。\n三、其他\n无。\n"
        "示例县示例镇人民政府\n2025年3月1日\n"
    )
    doc = extract(text)
    assert doc.unit_name is None
    assert any("落款写作“示例县示例镇人民政府”" in m for m in doc.missing)


def test_a_title_naming_the_place_of_the_government_read_keeps_it() -> None:
    # near miss: 示例镇 in the title, its government in the 单位名称 line
    text = (
        "示例镇2024年度部门整体支出绩效自评报告\n单位名称:示例县示例镇人民政府\n"
        "一、部门基本情况\n我镇内设5个办公室。\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县示例镇人民政府"
    assert "unit_name" not in doc.withheld


def test_a_shortened_autonomous_county_is_the_same_unit() -> None:
    # near miss: 示例县 for 示例回族自治县 (the same first two characters), the rest alike
    text = (
        "示例县林业局2024年度部门整体支出绩效自评报告\n单位名称:示例回族自治县林业局\n"
        "一、部门基本情况\n我局内设3个股室。\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and "unit_name" not in doc.withheld


# ---- the year ------------------------------------------------------------------------------------


def test_a_title_and_an_opening_naming_two_years_give_no_year() -> None:
    text = (
        "示例县水利局2024年度部门整体支出绩效自评报告\n"
        "现将2023年度示例县水利局整体支出绩效自评情况报告如下:\n一、部门基本情况\n内设3个股室。\n"
    )
    doc = extract(text)
    assert doc.to_dict()["year"] is None
    assert any("开头写 2023 年度" in m for m in doc.missing)
    # (the checks still hold the report to the two years: year_mismatch says they differ)
    assert any(f.code == "year_mismatch" for f in audit_text(text).findings)


def test_a_forms_evaluated_year_stands_against_another_in_the_text() -> None:
    # near miss: 评价年度 2024 is the text's strongest word; 2023年度 elsewhere is the report's slip
    text = (
        "部门整体支出绩效自评报告\n评价年度:2024年\n"
        "现将2023年度示例县水利局整体支出绩效自评情况报告如下:\n一、部门基本情况\n内设3个股室。\n"
    )
    doc = extract(text)
    assert doc.to_dict()["year"] == 2024
    assert any(f.code == "year_mismatch" for f in audit_text(text).findings)


def test_a_funds_year_in_the_title_over_the_year_line_agrees() -> None:
    # near miss: 2023年 without 度 names the funds; (2024年度) under it is the year, no doubt
    text = (
        "示例县林业局2023年示例造林补助资金项目支出绩效自评报告\n(2024年度)\n"
        "一、项目基本情况\n项目资金100万元。\n"
    )
    doc = extract(text)
    assert doc.to_dict()["year"] == 2024


# ---- the kind ------------------------------------------------------------------------------------


def test_a_text_that_never_says_department_gets_no_kind() -> None:
    # no title, funds passed down and spent: nothing says whose report it is
    text = (
        "根据示例县财政局的通知要求,现将自评情况报告如下:\n一、基本情况\n"
        "上级下达示例资金100万元,已全部拨付到位。\n二、绩效目标完成情况\n完成改造50户。\n"
    )
    doc = extract(text)
    assert doc.kind == "department"  # (the checks still need one)
    assert doc.to_dict()["kind"] is None
    assert any("报告类型" in m for m in doc.missing)


def test_a_text_with_the_departments_establishment_is_a_departments() -> None:
    # near miss: the same text with the unit's posts (人员编制) is a department's
    text = (
        "根据示例县财政局的通知要求,现将自评情况报告如下:\n一、基本情况\n"
        "我局核定人员编制10名。上级下达示例资金100万元,已全部拨付到位。\n"
    )
    assert extract(text).to_dict()["kind"] == "department"


def test_a_forms_evaluation_mode_says_no_kind() -> None:
    # 评价方式:部门(单位)绩效自评 says who evaluated, not what was evaluated
    text = (
        "示例县财政支出政策绩效评价报告\n评价方式:部门(单位)绩效自评\n"
        "一、基本情况\n上级下达示例资金100万元。\n"
    )
    assert extract(text).to_dict()["kind"] is None


def test_one_reading_still_reads_as_before() -> None:
    # near miss of every gate: each field stated once
    text = (
        DEPARTMENT_HEAD + "二、预算执行情况\n全年预算数100万元,全年执行数96万元,预算执行率96%。\n"
        "示例县水利局\n2025年3月1日\n"
    )
    doc = extract(text)
    assert not doc.withheld
    data = doc.to_dict()
    assert data["kind"] == "department" and data["year"] == 2024
    assert data["unit_name"] == "示例县水利局"
    assert data["budget"]["stated_execution_rate"] == "96"
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2025, 3, 1)


# ---- the draft for the web form ------------------------------------------------------------------


def test_the_draft_leaves_out_what_the_gate_withholds() -> None:
    from jixiao.audit.prefill import prefill

    text = (
        "示例县水利局2024年度部门整体支出绩效自评报告\n"
        "现将2023年度示例县水利局整体支出绩效自评情况报告如下:\n一、部门基本情况\n内设3个股室。\n"
        "二、预算执行情况\n本年度预算执行率100%。\n年末预算执行率86%。\n"
    )
    draft = prefill(extract(text))
    assert "year" not in draft["data"]
    assert "execution_rate" not in draft["claims"]


def test_the_draft_marks_a_kind_the_text_never_states_as_a_guess() -> None:
    from jixiao.audit.prefill import prefill

    text = (
        "根据示例县财政局的通知要求,现将自评情况报告如下:\n一、基本情况\n"
        "上级下达示例资金100万元,已全部拨付到位。\n"
    )
    kind = prefill(extract(text))["fields"]["kind"]
    assert kind["confidence"] == "low" and "报告类型" in kind["note"]


def test_a_title_naming_the_unit_by_its_level_alone_keeps_it() -> None:
    # near miss: a portal's heading 县档案馆…, the full name on the next line and the 部门名称 line
    text = (
        "县档案馆2024年部门整体支出绩效自评报告\n示例回族自治县档案馆2024年部门整体支出绩效自评报告\n"
        "部门名称:示例回族自治县档案馆\n一、部门概况\n(一)部门机构设置、编制\n内设2个科室。\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例回族自治县档案馆"
    assert "unit_name" not in doc.withheld


def test_a_traditional_copys_name_as_written_agrees_with_its_folded_title() -> None:
    # near miss: the unit is given as the copy writes it, the title's candidate is read folded
    text = "示例縣水務局2022年度項目支出績效自評報告\n單位名稱:示例縣水務局\n一、項目基本情況\n項目資金100萬元。\n"
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例縣水務局"
    assert "unit_name" not in doc.withheld
