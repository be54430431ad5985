"""Shapes a pdf gives a real report's prose (#13): lines wrapped where the page ends them.

The real corpus is stored as the portals gave its text; a unit's own pdf of the same report wraps
every line at the page's width. Wrapped, a title loses its last word to the next line (…自评报 /
告), a project's bracket runs past the line (…(某某资金的使 / 用)), and a line of prose may end
in …形成本评价报告 in the middle of a sentence. Each rule has the shape and a near miss; the texts
are written for the test. ``test_real_corpus_as_docx_and_pdf`` then checks the whole corpus
written out as docx and pdf: no value it reads from the txt changes into another.
"""

from __future__ import annotations

from collections import Counter

import pytest

from jixiao.audit import audit_bytes, audit_text
from jixiao.audit.corpus.noise import paragraphs_of
from jixiao.audit.corpus.real import drift, judge_case, load_real_corpus
from jixiao.audit.corpus.writers import write_docx, write_pdf
from jixiao.audit.extract import extract

BODY = "一、基本情况\n(一)项目概况\n本项目年初预算12万元,全年执行12万元。\n"


# ---- a title wrapped inside its last word ---------------------------------------------------


def test_a_title_wrapped_inside_its_last_word_is_still_the_title() -> None:
    doc = extract("示例市示例局2023年度项目支出绩效单位自评报\n告\n" + BODY)
    assert doc.year is not None and doc.year.value == 2023
    assert doc.unit_name is not None and doc.unit_name.value == "示例市示例局"


def test_a_line_ending_in_a_bare_report_word_is_no_title() -> None:
    # 评价 at a line's end and 报 on the next make no title words across the break
    doc = extract("示例市示例局2023年度工作的评价\n报送情况说明\n" + BODY)
    assert doc.unit_name is None


# ---- a project's bracket wrapped onto the next line ------------------------------------------


def test_a_project_bracket_wrapped_onto_the_next_line_is_read_whole() -> None:
    doc = extract(
        "示例市图书馆2022年度项目支出绩效自评报告(2022年中央支持地方公共文化服务体\n"
        "系建设补助资金)\n" + BODY
    )
    assert doc.project_name is not None
    assert doc.project_name.value == "2022年中央支持地方公共文化服务体系建设补助资金"


def test_a_wrapped_bracket_with_a_bracket_inside_is_read_whole() -> None:
    doc = extract(
        "示例市图书馆2022年度项目支出绩效自评报告(2022年公共图书馆文化馆(站)免费开\n"
        "放补助资金)\n" + BODY
    )
    assert doc.project_name is not None
    assert doc.project_name.value == "2022年公共图书馆文化馆(站)免费开放补助资金"


def test_a_bracket_closed_on_its_line_is_not_run_on() -> None:
    doc = extract("示例市图书馆2022年度项目支出绩效自评报告(免费开放补助资金)\n" + BODY)
    assert doc.project_name is not None and doc.project_name.value == "免费开放补助资金"


# ---- …形成本评价报告 wrapped in the middle of a sentence ----------------------------------------


DEPARTMENT = (
    "评价年度:2024\n评价单位(公章):示例县示例局\n"
    "一、根据县财政局《关于做好2024年度县级财政资金绩效自评工作的通知》要求,我单位成立\n"
    "自评工作小组,认真开展自评自查工作。经查阅、核实有关账务及项目等执行情况,填写自评表\n"
    "格并综合分析,形成本评价报告。现将2024年度示例县示例局整体支出绩效自评情况报告如下:\n"
    "二、单位基本情况\n本单位核定编制10人,实有在职9人。\n"
)


def test_a_report_word_in_wrapped_prose_names_no_kind() -> None:
    # the wrapped line 格并综合分析,形成本评价报告 is prose, not a title naming the kind
    assert extract(DEPARTMENT).kind == "department"


def test_a_title_line_after_a_closed_sentence_is_still_a_title() -> None:
    doc = extract("附件:\n示例县示例局2024年度项目支出绩效自评报告(示例专项资金)\n" + BODY)
    assert doc.kind == "project"
    assert doc.project_name is not None and doc.project_name.value == "示例专项资金"


# ---- the whole real corpus as docx and pdf -----------------------------------------------------


@pytest.mark.parametrize("suffix", ["docx", "pdf"])
def test_real_corpus_as_docx_and_pdf(suffix: str) -> None:
    """Written out as a unit's docx or pdf (lines wrapped at the page's width), every real
    report's fields are read as from its txt or not read: never another value, and no error
    the txt does not give. Flattened tables (cells joined by |) wrapped mid-cell lose fields in
    the pdf, which a real pdf's table would not do; their count is bounded below, not judged."""
    write = write_docx if suffix == "docx" else write_pdf
    verdicts: Counter[str] = Counter()
    changed: list[str] = []
    for case in load_real_corpus():
        plain = judge_case(case, audit_text(case.text, source=case.name))
        report = audit_bytes(write(paragraphs_of(case.text)), f"{case.name}.{suffix}")
        result = judge_case(case, report)
        verdicts.update(f.verdict for f in result.fields)
        worse = drift(plain, result)
        changed += [f"{case.name} {f.path}: {f.got!r}" for f in worse.changed]
        changed += [f"{case.name}: new error {code}" for code in worse.new_false]
    assert changed == []
    assert verdicts["wrong"] == 0
    # 1,493 right from the txt; the docx reads them all, the pdf 1,465 (tables wrapped mid-cell);
    # on 170 reports the pdf 1,914 since a page number between a sheet's cells is none (pdfcells13)
    assert verdicts["right"] >= (1490 if suffix == "docx" else 1905)
