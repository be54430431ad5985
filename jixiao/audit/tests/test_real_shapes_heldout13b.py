"""Shapes the second held-out set showed (#13, heldout13b): made-up texts.

The seventeen reports of jixiao/audit/corpus/real marked ``heldout_batch: 3`` were audited once
before any rule changed (docs/audit.md keeps that first figure); these are the general rules its
four wrong values called for. Each has the shape and a near miss that still reads: a wrong value is
worse than none. The texts are written for the test, never copied from one report.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.audit.extract import extract

# ---- a copy in traditional characters: names as the text writes them ----------------------

TRADITIONAL = (
    "示例縣東山鎮人民政府2023年度部門整體績效自評工作報告\n"
    "按照《示例縣財政局關于開展2023年度預算績效自評工作的通知》(示財發〔2024〕7號)文件要求,"
    "我單位開展了績效自評工作。\n"
    "一、基本情況\n項目預算安排120萬元,項目資金已使用100萬元。\n"
)


def test_a_name_in_a_traditional_copy_is_given_as_written() -> None:
    # the reader folds only the words it needs (縣→县, 鎮→镇, 財→财 …): 東 stays, so the name it
    # reads is half converted (示例县東山镇人民政府) — neither the text's nor a real one. Since
    # read13 the name is given as the text writes it (before, not at all: held13b's rule)
    doc = extract(TRADITIONAL)
    assert doc.unit_name is not None and doc.unit_name.value == "示例縣東山鎮人民政府"
    assert doc.notice["number"].value == "示財發〔2024〕7號"
    assert not any("繁体字" in m for m in doc.missing)
    assert doc.year is not None and doc.year.value == 2023  # figures and the year still read


def test_the_same_report_in_simplified_characters_keeps_its_names() -> None:
    simplified = (
        "示例县东山镇人民政府2023年度部门整体绩效自评工作报告\n"
        "按照《示例县财政局关于开展2023年度预算绩效自评工作的通知》(示财发〔2024〕7号)文件要求,"
        "我单位开展了绩效自评工作。\n"
        "一、基本情况\n项目预算安排120万元,项目资金已使用100万元。\n"
    )
    doc = extract(simplified)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县东山镇人民政府"
    assert doc.notice["number"].value == "示财发〔2024〕7号"
    # a lone 於 (a surname) in a simplified report is no traditional copy
    doc = extract(simplified.replace("我单位", "於明同志带领我单位"))
    assert doc.unit_name is not None and doc.notice


# ---- a figure past 其中 is a part's, not the lead's -------------------------------------------


def test_an_executed_lead_does_not_take_a_figure_after_qizhong() -> None:
    # an OCR'd 自评表: the cells out of order, the first amount after 全年执行数 is the 补助's
    text = (
        "示例种薯推广项目绩效目标自评表(2022年度)\n"
        "资金情况(万元)年度资金总额全年预算数(A)300全年执行数(B)执行率(B/A)其中中央补助"
        "自治区补助300万元\n"
    )
    assert "executed" not in extract(text).budget


def test_an_executed_lead_with_its_own_figure_is_read() -> None:
    text = "示例种薯推广项目绩效自评报告(2022年度)\n全年执行数259.45万元,其中中央补助200万元。\n"
    assert extract(text).budget["executed"].value == Decimal("259.45")


# ---- a 项目名称 cell that shares nothing with the title's project ------------------------------


def test_a_project_cell_disagreeing_with_the_title_is_not_read() -> None:
    text = (
        "马铃薯种薯繁育示范推广项目绩效目标自评表(2022年度)项目总得分99分"
        "项目名称碟令薯樽轴示施项目实施单位/项目负责人示例区农技中心/张三\n"
    )
    assert extract(text).project_name is None


def test_a_project_cell_agreeing_with_the_title_is_read() -> None:
    text = (
        "马铃薯种薯繁育示范推广项目绩效目标自评表(2022年度)项目总得分99分"
        "项目名称2022年马铃薯种薯繁育项目实施单位/项目负责人示例区农技中心/张三\n"
    )
    name = extract(text).project_name
    assert name is not None and name.value == "2022年马铃薯种薯繁育项目"
