"""Openings cut anywhere (#13): a stored page's text ends where the store cut it, in the middle of
a figure, a name or a list. Found by cutting every real report at random points and comparing what
is read with what the whole text gives: a value the cut text reads must be one the whole text would
give, or none. Each rule has the shape and a near miss; the texts are written for the test."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from jixiao.audit.corpus.real import extracted_at, load_real_corpus
from jixiao.audit.extract import extract

HEAD = "示例县示例局2023年度部门整体支出绩效自评报告\n一、基本情况\n"

# ---- a figure the text ends with ---------------------------------------------------------------


def test_a_figure_the_text_ends_with_is_not_read() -> None:
    # 人员编制 156 cut after its first digit
    assert "staffing_quota" not in extract(HEAD + "联络电话\n\n人员编制\n\n1").staff
    doc = extract(HEAD + "本单位2023年度自评总分10")  # 总分100… cut
    assert doc.total_score is None
    doc = extract(HEAD + "(二)自评情况\n报告期:2024 -3 - 1")  # a date cut in its day
    assert doc.filled_on is None


def test_a_figure_with_anything_after_it_is_read() -> None:
    assert (
        extract(HEAD + "人员编制\n\n156\n\n实有人数 150人。").staff["staffing_quota"].value == 156
    )
    doc = extract(HEAD + "经评价,本单位2023年度自评总分95分。")
    assert doc.total_score is not None and doc.total_score.value == Decimal(95)


def test_a_table_row_keeps_its_last_cell() -> None:
    # a docx's or a page's table row ends in its last cell: that cell is whole
    doc = extract(HEAD + "绩效指标\t分值\t得分\n总分\t100\t96")
    assert doc.total_score is not None and doc.total_score.value == Decimal(96)
    doc = extract(HEAD + "绩效指标 | 分值 | 得分\n总分 | 100 | 96")
    assert doc.total_score is not None and doc.total_score.value == Decimal(96)


# ---- a name the text ends with -----------------------------------------------------------------


def test_a_name_the_text_ends_with_is_not_given() -> None:
    # 县财政部门 cut in its last word: read as a unit it would be 县财政部
    doc = extract(
        "2019年度项目绩效自评报告\n一、项目概况\n本项目执行率为100%。\n二、存在问题\n无。\n\n县财政部"
    )
    assert doc.unit_name is None


def test_a_signature_with_its_date_still_gives_the_unit() -> None:
    doc = extract(
        "2019年度项目绩效自评报告\n一、项目概况\n本项目执行率为100%。\n二、存在问题\n无。\n\n"
        "示例县林业和草原局\n2020年3月5日"
    )
    assert doc.unit_name is not None and doc.unit_name.value == "示例县林业和草原局"


def test_a_projects_bracket_open_where_the_text_ends_gives_no_name() -> None:
    doc = extract("附件1\n2020年度项目绩效自评报告\n(退役军")
    assert doc.project_name is None
    doc = extract("附件1\n2020年度项目绩效自评报告\n(退役军人慰问经费项目)\n一、基本情况\n")
    assert doc.project_name is not None and doc.project_name.value == "退役军人慰问经费项目"


# ---- the publisher in a page's banner ------------------------------------------------------------


def test_a_publisher_named_only_in_the_pages_banner_is_not_the_unit() -> None:
    # the opening cut before the report's title: the portal's banner and 发布机构 name the
    # publisher (the district), whose page carries a school's report
    doc = extract(
        "示例市示例区人民政府 www.example.gov.cn\n政府信息公开\n"
        "发布机构: 示例市示例区人民政府 发布日期: 2024-09-26 16:00\n名 称"
    )
    assert doc.unit_name is None


def test_a_publisher_the_text_names_in_a_sentence_is_the_unit() -> None:
    doc = extract(
        "发布机构: 示例县林业和草原局 发布日期: 2022-05-27\n"
        "2021年度项目绩效自评报告\n一、项目概况\n示例县林业和草原局按照要求开展自评,本项目执行率100%。\n"
    )
    assert doc.unit_name is not None and doc.unit_name.value == "示例县林业和草原局"


# ---- one source's rate where the list is cut ----------------------------------------------------


def test_one_sources_rate_before_the_next_source_is_a_parts() -> None:
    doc = extract(
        HEAD + "共投入资金1987.08万元。中央资金完成636.75万元,预算执行率81.97%,省级资金完成2"
    )
    assert not [r for r in doc.rates if r.kind == "execution"]


def test_one_rate_for_funds_of_one_source_stays() -> None:
    doc = extract(HEAD + "市级资金到位100万元,实际支出100万元,执行率100%。")
    assert [r.percent for r in doc.rates if r.kind == "execution"] == [Decimal(100)]


# ---- the whole real corpus cut at random points ---------------------------------------------------

FIELDS = (
    "year", "unit_name", "project_name", "filled_on", "notice.number", "staffing_quota",
    "staff_actual", "budget.initial", "budget.full_year", "budget.executed",
    "budget.stated_execution_rate", "total_score", "grade",
)  # fmt: skip


def test_a_cut_text_reads_no_figure_or_name_the_whole_does_not() -> None:
    """Every real report cut at four random points (fixed seed): a figure, a date or a name read
    from the cut text is the whole text's, or the whole text reads none (a later statement that
    the cut removed made it ambiguous) — never a piece of one (1 of 156, 县财政部 of 县财政部门)."""
    rng = random.Random(13)
    pieces: list[str] = []
    for case in load_real_corpus():
        whole = extract(case.text).to_dict()
        for _ in range(4):
            cut = rng.randrange(len(case.text) // 10, len(case.text))
            part = extract(case.text[:cut]).to_dict()
            for field in FIELDS:
                got, full = extracted_at(part, field), extracted_at(whole, field)
                if got is None or full is None or str(got) == str(full):
                    continue
                if str(full).startswith(str(got)):
                    pieces.append(f"{case.name}@{cut} {field}: {got!r} of {full!r}")
    assert pieces == []


def test_dates_are_still_read_whole() -> None:
    doc = extract(HEAD + "填报日期:2024年3月15日\n")
    assert doc.filled_on is not None and doc.filled_on.value == dt.date(2024, 3, 15)


# ---- a text saved on Windows, a page flattened to one line ---------------------------------------


def test_a_text_with_windows_line_ends_reads_as_with_unix_ones() -> None:
    text = HEAD + "本单位核定编制10人,实有在职9人。\n填报日期:2024年3月15日\n"
    plain = extract(text).to_dict()
    assert extract(text.replace("\n", "\r\n")).to_dict() == plain
    assert extract(text.replace("\n", "\r")).to_dict() == plain


def test_a_pages_metadata_run_into_the_title_is_not_the_units_name() -> None:
    doc = extract(
        "索引号12345文号浏览量40时效性有效示例县民政局2024年度部门整体支出绩效自评报告一、基本情况"
    )
    assert doc.unit_name is not None and doc.unit_name.value == "示例县民政局"


def test_a_name_that_starts_like_no_page_word_is_kept_whole() -> None:
    doc = extract("索引号12345 示例县民政局2024年度部门整体支出绩效自评报告\n一、基本情况\n")
    assert doc.unit_name is not None and doc.unit_name.value == "示例县民政局"
