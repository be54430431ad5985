"""Shapes the third held-out set showed (#13, held13c): made-up texts.

The seventeen reports of jixiao/audit/corpus/real marked ``heldout_batch: 4`` were audited once
before any rule changed (docs/audit.md keeps that first figure); these are the general rules its
wrong values and false errors called for, then the unread fields. Each has the shape and a near
miss: a wrong value is worse than none. The texts are written for the test, never copied from one
report.
"""

from __future__ import annotations

import datetime as dt

from jixiao.audit import audit_text
from jixiao.audit.extract import extract
from jixiao.audit.normalize import paragraphs

# ---- a part answered 无 on its own line, then the signature ---------------------------------

SIGNED_AFTER_NONE = (
    "示例专项资金项目自评报告\n"
    "一、项目基本情况\n示例县关爱工作委员会的专项资金,用于资助困难学生。\n"
    "二、项目绩效自评工作开展情况\n对资金使用情况开展了自评。\n"
    "三、项目绩效实现情况\n2023年,财政预算项目资金12万元,支付12万元。\n"
    "四、其他需说明的问题\n"
    "无\n"
    "中共示例县委办公室\n"
    "2024年5月6日"
)


def test_the_signature_after_a_bare_none_is_the_unit() -> None:
    # 无 has no full stop, and the signature line used to join it: 无中共示例县委办公室 ends as a
    # name does and was read as the unit
    doc = extract(SIGNED_AFTER_NONE)
    assert doc.unit_name is not None and doc.unit_name.value == "中共示例县委办公室"
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2024, 5, 6)


def test_a_line_that_only_ends_in_none_still_runs_on() -> None:
    # a sentence broken after 无 (a pdf's line end) is one paragraph: only a line that is the
    # answer alone closes it
    paras = paragraphs("本年度资金使用规范,未发现挤占挪用,亦无\n违规支出情况。\n")
    assert [p.text for p in paras] == ["本年度资金使用规范,未发现挤占挪用,亦无违规支出情况。"]
    paras = paragraphs("四、其他需说明的问题\n暂无\n示例县林业局\n")
    assert [p.text for p in paras] == ["四、其他需说明的问题", "暂无", "示例县林业局"]


# ---- the signature under a line that joined it ----------------------------------------------

SIGNED_UNDER_ATTACHMENT = (
    "示例县示例镇人民政府:\n"
    "现将2024年示例县示例镇示例社区排水沟建设项目绩效目标自评报告如下:\n"
    "一、绩效目标分解下达情况\n安排项目资金30万元,新建排水沟800米。\n"
    "二、绩效目标自评工作开展情况\n对项目建设内容是否按计划完成进行了自评。\n"
    "三、绩效目标自评完成情况分析\n下达建设资金30万元,项目已验收结算。\n"
    "四、绩效自评结果拟应用和公开情况\n本次自评结果在系统内部公开。\n"
    "附件:2024年示例县示例镇示例社区排水沟建设项目自评表[点击下载]\n"
    "示例县示例镇人民政府\n"
    "2025年1月20日"
)


def test_a_signature_line_is_read_even_when_the_line_above_joined_it() -> None:
    # the attachment link has no full stop, so the signature and the date joined its paragraph;
    # they are still lines of their own
    doc = extract(SIGNED_UNDER_ATTACHMENT)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县示例镇人民政府"
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2025, 1, 20)


def test_a_sentence_ending_the_report_is_no_signature() -> None:
    text = SIGNED_UNDER_ATTACHMENT.rsplit("附件", 1)[0] + "以上情况特此报告,请审阅\n各乡镇配合完成"
    doc = extract(text)
    assert doc.unit_name is None
    assert doc.filled_on is None


# ---- 现将…某镇某社区…项目: the township is the project's place ---------------------------------


def test_a_township_running_into_the_project_is_no_unit() -> None:
    text = (
        "现将2024年示例县示例镇示例社区产业设施配套项目绩效目标自评报告如下:\n"
        "一、绩效目标分解下达情况\n安排项目资金56万元。\n"
    )
    doc = extract(text)
    assert doc.unit_name is None  # 示例县示例镇 is where the project is, not who reports


def test_a_bureau_before_its_fund_is_the_unit() -> None:
    text = (
        "现将2022年示例县交通运输局财政衔接推进乡村振兴资金项目绩效自评总结报告如下:\n"
        "一、绩效目标分解下达情况\n项目计划投资2179万元。\n"
    )
    doc = extract(text)
    assert doc.unit_name is not None and doc.unit_name.value == "示例县交通运输局"
    # and a township whose own spending follows is the unit
    doc = extract("现将2021年示例县示例镇整体支出绩效自评情况报告如下:\n一、基本情况\n")
    assert doc.unit_name is not None and doc.unit_name.value == "示例县示例镇"


# ---- the 转移支付 / 衔接资金 outline --------------------------------------------------------------


def _codes(text: str) -> list[str]:
    return [f.code for f in audit_text(text).findings if f.severity == "error"]


def test_the_transfer_outline_has_its_own_parts() -> None:
    # 一、绩效目标分解下达情况 … 四、绩效自评结果拟应用和公开情况 is a template of its own: no 项目基本情况
    # or 其他自评情况 is missing from it
    filler = "".join(f"第{i}项工作已按计划完成,资金专款专用,未发现问题。\n" for i in range(1, 16))
    assert "section_missing" not in _codes(SIGNED_UNDER_ATTACHMENT + "\n" + filler)


def test_the_transfer_outline_still_needs_each_of_its_parts() -> None:
    filler = "".join(f"第{i}项工作已按计划完成,资金专款专用,未发现问题。\n" for i in range(1, 16))
    text = (
        SIGNED_UNDER_ATTACHMENT.replace(
            "二、绩效目标自评工作开展情况\n对项目建设内容是否按计划完成进行了自评。\n", ""
        )
        .replace("三、", "二、")
        .replace("四、", "三、")
    )
    findings = audit_text(text + "\n" + filler).findings
    missing = [f.message for f in findings if f.code == "section_missing"]
    assert missing == ["缺少必备章节“绩效自评工作开展情况”"]
    # a report in the usual outline that lacks its 其他 part is still told so
    usual = (
        "示例县示例局2023年度部门整体支出绩效自评报告\n一、基本情况\n概况。\n"
        "二、自评工作开展情况\n开展了自评。\n三、绩效自评情况\n完成了目标。\n" + filler
    )
    missing = [
        f.message
        for f in audit_text(usual).findings
        if f.code == "section_missing" and "必备章节" in f.message
    ]
    assert missing == ["缺少必备章节“其他自评情况”"]
