from __future__ import annotations

import pytest

from jixiao.audit.normalize import heading_level, normalize_line, page_map, paragraphs


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("编制 7 人，实有 5 人。", "编制7人,实有5人。"),
        ("评价年度：２０２５ 年", "评价年度:2025年"),
        ("完成全年任务数的 158.08 ％", "完成全年任务数的158.08%"),
        ("完成 158. 08%", "完成158.08%"),
        ("证书 18 969 人次", "证书18969人次"),
        ("证书 18,969 人次", "证书18969人次"),
        ("预 算 执 行 率", "预算执行率"),
        ("33.28　万元", "33.28万元"),
        ("年初 33.28 38.45", "年初33.28 38.45"),  # table cells stay apart
        ("Word 文档", "Word 文档"),  # spaces next to Latin words are kept
        ("2 0 2 5 年", "2025年"),
        ("完成全年任务的百分之一百二十", "完成全年任务的120%"),
        ("百分之九十五点五", "95.5%"),
        ("百分之一百零五", "105%"),
        ("填报日期：二〇二六年五月二十一日", "填报日期:2026年5月21日"),
    ],
)
def test_normalize_line(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("一、单位基本情况", 1),
        ("十二．其他", 1),
        ("（一）评价小组情况", 2),
        ("(二) 自评工作过程", 2),
        ("1. 预算编制情况", 3),
        ("2、预算执行情况", 3),
        ("（3）细化指标", 4),
        ("第一部分 基本情况", 0),
        ("三 . 绩效自评情况", 1),
        ("1 . 预算编制", 3),
        ("（ 一 ） 评价小组", 2),
        ("2025年参加认定", None),
        ("158.08%完成", None),
        ("附件6", None),
    ],
)
def test_heading_levels(text: str, level: int | None) -> None:
    assert heading_level(normalize_line(text)) == level


def test_word_broken_across_page_is_joined() -> None:
    text = "本次得分98分，绩效评价等级为优\n\n\f\n- 3 -\n秀。\n\n（二）分析"
    paras = paragraphs(text.replace("\f", "\n"))
    assert [p.text for p in paras] == ["本次得分98分,绩效评价等级为优秀。", "(二)分析"]
    assert paras[0].line_at(paras[0].text.index("秀")) == 6


def test_headings_and_cover_lines_are_not_joined() -> None:
    text = "部门整体支出绩效自评报告\n评价年度：2025年\n评价单位：某中心\n一、单位基本情况\n某中心是\n事业单位。"
    paras = paragraphs(text)
    assert [p.text for p in paras] == [
        "部门整体支出绩效自评报告",
        "评价年度:2025年",
        "评价单位:某中心",
        "一、单位基本情况",
        "某中心是事业单位。",
    ]
    assert paras[3].title == "单位基本情况"
    assert paras[4].line == 5


def test_heading_title_stops_at_space() -> None:
    para = paragraphs("1. 预算编制情况 严格执行国家有关法律。")[0]
    assert para.heading == 3
    assert para.title == "预算编制情况"


def test_page_map() -> None:
    assert page_map(["a\nb", "c"]) == {1: 1, 2: 1, 3: 2}
    assert page_map(["only"]) == {}


def test_running_headers_are_dropped() -> None:
    header = "湛江市职业技能鉴定指导中心 2025 年度自评报告"
    text = f"{header}\n绩效评价等级为优\n{header}\n秀。\n{header}\n（二）分析"
    assert [p.text for p in paragraphs(text)] == ["绩效评价等级为优秀。", "(二)分析"]
