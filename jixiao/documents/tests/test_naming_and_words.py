"""#8.14 (documents): one grade word, no nested brackets, project downloads named with the project."""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from jixiao.documents.naming import document_filename
from jixiao.documents.package import render_package
from scoring import score_evaluation

from .conftest import project_evaluation, project_ruleset

NESTED = re.compile(r"[（(][^）)]*[（(]")


def _cell_texts(data: bytes) -> list[str]:
    book = load_workbook(io.BytesIO(data))
    return [str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value]


def test_documents_use_the_full_grade_word_only(seed_package, seed_text) -> None:
    assert "绩效评价等级为优秀。" in seed_text
    for name in ("数据表.xlsx", "评分表.xlsx"):
        texts = _cell_texts(seed_package[name])
        assert any("优秀" in t for t in texts), name
        assert not any("（优）" in t or t == "优" for t in texts), name


def test_no_nested_brackets_in_what_the_documents_print(seed_package, seed_text) -> None:
    evaluation = project_evaluation()
    result = score_evaluation(evaluation, project_ruleset())
    project = render_package(evaluation, result, ["txt", "xlsx"])
    texts = [*seed_text.splitlines(), *project["自评报告.txt"].decode().splitlines()]
    for package in (seed_package, project):
        texts += _cell_texts(package["数据表.xlsx"]) + _cell_texts(package["评分表.xlsx"])
    assert [t for t in texts if NESTED.search(t)] == []


def test_download_names_carry_the_project() -> None:
    assert (
        document_filename(
            year=2025, unit_name="湛江市职业技能鉴定指导中心", project_name="", fmt="pdf"
        )
        == "2025年度湛江市职业技能鉴定指导中心绩效自评报告.pdf"
    )
    names = {
        fmt: document_filename(
            year=2025, unit_name="测试市就业服务中心", project_name="职业技能培训补贴", fmt=fmt
        )
        for fmt in ("pdf", "docx", "txt", "data.xlsx", "scoring.xlsx")
    }
    assert names["pdf"] == "2025年度测试市就业服务中心职业技能培训补贴项目绩效自评报告.pdf"
    assert (
        names["scoring.xlsx"] == "2025年度测试市就业服务中心职业技能培训补贴项目绩效自评评分表.xlsx"
    )
    assert all("职业技能培训补贴项目" in n for n in names.values())
    assert (
        document_filename(year=2025, unit_name="某中心", project_name="就业补贴项目", fmt="docx")
        == "2025年度某中心就业补贴项目绩效自评报告.docx"
    )
    assert "/" not in document_filename(year=2025, unit_name="a/b", project_name="c\\d", fmt="txt")
