"""Shapes the ninth held-out set showed (#13, held13i): made-up texts.

The twelve reports of jixiao/audit/corpus/real marked ``heldout_batch: 10`` were audited once
before any rule changed (docs/audit.md keeps that first figure: two wrong values, one false
error); these are the general rules it called for. Each has the shape and a near miss: a wrong
value is worse than none. The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

from jixiao.audit import audit_text
from jixiao.audit.extract import extract

# ---- a portal's name alone on the line above the title ----------------------------------------

_TITLE = "示例县政协委员会2023年度部门整体支出绩效自评报告\n一、单位基本情况\n(一)单位概况\n"


def test_a_portal_name_line_is_no_part_of_the_title() -> None:
    # joined to the title, the portal's name became the first words of the unit's name
    doc = extract("示例县人民政府门户网站\n" + _TITLE).to_dict()
    assert doc["title"].startswith("示例县政协委员会2023年度")
    assert doc["unit_name"] == "示例县政协委员会"


def test_a_sentence_naming_a_portal_stays() -> None:
    # near miss: a line that says something of a portal is the report's own text
    text = _TITLE + "本单位负责维护示例县人民政府门户网站,全年发布信息120条。\n"
    paras = [p.text for p in extract(text).paras]
    assert any("门户网站" in p for p in paras)


# ---- an indicator row's target and actual run together after 执行率 ------------------------------

_HEAD = "项目名称 示例专项经费\n一、基本情况\n"


def _rate(text: str) -> str | None:
    return audit_text(_HEAD + text).extracted["budget"]["stated_execution_rate"]


def test_a_rate_followed_by_a_second_percentage_is_an_indicator_row() -> None:
    assert _rate("时效指标 预算执行率100%100%成本指标 严格成本控制100%100%\n") is None


def test_a_rate_standing_alone_is_still_read() -> None:
    # near miss: a sentence's rate, followed by words, is the funds' rate
    assert _rate("全年支出50万元,预算执行率80%,低于序时进度。\n") == "80"


# ---- 分别为 after a part opens that part's own breakdown --------------------------------------


def _codes(text: str) -> set[str]:
    return {f.code for f in audit_text(_HEAD + text).findings}


def test_a_nested_breakdown_is_not_added_to_its_siblings() -> None:
    text = (
        "本局项目支出安排预算为300.00万元,其中:一是示例基金200.00万元,分别为甲专项资金150.00万元、"
        "乙专项资金50.00万元;二是业务经费100.00万元。\n"
    )
    assert "sum_mismatch" not in _codes(text)


def test_parts_beyond_their_total_are_still_an_error() -> None:
    # near miss: the same list without 分别为 — parts side by side that exceed the total
    text = (
        "本局项目支出安排预算为300.00万元,其中:一是示例基金200.00万元,甲专项资金150.00万元、"
        "乙专项资金50.00万元。\n"
    )
    assert "sum_mismatch" in _codes(text)


# ---- a title cut after a conjunction ---------------------------------------------------------------

_BODY = "\n一、单位基本情况\n(一)单位概况\n本单位为一级预算单位,编制5人。\n"


def test_a_title_cut_after_its_conjunction_is_read_whole() -> None:
    # the mutated corpus (--mutate, hard breaks): 开远政协's 部门整体和 / 项目支出绩效自评报告 was read
    # from its second line alone, a project's report
    text = "示例市某委员会2022年度部门整体和\n项目支出绩效自评报告\n" + _BODY
    doc = extract(text)
    assert doc.kind == "department"
    assert doc.title_lines[0][2] == "示例市某委员会2022年度部门整体和项目支出绩效自评报告"


def test_a_sentence_ending_on_a_conjunction_is_no_part_of_the_title() -> None:
    # near miss: prose before the title (a comma in it) stays out; the title line is read alone
    text = "根据通知要求,现就资金使用和\n示例项目支出绩效自评报告\n" + _BODY
    doc = extract(text)
    assert doc.title_lines[0][2] == "示例项目支出绩效自评报告"
