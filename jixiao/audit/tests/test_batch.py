"""Batch audit: a folder in, one summary workbook and summary.html out; bad files cost one row."""

from __future__ import annotations

import io
import random
from pathlib import Path

import openpyxl
import pytest

from jixiao.audit.batch import (
    STATUS_AUDITED,
    STATUS_SCANNED,
    STATUS_UNREADABLE,
    FileResult,
    FindingRow,
    ProgressBar,
    collect_files,
    run_batch,
    summary_workbook,
)
from jixiao.audit.corpus.bases import seed_text
from jixiao.audit.corpus.noise import paragraphs_of
from jixiao.audit.corpus.writers import write_docx, write_pdf
from scoring import InputError


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("reports")
    text = seed_text()
    doc = paragraphs_of(text)
    (root / "湛江").mkdir()
    (root / "湛江" / "seed.txt").write_text(text, encoding="utf-8")
    (root / "湛江" / "seed.docx").write_bytes(write_docx(doc))
    (root / "湛江" / "深层" / "更深").mkdir(parents=True)
    (root / "湛江" / "深层" / "更深" / "seed.PDF").write_bytes(write_pdf(doc))
    (root / "坏文件.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (root / "空白.pdf").write_bytes(write_pdf([]))  # no text layer: as a scan would be
    (root / "空文件.docx").write_bytes(b"")
    (root / "随机.pdf").write_bytes(random.Random(7).randbytes(5000))
    (root / "说明.xlsx").write_bytes(b"ignored")
    (root / "~$seed.docx").write_bytes(b"Word lock file")
    (root / ".hidden").mkdir()
    (root / ".hidden" / "x.txt").write_text("ignored", encoding="utf-8")
    return root


def test_collect_files_recurses_and_skips_what_is_not_a_report(folder: Path) -> None:
    names = [name for _, name in collect_files([folder])]
    base = folder.name
    assert names == [
        f"{base}/坏文件.docx",
        f"{base}/湛江/seed.docx",
        f"{base}/湛江/seed.txt",
        f"{base}/湛江/深层/更深/seed.PDF",
        f"{base}/空文件.docx",
        f"{base}/空白.pdf",
        f"{base}/随机.pdf",
    ]


def test_collect_files_names_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        collect_files([tmp_path / "没有"])
    assert "文件或文件夹不存在" in str(caught.value.problems[0])


def test_output_must_be_a_workbook(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        run_batch([folder], tmp_path / "summary.csv", progress=False)
    assert "汇总文件应以 .xlsx 结尾" in str(caught.value.problems[0])


@pytest.fixture(scope="module")
def batch(folder: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    output = tmp_path_factory.mktemp("out") / "结果" / "summary.xlsx"
    return run_batch([folder], output, progress=False)


def test_every_file_gets_one_row_and_bad_ones_do_not_stop_the_batch(batch) -> None:  # type: ignore[no-untyped-def]
    by_name = {Path(r.name).name: r for r in batch.results}
    assert len(batch.results) == 7
    assert by_name["坏文件.docx"].status == STATUS_UNREADABLE
    assert by_name["坏文件.docx"].reason == "docx 文件已损坏，无法解压"
    assert by_name["空文件.docx"].status == STATUS_UNREADABLE
    assert by_name["空文件.docx"].reason == "文件为空（0 字节）"
    assert by_name["随机.pdf"].status == STATUS_UNREADABLE
    assert by_name["随机.pdf"].reason == "文件扩展名为 .pdf，但内容不是 PDF"
    assert by_name["空白.pdf"].status == STATUS_SCANNED
    assert by_name["空白.pdf"].reason.startswith("PDF 没有文字层（可能是扫描件）")
    for name in ("seed.txt", "seed.docx", "seed.PDF"):
        result = by_name[name]
        assert result.status == STATUS_AUDITED, result.reason
        assert result.unit == "湛江市职业技能鉴定指导中心"
        assert result.year == "2025"
        assert result.score == "98"
        assert result.grade == "优秀"
    assert (batch.audited, batch.unreadable, batch.scanned, batch.failed) == (3, 4, 1, 0)
    assert "无法读取 4 份（其中扫描件 1 份）" in batch.describe()


def test_workbook_has_a_summary_row_per_file_and_every_finding(batch) -> None:  # type: ignore[no-untyped-def]
    workbook = openpyxl.load_workbook(batch.workbook)
    assert workbook.sheetnames == ["汇总", "全部问题"]
    rows = list(workbook["汇总"].iter_rows(values_only=True))
    assert rows[0] == ("文件", "状态", "单位", "年度", "得分", "等级", "错误", "警告", "主要问题")
    assert [row[0] for row in rows[1:]] == [r.name for r in batch.results]
    seed_row = next(row for row in rows if row[0].endswith("seed.txt"))
    result = next(r for r in batch.results if r.name.endswith("seed.txt"))
    assert seed_row[1:8] == (
        STATUS_AUDITED,
        result.unit,
        "2025",
        "98",
        "优秀",
        result.errors,
        result.warnings,
    )
    details = list(workbook["全部问题"].iter_rows(values_only=True))
    assert len(details) - 1 == sum(len(r.findings) for r in batch.results)
    assert sum(len(r.findings) for r in batch.results) > 0


def test_html_summary_is_written_next_to_the_workbook(batch) -> None:  # type: ignore[no-untyped-def]
    assert batch.html == batch.workbook.with_name("summary.html")
    page = batch.html.read_text(encoding="utf-8")
    assert "坏文件.docx" in page and "无法读取" in page and "湛江市职业技能鉴定指导中心" in page
    assert page.count("<tr") == 2 + len(batch.results) + sum(len(r.findings) for r in batch.results)


def test_processes_give_the_same_results(folder: Path, tmp_path: Path, batch) -> None:  # type: ignore[no-untyped-def]
    parallel = run_batch([folder], tmp_path / "p.xlsx", progress=False, workers=2)
    assert parallel.results == batch.results


def test_progress_bar_prints_plain_lines_when_not_a_terminal() -> None:
    stream = io.StringIO()
    bar = ProgressBar(20, stream=stream)
    for index in range(20):
        bar.advance(f"{index}.txt")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "审查 1/20 [#-----------------------]   5% 0.txt"
    assert lines[-1].startswith("审查 20/20 [########################] 100%")
    assert len(lines) == 11  # one per tenth, and the last


def test_cells_never_become_formulas_and_control_characters_go() -> None:
    row = FindingRow("error", "X", '=HYPERLINK("http://example.invalid")', "a\x00b\x1fc", "第1行")
    content = summary_workbook(
        [FileResult(Path("a.txt"), "=cmd|' /C calc'!A0", STATUS_AUDITED, findings=(row,))]
    )
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    summary_cell = workbook["汇总"]["A2"]
    assert summary_cell.data_type == "s" and summary_cell.value == "=cmd|' /C calc'!A0"
    detail = workbook["全部问题"]
    assert detail["D2"].data_type == "s"
    assert detail["E2"].value == "abc"
