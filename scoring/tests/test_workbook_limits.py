"""The one xlsx read guard (#9.15): bombs refused before openpyxl parses anything, for every
workbook the project reads (units, rule-sets, data tables); real workbooks pass."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

import pytest

from scoring.workbook_limits import WorkbookLimits, WorkbookTooLarge, check_workbook

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _xlsx(parts: dict[str, bytes | Callable[[zipfile.ZipFile], None]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}"><sheets/></workbook>')
        for name, content in parts.items():
            if callable(content):
                content(archive)
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def shared_strings_bomb(strings: int = 2_000_000) -> bytes:
    """A million and more shared strings, streamed: about 60 MB of XML in well under 1 MB."""

    def write(archive: zipfile.ZipFile) -> None:
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as member:
            member.write(f'<sst xmlns="{MAIN}" count="{strings}">'.encode())
            for _ in range(strings // 1000):
                member.write(b"<si><t>bomb bomb bomb</t></si>" * 1000)
            member.write(b"</sst>")

    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    return _xlsx({"xl/sharedStrings.xml": write, "xl/worksheets/sheet1.xml": sheet.encode()})


def huge_dimension_sheet() -> bytes:
    """One cell, but a declared range of 16 384 × 1 048 576 (openpyxl pads rows to it)."""
    sheet = (
        f'<worksheet xmlns="{MAIN}"><dimension ref="A1:XFD1048576"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
    )
    return _xlsx({"xl/worksheets/sheet1.xml": sheet.encode()})


def far_row_sheet() -> bytes:
    """No dimension, one row numbered a million (openpyxl yields the empty rows before it)."""
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="1000000"><c r="A1000000" t="inlineStr">'
        "<is><t>x</t></is></c></row></sheetData></worksheet>"
    )
    return _xlsx({"xl/worksheets/sheet1.xml": sheet.encode()})


def test_shared_strings_bomb_is_refused_by_its_ratio() -> None:
    with pytest.raises(WorkbookTooLarge) as caught:
        check_workbook(shared_strings_bomb())
    assert caught.value.reason.startswith("Excel 文件过大或过于复杂，未读取（压缩比 ")


def test_shared_strings_bomb_that_passes_the_ratio_is_counted() -> None:
    with pytest.raises(WorkbookTooLarge) as caught:
        check_workbook(shared_strings_bomb(), WorkbookLimits(ratio=1_000_000))
    assert caught.value.reason == "Excel 文件过大或过于复杂，未读取（共享字符串超过 500000 个）"


def test_huge_dimension_is_refused() -> None:
    with pytest.raises(WorkbookTooLarge) as caught:
        check_workbook(huge_dimension_sheet())
    assert caught.value.reason == (
        "Excel 文件过大或过于复杂，未读取（工作表范围 A1:XFD1048576 超过 20000 行）"
    )


def test_a_row_numbered_a_million_is_refused() -> None:
    with pytest.raises(WorkbookTooLarge, match="工作表超过 20000 行"):
        check_workbook(far_row_sheet())


def test_not_a_zip_is_left_to_the_reader() -> None:
    check_workbook(b"not a workbook")  # no exception: the reader reports it in its words


def test_our_own_workbooks_pass(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from scoring import find_ruleset
    from scoring.ruleset_sheet import export_sheet

    check_workbook(export_sheet(find_ruleset("gd-department")))
