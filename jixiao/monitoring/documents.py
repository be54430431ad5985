"""The 绩效监控表 as xlsx and pdf, reading a filled-in workbook back, and the frozen copies.

The workbook is the form itself: sheet 预算执行 (fund sources, then 偏差原因 and 纠偏措施), sheet
绩效目标 (one row per target, its code in column A) and sheet 情况说明. A unit downloads it, fills the
white cells in Excel and uploads it; the same layout is read back, all or nothing. Every cell is
written through scoring.sheet_cells; typed numbers are read through scoring.numbers; the upload is
checked by scoring.workbook_limits before openpyxl opens it.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from jixiao.evaluations.models import Evaluation
from scoring.monitoring import (
    LIKELIHOOD_LABELS,
    Level,
    Likelihood,
    MonitoringReport,
    MonitoringResult,
    Thresholds,
)
from scoring.numbers import NumberFormatError, parse_decimal
from scoring.rounding import format_amount, format_entered, format_percent
from scoring.ruleset import Direction
from scoring.sheet_cells import append_row, write_cell
from scoring.workbook_limits import WorkbookTooLarge, check_workbook

BUDGET_SHEET = "预算执行"
TARGET_SHEET = "绩效目标"
NOTES_SHEET = "情况说明"
BUDGET_HEADER = (
    "资金来源",
    "全年预算数（万元）",
    "截至监控时点执行数（万元）",
    "预算执行进度",
    "序时进度",
    "预警",
)
TARGET_HEADER = (
    "指标编码",
    "一级指标",
    "二级指标",
    "三级指标",
    "指标方向",
    "指标值",
    "区间上限",
    "计量单位",
    "截至监控时点完成值",
    "全年预计完成值",
    "预计完成进度",
    "完成目标可能性",
    "预警",
    "偏差原因",
    "纠偏措施",
)
DIRECTION_LABELS = {
    Direction.AT_LEAST: "≥",
    Direction.AT_MOST: "≤",
    Direction.EQUAL: "=",
    Direction.RANGE: "区间",
}
CAUSE_LABEL = "偏差原因"
MEASURES_LABEL = "纠偏措施"
FIRST_ROW = 4  # rows 1-3: title, who and when, header
YELLOW = PatternFill("solid", fgColor="FFF2CC")
RED = PatternFill("solid", fgColor="F8CBAD")


def title_of(report: MonitoringReport) -> str:
    what = report.project_name or _("部门整体")
    return f"{report.year}年度绩效运行监控表（{report.unit_name} · {what}）"


def _pct(value: Decimal | None) -> str:
    return format_percent(value) if value is not None else ""


def _fill(level: Level) -> PatternFill | None:
    return {Level.RED: RED, Level.YELLOW: YELLOW}.get(level)


def report_workbook(
    report: MonitoringReport, result: MonitoringResult, *, as_of: Any, thresholds: Thresholds
) -> bytes:
    """The 绩效监控表 (xlsx): also the file a unit fills in and uploads."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = BUDGET_SHEET
    info = (
        f"截至 {as_of:%Y年%m月%d日}　序时进度 {_pct(result.time_progress)}　"
        f"预警阈值：执行落后序时进度超过 {format_entered(thresholds.execution_yellow)}/"
        f"{format_entered(thresholds.execution_red)} 个百分点为黄/红，"
        f"目标预计完成低于 {format_entered(thresholds.target_yellow)}%/"
        f"{format_entered(thresholds.target_red)}% 为黄/红"
    )
    append_row(sheet, [title_of(report)])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [info])
    append_row(sheet, list(BUDGET_HEADER))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    for row in report.budget:
        from scoring.monitoring import execution_progress

        append_row(
            sheet,
            [
                row.source,
                row.adjusted,
                row.executed,
                _pct(execution_progress(row.executed, row.adjusted)),
                _pct(result.time_progress),
                "",
            ],
        )
    append_row(
        sheet,
        [
            "合计",
            result.adjusted_total,
            result.executed_total,
            _pct(result.execution_progress),
            _pct(result.time_progress),
            result.execution_level.label if result.execution_level else "",
        ],
    )
    fill = _fill(result.execution_level)
    if fill is not None:
        sheet.cell(row=sheet.max_row, column=6).fill = fill
    append_row(sheet, [CAUSE_LABEL, report.budget_cause])
    append_row(sheet, [MEASURES_LABEL, report.budget_measures])
    sheet.column_dimensions["A"].width = 22
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 18

    targets = book.create_sheet(TARGET_SHEET)
    append_row(targets, [title_of(report)])
    targets["A1"].font = Font(bold=True, size=13)
    append_row(
        targets,
        ["指标编码、指标名称、方向和指标值来自批复的绩效目标，修改无效；请填写其后各列。"],
    )
    append_row(targets, list(TARGET_HEADER))
    for cell in targets[3]:
        cell.font = Font(bold=True)
    by_code = result.target_by_code
    for target in report.targets:
        got = by_code.get(target.code)
        append_row(
            targets,
            [
                target.code,
                target.level1,
                target.level2,
                target.name,
                DIRECTION_LABELS.get(target.direction, str(target.direction)),
                target.value if target.value is not None else target.value_text,
                target.value_high,
                target.unit,
                target.to_date,
                target.expected,
                _pct(got.completion) if got else "",
                LIKELIHOOD_LABELS.get(target.likelihood, "") if target.likelihood else "",
                got.level.label if got and got.level else "",
                target.cause,
                target.measures,
            ],
        )
        if got is not None and (fill := _fill(got.level)) is not None:
            targets.cell(row=targets.max_row, column=13).fill = fill
    for letter, width in zip(
        "ABCDEFGHIJKLMNO", (10, 12, 14, 26, 8, 12, 10, 10, 16, 16, 12, 14, 10, 30, 30), strict=True
    ):
        targets.column_dimensions[letter].width = width
    for line in targets.iter_rows(min_row=FIRST_ROW):
        for cell in line[13:15]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")

    notes = book.create_sheet(NOTES_SHEET)
    write_cell(notes, 1, 1, "总体情况说明")
    write_cell(notes, 1, 2, report.summary)
    write_cell(notes, 2, 1, "填报日期")
    write_cell(notes, 2, 2, report.filled_on)
    notes.column_dimensions["B"].width = 80
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading a filled-in workbook back -------------------------------------------------------------


class WorkbookRefused(Exception):
    """The upload was not read; ``problems`` says where and why (sheet!cell), in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("；".join(problems))


_LIKELIHOOD_BY_LABEL = {label: key.value for key, label in LIKELIHOOD_LABELS.items()} | {
    "确定能": Likelihood.CERTAIN.value,
    "有可能": Likelihood.POSSIBLE.value,
    "完全不可能": Likelihood.UNLIKELY.value,
    "1": Likelihood.CERTAIN.value,
    "2": Likelihood.POSSIBLE.value,
    "3": Likelihood.UNLIKELY.value,
}
_DIRECTION_BY_LABEL = {label: key.value for key, label in DIRECTION_LABELS.items()} | {
    ">=": ">=",
    "<=": "<=",
    "range": "range",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any, where: str, problems: list[str]) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        problems.append(f"{where}：应为数字")
        return None
    if isinstance(value, int | float | Decimal):
        number = Decimal(str(value))
        if not number.is_finite():
            problems.append(f"{where}：应为有限的数字")
            return None
        return str(number)
    try:
        return str(parse_decimal(str(value)))
    except NumberFormatError as exc:
        problems.append(f"{where}：{exc.message}")
        return None


def read_workbook(content: bytes) -> dict[str, Any]:
    """The report's data from a filled-in 绩效监控表, or WorkbookRefused listing every fault."""
    try:
        check_workbook(content)
    except WorkbookTooLarge as exc:
        raise WorkbookRefused([str(exc)]) from None
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise WorkbookRefused([_("无法读取该文件：不是有效的 Excel 工作簿（.xlsx）")]) from None
    problems: list[str] = []
    missing = [n for n in (BUDGET_SHEET, TARGET_SHEET) if n not in book.sheetnames]
    if missing:
        raise WorkbookRefused(
            [
                _("缺少工作表：{names}。请使用本系统导出的绩效监控表填写").format(
                    names="、".join(missing)
                )
            ]
        )
    data: dict[str, Any] = {"budget": [], "targets": []}
    budget_rows = list(book[BUDGET_SHEET].iter_rows(values_only=True))
    if len(budget_rows) < 3 or tuple(_text(v) for v in budget_rows[2][:3]) != BUDGET_HEADER[:3]:
        problems.append(f"{BUDGET_SHEET}：第 3 行应为表头（{'、'.join(BUDGET_HEADER[:3])}）")
    else:
        for number, line in enumerate(budget_rows[FIRST_ROW - 1 :], start=FIRST_ROW):
            cells = [*line, None, None, None][:3]
            label = _text(cells[0])
            if label == "合计":
                continue
            if label == CAUSE_LABEL:
                data["budget_cause"] = _text(cells[1])
                continue
            if label == MEASURES_LABEL:
                data["budget_measures"] = _text(cells[1])
                continue
            if not any(_text(c) for c in cells):
                continue
            data["budget"].append(
                {
                    "source": label,
                    "adjusted": _number(cells[1], f"{BUDGET_SHEET}!B{number}", problems),
                    "executed": _number(cells[2], f"{BUDGET_SHEET}!C{number}", problems),
                }
            )
    target_rows = list(book[TARGET_SHEET].iter_rows(values_only=True))
    if len(target_rows) < 3 or _text(target_rows[2][0] if target_rows[2] else "") != "指标编码":
        problems.append(f"{TARGET_SHEET}：第 3 行应为表头（{'、'.join(TARGET_HEADER[:4])}…）")
    else:
        for number, line in enumerate(target_rows[FIRST_ROW - 1 :], start=FIRST_ROW):
            cells = [*line, *([None] * len(TARGET_HEADER))][: len(TARGET_HEADER)]
            if not any(_text(c) for c in cells):
                continue
            direction_text = _text(cells[4]) or "≥"
            direction = _DIRECTION_BY_LABEL.get(direction_text)
            if direction is None:
                problems.append(
                    f"{TARGET_SHEET}!E{number}：指标方向应为 ≥、≤、= 或 区间（现为「{direction_text}」）"
                )
            likelihood_text = _text(cells[11])
            likelihood = _LIKELIHOOD_BY_LABEL.get(likelihood_text) if likelihood_text else None
            if likelihood_text and likelihood is None:
                problems.append(
                    f"{TARGET_SHEET}!L{number}：完成目标可能性应为 确定能完成、有可能完成 或 "
                    f"完全不可能完成（现为「{likelihood_text}」）"
                )
            value_raw = cells[5]
            value_text = ""
            value: str | None
            if isinstance(value_raw, str) and value_raw.strip():
                try:
                    value = str(parse_decimal(value_raw))
                except NumberFormatError:
                    value, value_text = None, value_raw.strip()  # 定性指标值
            else:
                value = _number(value_raw, f"{TARGET_SHEET}!F{number}", problems)
            data["targets"].append(
                {
                    "code": _text(cells[0]),
                    "level1": _text(cells[1]),
                    "level2": _text(cells[2]),
                    "name": _text(cells[3]),
                    "direction": direction or ">=",
                    "value": value,
                    "value_text": value_text,
                    "value_high": _number(cells[6], f"{TARGET_SHEET}!G{number}", problems),
                    "unit": _text(cells[7]),
                    "to_date": _number(cells[8], f"{TARGET_SHEET}!I{number}", problems),
                    "expected": _number(cells[9], f"{TARGET_SHEET}!J{number}", problems),
                    "likelihood": likelihood,
                    "cause": _text(cells[13]),
                    "measures": _text(cells[14]),
                }
            )
    if NOTES_SHEET in book.sheetnames:
        for line in book[NOTES_SHEET].iter_rows(values_only=True, max_row=10):
            cells = [*line, None, None][:2]
            if _text(cells[0]) == "总体情况说明":
                data["summary"] = _text(cells[1])
            elif _text(cells[0]) == "填报日期":
                data["filled_on"] = _text(cells[1])
    book.close()
    if problems:
        raise WorkbookRefused(problems)
    return data


# --- pdf and the frozen copies --------------------------------------------------------------------


def report_context(
    report: MonitoringReport, result: MonitoringResult, *, as_of: Any, thresholds: Thresholds
) -> dict[str, Any]:
    """What the 绩效监控表 shows, figures formatted once (scoring.rounding)."""
    from scoring.monitoring import execution_progress

    by_code = result.target_by_code
    return {
        "title": title_of(report),
        "report": report,
        "as_of": as_of,
        "thresholds": thresholds,
        "time_progress": _pct(result.time_progress),
        "execution_progress": _pct(result.execution_progress),
        "execution_level": result.execution_level,
        "adjusted_total": format_amount(result.adjusted_total),
        "executed_total": format_amount(result.executed_total),
        "budget": [
            {
                "source": r.source,
                "adjusted": format_amount(r.adjusted) if r.adjusted is not None else "",
                "executed": format_amount(r.executed) if r.executed is not None else "",
                "progress": _pct(execution_progress(r.executed, r.adjusted)),
            }
            for r in report.budget
        ],
        "targets": [
            {
                "row": r,
                "direction": DIRECTION_LABELS.get(r.direction, ""),
                "value": format_entered(r.value) if r.value is not None else r.value_text,
                "to_date": format_entered(r.to_date) if r.to_date is not None else "",
                "expected": format_entered(r.expected) if r.expected is not None else "",
                "completion": _pct(by_code[r.code].completion) if r.code in by_code else "",
                "likelihood": LIKELIHOOD_LABELS.get(r.likelihood, "") if r.likelihood else "",
                "level": by_code[r.code].level if r.code in by_code else Level.NONE,
            }
            for r in report.targets
        ],
        "level": result.level,
    }


def report_pdf(
    report: MonitoringReport, result: MonitoringResult, *, as_of: Any, thresholds: Thresholds
) -> bytes:
    from weasyprint import HTML

    from jixiao.documents.render.pdf import _font_config

    html = render_to_string(
        "monitoring/sheet_pdf.html",
        report_context(report, result, as_of=as_of, thresholds=thresholds),
    )
    pdf = HTML(string=html).write_pdf(font_config=_font_config())
    assert pdf is not None
    return pdf


def documents_of(evaluation: Evaluation) -> dict[str, tuple[str, bytes]]:
    """format → (file name, bytes) of the 绩效监控表 of a stored report."""
    from jixiao.monitoring.services import round_of, validate
    from scoring.monitoring import evaluate

    report = validate(evaluation.data)
    settings = round_of(evaluation.campaign)
    result = evaluate(report, as_of=settings.as_of, thresholds=settings.thresholds)
    base = f"{report.year}年{report.unit_name}{report.project_name}绩效监控表"
    as_of, thresholds = settings.as_of, settings.thresholds
    return {
        "pdf": (f"{base}.pdf", report_pdf(report, result, as_of=as_of, thresholds=thresholds)),
        "data.xlsx": (
            f"{base}.xlsx",
            report_workbook(report, result, as_of=as_of, thresholds=thresholds),
        ),
    }


def freeze_monitoring_documents(evaluation: Evaluation) -> list[Any]:
    """Approval freezes the 绩效监控表 (pdf, xlsx) with their SHA-256 and SM3, as the other
    documents (jixiao.reviews.services.freeze_documents dispatches here for this kind)."""
    from jixiao.documents.digests import sha256_hex, sm3_hex
    from jixiao.reviews.models import FrozenDocument

    files = documents_of(evaluation)
    FrozenDocument.objects.filter(evaluation=evaluation).delete()
    return [
        FrozenDocument.objects.create(
            evaluation=evaluation,
            format=fmt,
            filename=name,
            content=content,
            sha256=sha256_hex(content),
            sm3=sm3_hex(content),
            size=len(content),
        )
        for fmt, (name, content) in files.items()
    ]
