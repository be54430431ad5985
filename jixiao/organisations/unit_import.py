"""Reading budget units (预算单位) from an xlsx workbook, and the template workbook to fill in.

Only reads and checks: every fault is a located ``RowProblem`` (行号, 列, 问题) in Chinese. Writing the
checked rows is ``services.import_units``; the rule is all or nothing (docs/decisions.md).
"""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from jixiao.organisations.credit_code import credit_code_problem, normalise_credit_code
from jixiao.organisations.models import UnitType
from scoring.sheet_cells import append_row
from scoring.workbook_limits import WorkbookTooLarge, check_workbook

NAME = "单位名称"
CREDIT_CODE = "统一社会信用代码"
UNIT_TYPE = "单位类型"
DEPARTMENT = "主管部门"
STAFFING_QUOTA = "编制数"
STAFF_ACTUAL = "实有人数"
FUNCTIONS = "主要职能"
SHORT_NAME = "自称"
COLUMNS = (
    NAME,
    CREDIT_CODE,
    UNIT_TYPE,
    DEPARTMENT,
    STAFFING_QUOTA,
    STAFF_ACTUAL,
    FUNCTIONS,
    SHORT_NAME,
)
REQUIRED = (NAME, CREDIT_CODE, UNIT_TYPE, DEPARTMENT)
SHEET = "预算单位"
MAX_ROWS = 5000  # a city has hundreds of units; more is a wrong file, not a bigger city


class UnitImportFileError(Exception):
    """The file as a whole cannot be read (not xlsx, no header, missing columns); nothing checked."""


@dataclass(frozen=True)
class RowProblem:
    row: int  # the Excel row number the user sees
    column: str
    message: str


@dataclass(frozen=True)
class UnitRow:
    """One checked row, ready to write."""

    row: int
    name: str
    credit_code: str
    unit_type: str
    department_id: int
    department_name: str
    staffing_quota: int | None
    staff_actual: int | None
    functions: str
    short_name: str


@dataclass
class UnitImportCheck:
    rows: list[UnitRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _count(value: Any) -> tuple[int | None, str | None]:
    """A head count: empty, or a whole number ≥ 0 (Excel may hand us 7.0 or "7")."""
    text = _text(value)
    if text == "":
        return None, None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, _("应为整数，现为“{text}”").format(text=text)
    if number != number.to_integral_value():
        return None, _("应为整数，现为 {text}").format(text=text)
    if number < 0:
        return None, _("不能为负数，现为 {text}").format(text=text)
    return int(number), None


def check_unit_workbook(
    data: bytes,
    *,
    departments: Mapping[str, int],
    non_unit_codes: Collection[str],
    credit_code_by_name: Mapping[str, str | None],
) -> UnitImportCheck:
    """Check every row of the workbook.

    ``departments``: active department name → id. ``non_unit_codes`` (codes of the bureau and
    departments) and ``credit_code_by_name`` describe the organisations already stored, so a row that would take
    another organisation's name is reported instead of failing on the database's unique constraint.
    """
    try:
        check_workbook(data)  # sizes, rows, cells and strings before openpyxl parses anything
    except WorkbookTooLarge as exc:
        raise UnitImportFileError(exc.reason) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        raise UnitImportFileError(
            _("无法读取该文件：请上传 Excel 工作簿（.xlsx），可先下载导入模板再填写。")
        ) from None
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise UnitImportFileError(
            _("工作表为空：第 1 行应为表头（单位名称、统一社会信用代码……）。")
        )
    positions = {_text(title): index for index, title in enumerate(header) if _text(title)}
    missing = [column for column in COLUMNS if column not in positions]
    if missing:
        raise UnitImportFileError(
            _("表头缺少以下列：{columns}。请使用导入模板，第 1 行为表头。").format(
                columns="、".join(missing)
            )
        )

    check = UnitImportCheck()
    seen_codes: dict[str, int] = {}
    seen_names: dict[str, int] = {}
    unit_types = set(UnitType.values)
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise UnitImportFileError(_("行数超过 {n} 行，请分批导入。").format(n=MAX_ROWS))
        cells = {column: _text(_at(values, positions[column])) for column in COLUMNS}
        if not any(cells.values()):
            continue  # blank rows between blocks are common in hand-made sheets
        problems: list[RowProblem] = []

        for column in REQUIRED:
            if not cells[column]:
                problems.append(RowProblem(number, column, _("必填，不能为空")))
        name = cells[NAME]
        if len(name) > 200:
            problems.append(
                RowProblem(
                    number,
                    NAME,
                    _("不能超过 {limit} 个字，现为 {n} 个字").format(limit=200, n=len(name)),
                )
            )
        code = normalise_credit_code(cells[CREDIT_CODE])
        if code:
            reason = credit_code_problem(code)
            if reason:
                problems.append(RowProblem(number, CREDIT_CODE, reason))
            elif code in non_unit_codes:
                problems.append(
                    RowProblem(
                        number, CREDIT_CODE, _("该代码属于系统中的主管部门或财政局，不是预算单位")
                    )
                )
            elif code in seen_codes:
                problems.append(
                    RowProblem(
                        number, CREDIT_CODE, _("与第 {row} 行重复").format(row=seen_codes[code])
                    )
                )
        if name:
            if name in seen_names:
                problems.append(
                    RowProblem(number, NAME, _("与第 {row} 行重复").format(row=seen_names[name]))
                )
            elif name in credit_code_by_name and credit_code_by_name[name] != code and code:
                problems.append(
                    RowProblem(
                        number,
                        NAME,
                        _("系统中已有同名单位（统一社会信用代码不同），请核对名称或代码"),
                    )
                )
        if cells[UNIT_TYPE] and cells[UNIT_TYPE] not in unit_types:
            problems.append(
                RowProblem(
                    number,
                    UNIT_TYPE,
                    _("应为以下之一：{choices}").format(choices="、".join(UnitType.values)),
                )
            )
        department_id = departments.get(cells[DEPARTMENT])
        if cells[DEPARTMENT] and department_id is None:
            problems.append(
                RowProblem(
                    number,
                    DEPARTMENT,
                    _("系统中没有名为“{name}”的主管部门，请先新增该部门").format(
                        name=cells[DEPARTMENT]
                    ),
                )
            )
        quota, quota_problem = _count(cells[STAFFING_QUOTA])
        if quota_problem:
            problems.append(RowProblem(number, STAFFING_QUOTA, quota_problem))
        actual, actual_problem = _count(cells[STAFF_ACTUAL])
        if actual_problem:
            problems.append(RowProblem(number, STAFF_ACTUAL, actual_problem))
        if len(cells[SHORT_NAME]) > 20:
            problems.append(
                RowProblem(
                    number,
                    SHORT_NAME,
                    _("不能超过 {limit} 个字，现为 {n} 个字").format(
                        limit=20, n=len(cells[SHORT_NAME])
                    ),
                )
            )
        if code and code not in seen_codes:
            seen_codes[code] = number
        if name and name not in seen_names:
            seen_names[name] = number
        if problems:
            check.problems.extend(problems)
            continue
        assert department_id is not None
        check.rows.append(
            UnitRow(
                row=number,
                name=name,
                credit_code=code,
                unit_type=cells[UNIT_TYPE],
                department_id=department_id,
                department_name=cells[DEPARTMENT],
                staffing_quota=quota,
                staff_actual=actual,
                # Several functions in one cell are separated by line breaks or "；".
                functions="\n".join(
                    part.strip()
                    for part in _text(_at(values, positions[FUNCTIONS]))
                    .replace("；", "\n")
                    .splitlines()
                    if part.strip()
                ),
                short_name=cells[SHORT_NAME],
            )
        )
    if not check.rows and not check.problems:
        raise UnitImportFileError(_("表中没有数据行：请从第 2 行起每行填写一个单位。"))
    return check


def _at(values: tuple[Any, ...], index: int) -> Any:
    return values[index] if index < len(values) else None


def template_workbook(*, department_names: Iterable[str]) -> bytes:
    """The import template: the header, drop-down lists for 单位类型 and 主管部门, and instructions."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    append_row(sheet, list(COLUMNS))
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE9E7")
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(horizontal="center")
        if cell.value in REQUIRED:
            cell.fill = required_fill
    for letter, width in zip("ABCDEFGH", (36, 24, 20, 32, 10, 10, 50, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

    lists = book.create_sheet("选项")
    append_row(lists, ["单位类型", "主管部门"])
    names = list(department_names)
    for index in range(max(len(UnitType.values), len(names))):
        append_row(
            lists,
            [
                UnitType.values[index] if index < len(UnitType.values) else None,
                names[index] if index < len(names) else None,
            ],
        )
    type_list = DataValidation(
        type="list", formula1=f"=选项!$A$2:$A${len(UnitType.values) + 1}", allow_blank=False
    )
    type_list.add("C2:C2000")
    sheet.add_data_validation(type_list)
    if names:
        department_list = DataValidation(
            type="list", formula1=f"=选项!$B$2:$B${len(names) + 1}", allow_blank=False
        )
        department_list.add("D2:D2000")
        sheet.add_data_validation(department_list)
    counts = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
    counts.add("E2:F2000")
    sheet.add_data_validation(counts)

    notes = book.create_sheet("填写说明")
    for line in (
        "每行填写一个预算单位，第 1 行表头不要修改；带底色的列必填。",
        "统一社会信用代码：18 位，系统会核对校验位；已存在的代码将更新该单位的信息。",
        "单位类型、主管部门：请从下拉列表中选择；主管部门须已在系统中建立。",
        "编制数、实有人数：填写整数（年末数），不能为负数。",
        "主要职能：多项职能可换行或用“；”分隔。自称：报告中的自称，如“我中心”。",
        "导入时逐行检查，只要有一行有误，整个文件都不会导入，请按错误报告改正后重新上传。",
    ):
        append_row(notes, [line])
    notes.column_dimensions["A"].width = 100
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
