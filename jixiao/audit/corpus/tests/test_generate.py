"""The corpus generator: deterministic, every defect planted where it says, noise keeps the facts."""

from __future__ import annotations

import io
import random
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.audit.corpus import generate_corpus, load_manifest
from jixiao.audit.corpus.__main__ import main
from jixiao.audit.corpus.bases import Base, seed_base
from jixiao.audit.corpus.defects import CANCELS, DEFECTS, DEFECTS_BY_NAME, NotApplicable
from jixiao.audit.corpus.noise import (
    Paragraph,
    amount_units,
    fullwidth_digits,
    heading_styles,
    line_breaks,
    page_breaks,
    paragraphs_of,
    spaced_numbers,
)
from jixiao.audit.corpus.writers import write_docx, write_pdf, write_txt


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("corpus")
    generate_corpus(directory, formats=("txt",), variants_per_seed=1, renderer_binaries=False)
    return directory


def test_same_seed_gives_the_same_txt_and_manifest(small_corpus: Path, tmp_path: Path) -> None:
    generate_corpus(tmp_path, formats=("txt",), variants_per_seed=1, renderer_binaries=False)
    first = load_manifest(small_corpus)
    second = load_manifest(tmp_path)
    assert first.cases == second.cases
    for case in first.cases:
        assert (small_corpus / case.path).read_bytes() == (tmp_path / case.path).read_bytes()


def test_every_defect_class_is_planted(small_corpus: Path) -> None:
    corpus = load_manifest(small_corpus)
    planted = {case.defect for case in corpus.cases}
    assert planted == {"clean", *DEFECTS_BY_NAME}


def test_the_published_seed_keeps_its_own_defects_in_every_variant(small_corpus: Path) -> None:
    corpus = load_manifest(small_corpus)
    seed_cases = [c for c in corpus.cases if c.base == "seed"]
    assert seed_cases
    for case in seed_cases:
        # ... except where the planted defect removed the text it lives in (CANCELS)
        cancelled = CANCELS.get(case.defect, frozenset())
        assert ("execution_rate_unexplained" in case.defects) != (
            "execution_rate_unexplained" in cancelled
        )
        control = DEFECTS_BY_NAME[case.defect].control if case.defect != "clean" else True
        assert (case.defect in case.defects) != control


def test_each_defect_changes_the_text_and_the_facts_it_names() -> None:
    base = seed_base()
    rng = random.Random(1)
    staff_text, staff_facts = DEFECTS_BY_NAME["staff_over_quota"].plant(base, rng)
    assert staff_facts.staff_actual is not None and staff_facts.staff_actual > 7
    assert f"实有 {staff_facts.staff_actual}" in staff_text
    date_text, date_facts = DEFECTS_BY_NAME["filled_before_year_end"].plant(base, rng)
    assert date_facts.filled_on is not None and date_facts.filled_on.year == 2025
    assert f"填报日期：2025年{date_facts.filled_on.month}月" in date_text
    grade_text, grade_facts = DEFECTS_BY_NAME["grade_mismatch"].plant(base, rng)
    assert grade_facts.grade != "优秀" and f"等级为{grade_facts.grade}。" in grade_text
    for defect in DEFECTS:
        try:
            text, _ = defect.plant(base, random.Random(2))
        except NotApplicable:
            continue
        assert text != base.text, defect.name


def test_defects_that_need_missing_sentences_do_not_apply() -> None:
    base = seed_base()
    bare = Base("bare", "部门整体支出绩效自评报告\n\n正文。", base.facts)
    with pytest.raises(NotApplicable):
        DEFECTS_BY_NAME["parts_not_adding"].plant(base, random.Random(0))  # no 本项得分
    with pytest.raises(NotApplicable):
        DEFECTS_BY_NAME["missing_section"].plant(bare, random.Random(0))


def test_under_completion_states_a_consistent_rate() -> None:
    base = seed_base()
    text, facts = DEFECTS_BY_NAME["under_completion"].plant(base, random.Random(3))
    target = facts.targets[-1]
    assert target.target is not None and target.actual < target.target
    rate = (target.actual / target.target * 100).quantize(Decimal("0.01"))
    assert re.search(rf"{target.actual} 人次，完成全年任务数的 {rate.normalize()}%", text)


def _digits(text: str) -> list[str]:
    return re.findall(r"\d+", re.sub(r"(?<=\d)[ ,](?=\d)", "", text))


def test_spaced_numbers_and_headings_keep_every_figure() -> None:
    doc = paragraphs_of(seed_base().text)
    noisy = heading_styles(spaced_numbers(doc, random.Random(5)), random.Random(5))
    before = _digits("\n".join(p.text for p in doc))
    after = _digits("\n".join(p.text for p in noisy))
    assert before == after
    assert any("25 478" in p.text for p in noisy) or any("25478 " in p.text for p in noisy)


def test_fullwidth_digits_are_the_same_figures() -> None:
    doc = paragraphs_of(seed_base().text)
    wide = fullwidth_digits(doc, random.Random(4))
    joined = "\n\n".join(p.text for p in wide)
    assert "２" in joined and "2" in joined
    assert unicodedata.normalize("NFKC", joined) == unicodedata.normalize(
        "NFKC", "\n\n".join(p.text for p in doc)
    )


def test_gb18030_variants_are_encoded_so(small_corpus: Path) -> None:
    corpus = load_manifest(small_corpus)
    encoded = [c for c in corpus.cases if "gb18030" in c.noise]
    assert encoded
    for case in encoded:
        data = (small_corpus / case.path).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert "自评报告" in data.decode("gb18030")


def test_amounts_restated_in_yuan_keep_their_value() -> None:
    doc = [Paragraph("p", "年初预算33.28万元，实际支出38.45万元。")]
    for seed in range(12):
        text = amount_units(doc, random.Random(seed))[0].text
        values = []
        for number, unit in re.findall(r"([\d,.]+)(亿元|万元|元)", text):
            scale = {"亿元": Decimal(10000), "万元": Decimal(1), "元": Decimal("0.0001")}[unit]
            values.append(Decimal(number.replace(",", "")) * scale)
        assert values == [Decimal("33.28"), Decimal("38.45")], text


def test_line_and_page_breaks_cut_words_never_figures() -> None:
    doc = paragraphs_of(seed_base().text)
    broken = page_breaks(line_breaks(doc, random.Random(7)), random.Random(7))
    joined = "\n\n".join(p.text for p in broken)
    assert "\f" in joined and joined.count("\n") > sum(p.text.count("\n") for p in doc) + 20
    assert not re.search(r"\d[\n\f]\d", joined)
    assert joined.replace("\n", "").replace("\f", "") == "\n\n".join(p.text for p in doc).replace(
        "\n", ""
    )


def test_writers_produce_readable_docx_and_pdf() -> None:
    import docx
    import pypdf

    doc = [
        Paragraph("title", "部门整体支出绩效自评报告"),
        Paragraph("h1", "一、单位基本情况"),
        Paragraph("p", "编制7人，实有5人。\n年初预算33.28万元，全\f年实际支出38.45万元。"),
    ]
    text = write_txt(doc, random.Random(0)).decode("utf-8")
    assert "编制7人，实有5人。\n年初预算" in text and "全\n\n" in text
    document = docx.Document(io.BytesIO(write_docx(doc, "bold")))
    assert [p.text for p in document.paragraphs][:2] == [
        "部门整体支出绩效自评报告",
        "一、单位基本情况",
    ]
    assert document.paragraphs[1].runs[0].bold is True
    reader = pypdf.PdfReader(io.BytesIO(write_pdf(doc)))
    assert len(reader.pages) == 2
    assert "实有5人" in reader.pages[0].extract_text()
    assert "年实际支出38.45万元" in reader.pages[1].extract_text()


def test_command_line_writes_the_corpus(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), "--formats", "txt", "--seed", "7"]) == 0
    assert "txt" in capsys.readouterr().out
    assert load_manifest(tmp_path).seed == 7
    assert main([str(tmp_path), "--formats", "odt"]) == 2
    assert "未知的格式：odt" in capsys.readouterr().err
