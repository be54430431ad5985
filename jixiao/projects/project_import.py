"""Reading the xlsx a budget system exports into the 项目库, and writing the same layout back.

A bureau maps, once, which header of its export holds each field (``FIELDS``; the saved
``ImportMapping``); a field left unmapped uses the default header below, which is also the layout
the export writes. One row is one fund source (资金来源) of one project: rows sharing a unit, year
and 项目编码 make one project. A row without a 项目编码 and without a 项目名称 (or named 部门整体) is a
line of the unit's own 部门整体 budget.

Only reads and checks: every fault is a located ``RowProblem`` (行号, 列, 问题) in Chinese; writing
is ``services.import_projects`` (all or nothing). Amounts are 万元 with at most two decimals, read
by ``scoring.numbers`` when typed as text.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from jixiao.organisations.credit_code import normalise_credit_code
from jixiao.projects.services import LineValues
from scoring.numbers import NumberFormatError, parse_count, parse_decimal
from scoring.sheet_cells import append_row
from scoring.workbook_limits import WorkbookTooLarge, check_workbook

# field key → (default header, label shown on the mapping page)
FIELDS: dict[str, tuple[str, Any]] = {
    "code": ("项目编码", gettext_lazy("项目编码")),
    "name": ("项目名称", gettext_lazy("项目名称")),
    "credit_code": ("单位统一社会信用代码", gettext_lazy("单位统一社会信用代码")),
    "unit_name": ("单位名称", gettext_lazy("单位名称")),
    "department": ("主管部门", gettext_lazy("主管部门")),
    "category": ("项目类别", gettext_lazy("项目类别")),
    "year": ("预算年度", gettext_lazy("预算年度")),
    "source": ("资金来源", gettext_lazy("资金来源")),
    "initial": ("年初预算数（万元）", gettext_lazy("年初预算数（万元）")),
    "adjusted": ("调整后预算数（万元）", gettext_lazy("调整后预算数（万元）")),
    "executed": ("执行数（万元）", gettext_lazy("执行数（万元）")),
    "period": ("实施期", gettext_lazy("实施期")),
}
# A file must have these columns; a unit is named by its credit code or its name (at least one).
REQUIRED_COLUMNS = ("code", "name", "year", "initial")
UNIT_COLUMNS = ("credit_code", "unit_name")
DEFAULT_SOURCE = "当年财政拨款"
UNIT_LINE_NAMES = frozenset({"", "部门整体", "单位整体"})
SHEET = "项目库"
MAX_ROWS = 20_000
MAX_AMOUNT = Decimal(10) ** 14


class ProjectImportFileError(Exception):
    """The file as a whole cannot be read (not xlsx, no header, missing columns); nothing checked."""


@dataclass(frozen=True)
class RowProblem:
    row: int  # the Excel row number the user sees
    column: str  # the header as in the file
    message: str


@dataclass
class ProjectValues:
    """One project as the file describes it (possibly over several rows)."""

    unit_id: int
    year: int
    code: str
    name: str
    category: str
    department_id: int | None
    period_start: int | None
    period_end: int | None
    lines: list[LineValues] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@dataclass
class UnitBudgetValues:
    unit_id: int
    year: int
    lines: list[LineValues] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)


@dataclass
class ProjectImportCheck:
    row_count: int = 0
    projects: list[ProjectValues] = field(default_factory=list)
    unit_budgets: list[UnitBudgetValues] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def headers(columns: Mapping[str, str]) -> dict[str, str]:
    """Every field's header: the bureau's mapping where it has one, else the default."""
    return {key: (columns.get(key) or default).strip() for key, (default, _l) in FIELDS.items()}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _amount(value: Any) -> Decimal:
    """An amount in 万元 from a cell (number or text); raises ValueError with a Chinese message."""
    if isinstance(value, bool):
        raise ValueError(_("应为金额"))
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError(_("应为金额")) from None
    else:
        try:
            number = parse_decimal(_text(value))
        except NumberFormatError as exc:
            raise ValueError(exc.message) from None
    if not number.is_finite():
        raise ValueError(_("应为金额"))
    if number < 0:
        raise ValueError(_("不能为负数，现为 {n}").format(n=number))
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("金额以万元为单位，最多两位小数，现为 {n}").format(n=number))
    if number >= MAX_AMOUNT:
        raise ValueError(_("金额过大：{n}").format(n=number))
    return number.quantize(Decimal("0.01"))


def _year(value: Any) -> int:
    try:
        year = parse_count(_text(value).removesuffix("年"))
    except NumberFormatError as exc:
        raise ValueError(exc.message) from None
    if not 2000 <= year <= 2100:
        raise ValueError(_("年度应在 2000 至 2100 之间，现为 {n}").format(n=year))
    return year


_PERIOD = re.compile(r"^(\d{4})\s*年?\s*(?:[-－—–~～至到]+\s*(\d{4})\s*年?)?(?:度)?$")


def parse_period(text: str) -> tuple[int | None, int | None]:
    """实施期 as written in budget systems: "2025-2027", "2025年至2027年", "2026" → (start, end)."""
    text = text.strip()
    if not text:
        return None, None
    match = _PERIOD.match(text)
    if not match:
        raise ValueError(_("实施期应写作“2025-2027”或“2026”，现为“{text}”").format(text=text))
    start = int(match.group(1))
    end = int(match.group(2) or start)
    if start > end:
        raise ValueError(_("实施期起始年度晚于终止年度：“{text}”").format(text=text))
    return start, end


def format_period(start: int | None, end: int | None) -> str:
    if start is None:
        return ""
    return str(start) if end in (None, start) else f"{start}-{end}"


def _at(values: Sequence[Any], index: int | None) -> Any:
    if index is None:
        return None
    return values[index] if index < len(values) else None


def check_project_workbook(
    data: bytes,
    *,
    columns: Mapping[str, str],
    units: Iterable[tuple[int, str, str | None, int | None, bool]],
    departments: Mapping[str, int],
) -> ProjectImportCheck:
    """Check every row. ``units``: (id, name, credit code, department id, active) of every unit;
    ``departments``: department name → id."""
    try:
        check_workbook(data)
    except WorkbookTooLarge as exc:
        raise ProjectImportFileError(exc.reason) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not xlsx
        raise ProjectImportFileError(
            _("无法读取该文件：请上传预算系统导出的 Excel 工作簿（.xlsx）。")
        ) from None
    sheet = book[SHEET] if SHEET in book.sheetnames else book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, None)
    if header_row is None:
        raise ProjectImportFileError(_("工作表为空：第 1 行应为表头。"))
    names = headers(columns)
    positions = {_text(title): index for index, title in enumerate(header_row) if _text(title)}
    missing = [names[key] for key in REQUIRED_COLUMNS if names[key] not in positions]
    if not any(names[key] in positions for key in UNIT_COLUMNS):
        missing.append(_("{a}或{b}").format(a=names["credit_code"], b=names["unit_name"]))
    if missing:
        raise ProjectImportFileError(
            _(
                "表头缺少以下列：{columns}。请检查列映射（第 1 行为表头，列名须与映射一致）。"
            ).format(columns="、".join(missing))
        )
    at = {key: positions.get(names[key]) for key in FIELDS}

    by_code = {
        normalise_credit_code(code): (pk, active) for pk, _n, code, _p, active in units if code
    }
    by_name = {name: (pk, active) for pk, name, _c, _p, active in units}
    parents = {pk: parent for pk, _n, _c, parent, _a in units}

    check = ProjectImportCheck()
    projects: dict[tuple[int, int, str], ProjectValues] = {}
    unit_budgets: dict[tuple[int, int], UnitBudgetValues] = {}
    seen_lines: dict[tuple[int, int, str, str], int] = {}
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:
            raise ProjectImportFileError(_("行数超过 {n} 行，请分批导入。").format(n=MAX_ROWS))
        cells = {key: _text(_at(values, index)) for key, index in at.items()}
        if not any(cells.values()):
            continue
        check.row_count += 1
        problems: list[RowProblem] = []

        def problem(
            key: str, message: str, number: int = number, problems: list[RowProblem] = problems
        ) -> None:
            problems.append(RowProblem(number, names[key], message))

        # The unit: by credit code, else by name; both given must agree.
        unit_id: int | None = None
        unit_active = True
        code_cell = normalise_credit_code(cells["credit_code"])
        if code_cell:
            found = by_code.get(code_cell)
            if found is None:
                problem(
                    "credit_code",
                    _("系统中没有统一社会信用代码为 {code} 的预算单位").format(code=code_cell),
                )
            else:
                unit_id, unit_active = found
                if (
                    cells["unit_name"]
                    and by_name.get(cells["unit_name"], (None, True))[0] != unit_id
                ):
                    problem("unit_name", _("单位名称与统一社会信用代码不是同一个单位"))
        elif cells["unit_name"]:
            found = by_name.get(cells["unit_name"])
            if found is None:
                problem(
                    "unit_name",
                    _("系统中没有名为“{name}”的预算单位").format(name=cells["unit_name"]),
                )
            else:
                unit_id, unit_active = found
        else:
            problem(
                "unit_name" if at["unit_name"] is not None else "credit_code",
                _("必填：单位名称或统一社会信用代码"),
            )
        if unit_id is not None and not unit_active:
            problem("unit_name", _("该单位已停用"))

        year: int | None = None
        if not cells["year"]:
            problem("year", _("必填，不能为空"))
        else:
            try:
                year = _year(_at(values, at["year"]))
            except ValueError as exc:
                problem("year", str(exc))

        amounts: dict[str, Decimal] = {}
        for key in ("initial", "adjusted", "executed"):
            raw = _at(values, at[key])
            if _text(raw) == "":
                if key == "initial":
                    problem(key, _("必填，不能为空"))
                continue
            try:
                amounts[key] = _amount(raw)
            except ValueError as exc:
                problem(key, str(exc))
        source = cells["source"] or DEFAULT_SOURCE
        if len(source) > 100:
            problem("source", _("不能超过 {limit} 个字").format(limit=100))

        code, name = cells["code"], cells["name"]
        is_unit_line = not code and name in UNIT_LINE_NAMES
        if not code and not is_unit_line:
            problem("code", _("必填，不能为空（部门整体预算行的项目名称请留空或写“部门整体”）"))
        if code and not name:
            problem("name", _("必填，不能为空"))
        for key, limit in (("code", 60), ("name", 200), ("category", 60)):
            if len(cells[key]) > limit:
                problem(
                    key,
                    _("不能超过 {limit} 个字，现为 {n} 个字").format(
                        limit=limit, n=len(cells[key])
                    ),
                )
        department_id: int | None = None
        if cells["department"]:
            department_id = departments.get(cells["department"])
            if department_id is None:
                problem(
                    "department",
                    _("系统中没有名为“{name}”的主管部门").format(name=cells["department"]),
                )
        period: tuple[int | None, int | None] = (None, None)
        try:
            period = parse_period(cells["period"])
        except ValueError as exc:
            problem("period", str(exc))
        if (
            year is not None
            and period[0] is not None
            and not (period[0] <= year <= (period[1] or year))
        ):
            problem("period", _("预算年度 {year} 不在实施期内").format(year=year))

        if unit_id is not None and year is not None and not problems:
            line_key = (unit_id, year, code, source)
            if line_key in seen_lines:
                problem(
                    "source",
                    _("与第 {row} 行重复（同一项目、同一资金来源）").format(
                        row=seen_lines[line_key]
                    ),
                )
            else:
                seen_lines[line_key] = number
        if problems:
            check.problems.extend(problems)
            continue
        assert unit_id is not None and year is not None
        initial = amounts["initial"]
        line = LineValues(
            source=source,
            initial=initial,
            # An export without adjustments yet: the full-year budget is the initial one.
            adjusted=amounts.get("adjusted", initial),
            executed=amounts.get("executed", Decimal("0.00")),
        )
        if is_unit_line:
            budget = unit_budgets.setdefault((unit_id, year), UnitBudgetValues(unit_id, year))
            budget.lines.append(line)
            budget.rows.append(number)
            continue
        project = projects.get((unit_id, year, code))
        if project is None:
            project = projects[(unit_id, year, code)] = ProjectValues(
                unit_id=unit_id,
                year=year,
                code=code,
                name=name,
                category=cells["category"],
                department_id=department_id or parents.get(unit_id),
                period_start=period[0],
                period_end=period[1],
            )
        elif project.name != name:
            check.problems.append(
                RowProblem(
                    number,
                    names["name"],
                    _("同一项目编码在第 {row} 行的名称为“{name}”，两行不一致").format(
                        row=project.rows[0], name=project.name
                    ),
                )
            )
            continue
        project.lines.append(line)
        project.rows.append(number)
    if not check.row_count:
        raise ProjectImportFileError(
            _("表中没有数据行：请从第 2 行起每行填写一个项目的一项资金来源。")
        )
    check.projects = list(projects.values())
    check.unit_budgets = list(unit_budgets.values())
    return check


def export_workbook(
    *, columns: Mapping[str, str], rows: Iterable[dict[str, Any]], note: str = ""
) -> bytes:
    """The register in the import layout (the bureau's headers): one row per budget line.

    ``rows``: dicts keyed by ``FIELDS`` (amounts as Decimal, written as numbers).
    """
    with export_workbook_file(columns=columns, rows=rows, note=note) as file:
        return file.read()


def export_workbook_file(
    *,
    columns: Mapping[str, str],
    rows: Iterable[dict[str, Any]],
    note: str | Callable[[], str] = "",
) -> IO[bytes]:
    """export_workbook into a temporary file (at 0), written row by row as ``rows`` come (a
    write-only workbook): the whole register of a province, 270,000 lines, never in memory.
    ``note`` may be a function, asked once the rows are written (whether some were left out)."""
    names = headers(columns)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    for index, width in enumerate((16, 36, 22, 32, 28, 14, 10, 16, 16, 18, 14, 12)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    append_row(sheet, [names[key] for key in FIELDS], font=Font(bold=True))
    for row in rows:
        append_row(sheet, [row.get(key, "") for key in FIELDS])
    if callable(note):
        note = note()
    if note:  # on a sheet of its own, so the layout still imports back
        append_row(book.create_sheet("说明"), [note])
    out = tempfile.TemporaryFile()  # noqa: SIM115 — the caller reads and closes it
    book.save(out)
    out.seek(0)
    return out
