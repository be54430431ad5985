"""The 绩效目标表 (项目支出绩效目标表 / 部门整体支出绩效目标表): xlsx and pdf of a declaration.

Layout (docs/targets.md, after the local forms in /work/shared/docs/cycle.md §1): a title, the
header rows (项目名称 / 主管部门 / 实施单位 / 年度资金总额, or 单位名称 / 主管部门 / 年度预算总额),
the 总体目标 (年度目标), then the indicator grid 一级指标 | 二级指标 | 三级指标 | 指标值 | 计量单位 |
权重 | 评分标准 | 指标说明 | 数据来源, and the sign-off boxes 主管部门审核意见 / 财政部门审核意见.
Cells are written only through scoring.sheet_cells; figures are printed through scoring.rounding.
Frozen on the bureau's approval by the reviews.freeze job (reviews.services.freeze_documents).
"""

from __future__ import annotations

import io
from decimal import Decimal
from html import escape
from typing import Any

from jixiao.evaluations.models import Evaluation
from scoring.rounding import format_amount, format_decimal
from scoring.ruleset import Direction
from scoring.sheet_cells import write_cell
from scoring.targets import DeclarationScope, DeclaredTarget, TargetDeclaration

TARGET_FORMATS = ("pdf", "targets.xlsx")
COLUMNS = (
    "一级指标",
    "二级指标",
    "三级指标",
    "指标值",
    "计量单位",
    "权重",
    "评分标准",
    "指标说明",
    "数据来源",
)


def title_of(declaration: TargetDeclaration) -> str:
    if declaration.scope is DeclarationScope.PROJECT:
        return f"{declaration.year}年度项目支出绩效目标表"
    return f"{declaration.year}年度部门整体支出绩效目标表"


def value_text(target: DeclaredTarget) -> str:
    """指标值 as the form prints it: ≥95, ≤30, =1, 90–100, or the qualitative text."""
    if target.value is None:
        return target.value_text
    value = format_decimal(target.value)
    if target.direction is Direction.RANGE:
        high = format_decimal(target.value_high) if target.value_high is not None else ""
        return f"{value}–{high}"
    sign = {Direction.AT_LEAST: "≥", Direction.AT_MOST: "≤", Direction.EQUAL: "="}[target.direction]
    return f"{sign}{value}"


def header_rows(declaration: TargetDeclaration, *, department: str) -> list[tuple[str, str]]:
    amount = format_amount(declaration.amount) if declaration.amount is not None else ""
    if declaration.scope is DeclarationScope.PROJECT:
        return [
            ("项目名称", declaration.project_name),
            ("项目编码", declaration.project_code),
            ("主管部门", department),
            ("实施单位", declaration.unit_name),
            ("年度资金总额（万元）", amount),
        ]
    return [
        ("单位名称", declaration.unit_name),
        ("主管部门", department),
        ("年度预算总额（万元）", amount),
    ]


def grid_rows(declaration: TargetDeclaration) -> list[list[str]]:
    return [
        [
            t.level1.value,
            t.level2,
            t.name,
            value_text(t),
            t.unit,
            format_decimal(t.weight) if t.weight is not None else "",
            t.criteria,
            t.explanation,
            t.data_source,
        ]
        for t in declaration.targets
    ]


def total_weight(declaration: TargetDeclaration) -> str:
    return format_decimal(sum((t.weight or Decimal(0) for t in declaration.targets), Decimal(0)))


def render_xlsx(declaration: TargetDeclaration, *, department: str, stamp: str = "") -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "绩效目标表"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    width = len(COLUMNS)
    write_cell(ws, 1, 1, title_of(declaration)).font = Font(bold=True, size=16)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    row = 2
    if stamp:
        write_cell(ws, row, 1, stamp)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        row += 1
    for label, value in header_rows(declaration, department=department):
        write_cell(ws, row, 1, label).border = box
        cell = write_cell(ws, row, 2, value)
        cell.border = box
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        row += 1
    write_cell(ws, row, 1, "总体目标").border = box
    goal = write_cell(ws, row, 2, declaration.overall_goal)
    goal.alignment = wrap
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
    ws.row_dimensions[row].height = max(30, 15 * (1 + len(declaration.overall_goal) // 60))
    row += 1
    for column, name in enumerate(COLUMNS, 1):
        cell = write_cell(ws, row, column, name)
        cell.font = Font(bold=True)
        cell.border = box
    row += 1
    for values in grid_rows(declaration):
        for column, value in enumerate(values, 1):
            cell = write_cell(ws, row, column, value)
            cell.border = box
            cell.alignment = wrap
        row += 1
    write_cell(ws, row, 1, "权重合计").border = box
    write_cell(ws, row, 6, total_weight(declaration)).border = box
    row += 2
    for label in ("主管部门审核意见", "财政部门审核意见"):
        write_cell(ws, row, 1, label)
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=width)
        ws.row_dimensions[row].height = 40
        row += 1
    for letter, size in zip("ABCDEFGHI", (10, 12, 24, 12, 8, 6, 28, 28, 16), strict=True):
        ws.column_dimensions[letter].width = size
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


PDF_CSS = """
@page { size: A4 landscape; margin: 15mm 12mm; @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; } }
html { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "AR PL UKai CN", serif; font-size: 10.5pt; }
h1 { font-family: "Noto Sans CJK SC", sans-serif; font-size: 18pt; text-align: center; margin: 0 0 4mm; }
.stamp { text-align: right; font-size: 9pt; margin-bottom: 2mm; }
table { width: 100%; border-collapse: collapse; margin-bottom: 4mm; }
th, td { border: 0.6pt solid #000; padding: 1.5mm 2mm; vertical-align: middle; }
th { background: #eee; font-weight: bold; }
td.label { width: 28mm; font-weight: bold; background: #f6f6f6; }
tr { page-break-inside: avoid; }
.sign td { height: 18mm; }
"""


def render_html(declaration: TargetDeclaration, *, department: str, stamp: str = "") -> str:
    head = "".join(
        f'<tr><td class="label">{escape(label)}</td><td>{escape(value)}</td></tr>'
        for label, value in header_rows(declaration, department=department)
    )
    goal = escape(declaration.overall_goal).replace("\n", "<br>")
    grid = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in values) + "</tr>"
        for values in grid_rows(declaration)
    )
    columns = "".join(f"<th>{escape(c)}</th>" for c in COLUMNS)
    stamp_html = f'<div class="stamp">{escape(stamp)}</div>' if stamp else ""
    return (
        f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><style>{PDF_CSS}</style>"
        f"<title>{escape(title_of(declaration))}</title></head><body>"
        f"<h1>{escape(title_of(declaration))}</h1>{stamp_html}"
        f"<table>{head}<tr><td class='label'>总体目标</td><td>{goal}</td></tr></table>"
        f"<table><thead><tr>{columns}</tr></thead><tbody>{grid}"
        f"<tr><td colspan='5'>权重合计</td><td>{escape(total_weight(declaration))}</td>"
        f"<td colspan='3'></td></tr></tbody></table>"
        "<table class='sign'><tr><td class='label'>主管部门审核意见</td><td></td></tr>"
        "<tr><td class='label'>财政部门审核意见</td><td></td></tr></table>"
        "</body></html>"
    )


def render_pdf(declaration: TargetDeclaration, *, department: str, stamp: str = "") -> bytes:
    from weasyprint import HTML

    from jixiao.documents.render.pdf import _font_config

    pdf = HTML(string=render_html(declaration, department=department, stamp=stamp)).write_pdf(
        font_config=_font_config()
    )
    assert pdf is not None
    return pdf


def filename(evaluation: Evaluation, fmt: str) -> str:
    project = evaluation.project_name.strip()
    what = f"{project}项目支出绩效目标表" if project else "部门整体支出绩效目标表"
    stem = "".join(
        ch
        for ch in f"{evaluation.campaign.year}年度{evaluation.unit.name}{what}"
        if ch.isprintable()
    )
    stem = stem.replace("/", "／").replace("\\", "＼")
    return stem + (".pdf" if fmt == "pdf" else ".xlsx")


def render_declaration(
    evaluation: Evaluation, data: dict[str, Any], fmt: str, stamp: str = ""
) -> bytes:
    from jixiao.targets.declarations import parse_declaration

    declaration = parse_declaration(data)
    department = evaluation.unit.parent.name if evaluation.unit.parent else ""
    if fmt == "pdf":
        return render_pdf(declaration, department=department, stamp=stamp)
    return render_xlsx(declaration, department=department, stamp=stamp)


def freeze_declaration(evaluation: Evaluation) -> list[Any]:
    """Render the approved declaration's 绩效目标表 once and keep the exact bytes with their SHA-256
    and SM3 (the same FrozenDocument rows as a self-evaluation's report)."""
    from django.utils.translation import gettext as _

    from jixiao.documents.digests import sha256_hex, sm3_hex
    from jixiao.reviews.models import FrozenDocument
    from jixiao.reviews.services import TransitionRefused
    from scoring.loading import InputError

    FrozenDocument.objects.filter(evaluation=evaluation).delete()
    frozen = []
    for fmt in TARGET_FORMATS:
        name = filename(evaluation, fmt)
        try:
            content = render_declaration(evaluation, evaluation.data, fmt)
        except InputError as exc:
            raise TransitionRefused([str(p) for p in exc.problems]) from exc
        except Exception as exc:
            raise TransitionRefused(
                [
                    _("生成“{name}”失败，请稍后重新生成或联系管理员（{error}）").format(
                        name=name, error=type(exc).__name__
                    )
                ]
            ) from exc
        frozen.append(
            FrozenDocument.objects.create(
                evaluation=evaluation,
                format=fmt,
                filename=name,
                content=content,
                sha256=sha256_hex(content),
                sm3=sm3_hex(content),
                size=len(content),
            )
        )
    return frozen
