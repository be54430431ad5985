"""Rule-sets as Excel scoring sheets (评分表) and as YAML text.

The workbook has four sheets:

- 评分表: one row per indicator, columns 序号, 一级指标, 二级指标, 三级指标, 分值, 指标解释, 评分标准 (what a
  bureau reads and fills in), then machine columns 编码, 单位自设, 规则, 方向, 取数来源, 目标值, 目标上限,
  限值, 每点扣分. A row's level is the rightmost filled name column; its parent is the nearest row
  above it one level up.
- 规则集: id, version, name, kind, basis, description, total_points, the thresholds and the scoring
  options (评分选项: reverse, equal_zero_target, not_applicable, explain_below_points,
  category_caps), one per row; an option left out keeps its default.
- 定性档次 and 评价等级: the qualitative bands and the grades, one per row.

Importing checks everything and names the sheet row of each fault in Chinese. A leaf without a
machine rule is not an error: it becomes a qualitative indicator scored with the rule-set's bands,
and the import returns a warning for it (a bureau that fills in only the seven human columns gets a
usable rule-set and is told what was assumed).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from scoring.loading import InputError, InputProblem
from scoring.ruleset import (
    Band,
    CategoryCap,
    DerivedMetric,
    Direction,
    Grade,
    Indicator,
    NotApplicableRule,
    ReverseScoring,
    Rule,
    RuleKind,
    RuleSet,
    ZeroTarget,
    ruleset_problems,
)
from scoring.sheet_cells import append_row
from scoring.workbook_limits import WorkbookTooLarge, check_workbook

SHEET_INDICATORS = "评分表"
SHEET_INFO = "规则集"
SHEET_BANDS = "定性档次"
SHEET_GRADES = "评价等级"

HUMAN_COLUMNS = ("序号", "一级指标", "二级指标", "三级指标", "分值", "指标解释", "评分标准")
MACHINE_COLUMNS = (
    "编码",
    "单位自设",
    "规则",
    "方向",
    "取数来源",
    "目标值",
    "目标上限",
    "限值",
    "每点扣分",
)
COLUMNS = HUMAN_COLUMNS + MACHINE_COLUMNS
LEVEL_COLUMNS = ("一级指标", "二级指标", "三级指标")

INFO_FIELDS = (
    ("id", "规则集编号"),
    ("version", "版本"),
    ("name", "名称"),
    ("kind", "类型（department 部门整体 / project 项目）"),
    ("basis", "文件依据"),
    ("description", "说明"),
    ("total_points", "总分"),
    ("over_completion", "完成率偏高提示线（%）"),
    ("execution_min", "预算执行率说明线（%）"),
    ("adjustment_max", "预算调整率说明线（%）"),
    ("over_completion_zero_target", "目标值为 0 时实际值达到此数视为偏离度过大（空：不检查）"),
    ("reverse", "反向指标未达成时计分：ratio 按目标值/实际值；linear 线性扣减，两倍目标值为 0"),
    ("equal_zero_target", "“=”指标目标值为 0：exact 实际为 0 才达成；at_most 实际 ≤ 0 即达成"),
    ("not_applicable", "不适用指标：refuse 不允许；rescale 剔除后其余分值按总分折算"),
    ("explain_below_points", "得分低于分值须填写偏差原因（是/否）"),
    ("category_caps", "类别分值上限，如“成本指标:5”，多项以；分隔"),
)
OPTION_FIELDS = (
    "reverse",
    "equal_zero_target",
    "not_applicable",
    "explain_below_points",
    "category_caps",
)
# Chinese spellings accepted for the options besides the machine values.
OPTION_ALIASES: dict[str, dict[str, Any]] = {
    "reverse": {"比例": ReverseScoring.RATIO, "线性": ReverseScoring.LINEAR},
    "equal_zero_target": {"等于0": ZeroTarget.EXACT, "小于等于0": ZeroTarget.AT_MOST},
    "not_applicable": {"不允许": NotApplicableRule.REFUSE, "剔除折算": NotApplicableRule.RESCALE},
}
OPTION_ENUMS: dict[str, type[Enum]] = {
    "reverse": ReverseScoring,
    "equal_zero_target": ZeroTarget,
    "not_applicable": NotApplicableRule,
}
BAND_COLUMNS = ("档次", "名称", "下限（%）", "上限（%）")
GRADE_COLUMNS = ("编码", "简称", "等级", "分数线")

# Chinese spellings accepted on import besides the machine values.
KIND_ALIASES = {
    "定量": RuleKind.QUANTITATIVE,
    "定性": RuleKind.QUALITATIVE,
    "扣分": RuleKind.DEDUCTION,
    "扣分制": RuleKind.DEDUCTION,
    "预算执行率": RuleKind.BUDGET_EXECUTION,
}
DIRECTION_ALIASES = {
    "≥": Direction.AT_LEAST,
    "正向": Direction.AT_LEAST,
    "≤": Direction.AT_MOST,
    "反向": Direction.AT_MOST,
    "等于": Direction.EQUAL,
    "区间": Direction.RANGE,
}
YES = {"是", "yes", "true", "y", "1", "√"}
NO = {"否", "no", "false", "n", "0", ""}

MAX_DEPTH = len(LEVEL_COLUMNS)


@dataclass
class SheetImport:
    """An imported rule-set and the warnings about what the import assumed."""

    ruleset: RuleSet
    warnings: list[InputProblem] = field(default_factory=list)


# ---------------------------------------------------------------- export


def _cell_number(value: Decimal | None) -> int | float | str | None:
    """Numbers go into cells as numbers so a bureau can add them up; exact text otherwise."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else format(value, "f")


def _direction_cell(rule: Rule | None) -> str | None:
    """The direction where it matters, so a qualitative row has no machine cells but its kind."""
    if rule is None:
        return None
    if rule.kind in (RuleKind.QUANTITATIVE, RuleKind.DEDUCTION):
        return rule.direction.value
    return None if rule.direction is Direction.AT_LEAST else rule.direction.value


def export_sheet(ruleset: RuleSet) -> bytes:
    """The rule-set as an .xlsx scoring sheet (see the module docstring for the layout)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_INDICATORS
    append_row(sheet, COLUMNS)
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="DDDDDD")
    for index, cell in enumerate(sheet[1]):
        cell.font = bold
        if index >= len(HUMAN_COLUMNS):
            cell.fill = grey
    for number, (path, node) in enumerate(ruleset.walk(), start=1):
        if len(path) >= MAX_DEPTH:
            raise InputError(
                [
                    InputProblem(
                        ruleset.ref,
                        None,
                        node.code,
                        f"指标「{node.name}」超过三级，评分表只支持一至三级指标",
                    )
                ]
            )
        names: list[str | None] = [None] * MAX_DEPTH
        names[len(path)] = node.name
        rule = node.rule
        append_row(
            sheet,
            [
                number,
                *names,
                _cell_number(node.points),
                node.explanation or None,
                node.criteria or None,
                node.code,
                "是" if node.open else None,
                rule.kind.value if rule else None,
                _direction_cell(rule),
                rule.source.value if rule and rule.source else None,
                _cell_number(rule.target) if rule else None,
                _cell_number(rule.target_high) if rule else None,
                _cell_number(rule.limit) if rule else None,
                _cell_number(rule.deduct_per_point) if rule else None,
            ],
        )
    widths = (6, 16, 18, 24, 8, 50, 50, 8, 8, 16, 8, 22, 8, 8, 8, 8)
    for column, width in zip("ABCDEFGHIJKLMNOP", widths, strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=7):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"

    info = book.create_sheet(SHEET_INFO)
    append_row(info, ("字段", "说明", "值"))
    values: dict[str, Any] = {
        "id": ruleset.id,
        "version": ruleset.version,
        "name": ruleset.name,
        "kind": ruleset.kind,
        "basis": ruleset.basis or None,
        "description": ruleset.description or None,
        "total_points": _cell_number(ruleset.total_points),
        "over_completion": _cell_number(ruleset.thresholds.over_completion),
        "execution_min": _cell_number(ruleset.thresholds.execution_min),
        "adjustment_max": _cell_number(ruleset.thresholds.adjustment_max),
        "over_completion_zero_target": _cell_number(ruleset.thresholds.over_completion_zero_target),
        "reverse": ruleset.options.reverse.value,
        "equal_zero_target": ruleset.options.equal_zero_target.value,
        "not_applicable": ruleset.options.not_applicable.value,
        "explain_below_points": "是" if ruleset.options.explain_below_points else "否",
        "category_caps": "；".join(
            f"{c.category}:{_text(_cell_number(c.max_points))}"
            for c in ruleset.options.category_caps
        )
        or None,
    }
    for key, label in INFO_FIELDS:
        append_row(info, (key, label, values[key]))
    info.column_dimensions["B"].width = 36
    info.column_dimensions["C"].width = 60

    bands = book.create_sheet(SHEET_BANDS)
    append_row(bands, BAND_COLUMNS)
    for band in ruleset.bands:
        append_row(bands, (band.key, band.label, _cell_number(band.low), _cell_number(band.high)))
    bands.column_dimensions["B"].width = 36

    grades = book.create_sheet(SHEET_GRADES)
    append_row(grades, GRADE_COLUMNS)
    for grade in ruleset.grades:
        append_row(grades, (grade.code, grade.label, grade.name, _cell_number(grade.min_score)))

    for ws in (info, bands, grades):
        for cell in ws[1]:
            cell.font = bold
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- import


class _Problems:
    """Collects located problems for one workbook."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[InputProblem] = []
        self.warnings: list[InputProblem] = []

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.errors.append(InputProblem(self.source, row, _where(sheet, column), message))

    def warn(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.warnings.append(InputProblem(self.source, row, _where(sheet, column), message))


def _where(sheet: str, column: str) -> str:
    return f"{sheet}「{column}」" if column else sheet


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decimal(value: Any) -> Decimal | None:
    """A cell as Decimal; floats go through their shortest repr so 0.1 stays 0.1."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(",", "").removesuffix("%")
    return Decimal(text)


def _header_map(sheet: Worksheet, expected: Iterable[str]) -> dict[str, int]:
    header = [_text(c) for c in next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())]
    found = {name: index for index, name in enumerate(header) if name}
    return {name: found[name] for name in expected if name in found}


def import_sheet(data: bytes, source: str = "<评分表>") -> SheetImport:
    """Read a scoring sheet back into a RuleSet; every fault is a located InputProblem."""
    problems = _Problems(source)
    try:
        # the one read guard: sizes, rows, cells and strings before openpyxl parses anything
        # (random cell access below needs a full workbook, so its size is bounded here)
        check_workbook(data)
    except WorkbookTooLarge as exc:
        raise InputError([InputProblem(source, None, "", exc.reason)]) from None
    try:
        book = load_workbook(io.BytesIO(data), data_only=True, read_only=False)
    except Exception:  # openpyxl raises many kinds for a non-xlsx file
        raise InputError(
            [InputProblem(source, None, "", "无法读取，不是有效的 Excel（.xlsx）文件")]
        ) from None
    if SHEET_INDICATORS not in book.sheetnames:
        raise InputError([InputProblem(source, None, "", f"缺少工作表「{SHEET_INDICATORS}」")])
    info = _read_info(book, source, problems)
    bands = _read_bands(book, problems)
    grades = _read_grades(book, problems)
    indicators = _read_indicators(book[SHEET_INDICATORS], problems)
    if indicators is not None:
        top_sum = sum((node.points for node, _ in indicators), Decimal(0))
        total = info.get("total_points")
        if isinstance(total, Decimal) and top_sum != total:
            problems.error(
                SHEET_INFO,
                info["_total_row"],
                "total_points",
                f"一级指标分值合计 {top_sum} 不等于总分 {total}",
            )
    if problems.errors:
        raise InputError(problems.errors)
    assert indicators is not None
    fields: dict[str, Any] = {
        k: v for k, v in info.items() if not k.startswith("_") and v is not None
    }
    thresholds = {
        k: fields.pop(k)
        for k in (
            "over_completion",
            "execution_min",
            "adjustment_max",
            "over_completion_zero_target",
        )
        if k in fields
    }
    # validated with the rule-set below, so a wrong value is a located problem, not a crash
    fields["thresholds"] = thresholds
    fields["options"] = {k: fields.pop(k) for k in OPTION_FIELDS if k in fields}
    fields["indicators"] = tuple(node for node, _ in indicators)
    if bands is not None:
        fields["bands"] = bands
    if grades is not None:
        fields["grades"] = grades
    try:
        ruleset = RuleSet(**fields)
    except ValidationError as exc:
        raise InputError(
            [
                InputProblem(source, None, ".".join(map(str, e["loc"])), _plain(e["msg"]))
                for e in exc.errors()
            ]
        ) from None
    return SheetImport(ruleset=ruleset, warnings=problems.warnings)


def _plain(message: str) -> str:
    return message.removeprefix("Value error, ")


def _read_info(book: Any, source: str, problems: _Problems) -> dict[str, Any]:
    stem = Path(source).stem or "ruleset"
    out: dict[str, Any] = {"_total_row": None}
    if SHEET_INFO not in book.sheetnames:
        problems.warn(
            SHEET_INFO,
            None,
            "",
            f"缺少工作表「{SHEET_INFO}」，按编号 {stem}、版本 1、部门整体（department）、总分 100 导入",
        )
        return {"id": stem, "version": "1", "name": stem, "kind": "department", **out}
    sheet = book[SHEET_INFO]
    known = {key for key, _ in INFO_FIELDS}
    numeric = {
        "total_points",
        "over_completion",
        "execution_min",
        "adjustment_max",
        "over_completion_zero_target",
    }
    for row_number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not row or all(v is None for v in row):
            continue
        key = _text(row[0])
        value = row[2] if len(row) > 2 else None
        if key not in known:
            problems.error(SHEET_INFO, row_number, key, "不认识的字段（请检查拼写）")
            continue
        if key in OPTION_FIELDS:
            _read_option(key, value, row_number, out, problems)
        elif key in numeric:
            try:
                out[key] = _decimal(value)
            except InvalidOperation:
                problems.error(SHEET_INFO, row_number, key, f"应为数字，现为「{_text(value)}」")
            if key == "total_points":
                out["_total_row"] = row_number
        else:
            out[key] = _text(value) or None
    for key in ("id", "version", "name", "kind"):
        if not out.get(key):
            problems.error(SHEET_INFO, None, key, "必填项缺失")
    if out.get("kind") and out["kind"] not in {"department", "project"}:
        problems.error(SHEET_INFO, None, "kind", "应为 department（部门整体）或 project（项目）")
    if out.get("total_points") is None:
        out["total_points"] = Decimal(100)
    return out


def _read_option(key: str, value: Any, row: int, out: dict[str, Any], problems: _Problems) -> None:
    """One 评分选项 row of the 规则集 sheet; blank keeps the default."""
    text = _text(value)
    if not text:
        return
    if key in OPTION_ENUMS:
        try:
            found = _enum(text, OPTION_ENUMS[key], OPTION_ALIASES.get(key, {}))
        except ValueError:
            found = None
        if found is None:
            choices = "、".join(str(e.value) for e in OPTION_ENUMS[key])
            problems.error(SHEET_INFO, row, key, f"取值「{text}」无效，可选：{choices}")
        else:
            out[key] = found
    elif key == "explain_below_points":
        if text.lower() in YES:
            out[key] = True
        elif text.lower() in NO:
            out[key] = False
        else:
            problems.error(SHEET_INFO, row, key, f"应为“是”或“否”，现为「{text}」")
    else:
        caps = []
        for part in text.replace(";", "；").split("；"):
            if not part.strip():
                continue
            name, sep, number = part.replace("：", ":").rpartition(":")
            try:
                points = _decimal(number) if sep and name.strip() else None
            except InvalidOperation:
                points = None
            if points is None or points < 0 or len(name.strip()) > 40:
                problems.error(
                    SHEET_INFO, row, key, f"「{part.strip()}」应写作“类别:分值上限”，如“成本指标:5”"
                )
                continue
            caps.append(CategoryCap(category=name.strip(), max_points=points))
        out[key] = tuple(caps)


def _rows(sheet: Worksheet) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for row_number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if row and any(v is not None and _text(v) for v in row):
            yield row_number, row


def _read_bands(book: Any, problems: _Problems) -> tuple[Band, ...] | None:
    if SHEET_BANDS not in book.sheetnames:
        return None
    out = []
    previous_low: Decimal | None = None
    for row_number, row in _rows(book[SHEET_BANDS]):
        cells = [*row, None, None, None, None][:4]
        try:
            low, high = _decimal(cells[2]), _decimal(cells[3])
        except InvalidOperation:
            problems.error(SHEET_BANDS, row_number, "下限/上限", "应为数字")
            continue
        if low is None or high is None or not _text(cells[0]):
            problems.error(SHEET_BANDS, row_number, "", "档次、下限、上限均须填写")
            continue
        if low > high:
            problems.error(SHEET_BANDS, row_number, "下限（%）", f"下限 {low} 高于上限 {high}")
        if previous_low is not None and high != previous_low:
            problems.error(
                SHEET_BANDS,
                row_number,
                "上限（%）",
                f"上限 {high} 与上一档下限 {previous_low} 不衔接（档次须从高到低排列）",
            )
        previous_low = low
        out.append(Band(key=_text(cells[0]), label=_text(cells[1]), low=low, high=high))
    if out and (out[0].high != 100 or out[-1].low != 0):
        problems.error(SHEET_BANDS, None, "", "定性档次须从 100% 开始、到 0% 结束")
    return tuple(out) if out else None


def _read_grades(book: Any, problems: _Problems) -> tuple[Grade, ...] | None:
    if SHEET_GRADES not in book.sheetnames:
        return None
    out: list[Grade] = []
    for row_number, row in _rows(book[SHEET_GRADES]):
        cells = [*row, None, None, None, None][:4]
        try:
            minimum = _decimal(cells[3])
        except InvalidOperation:
            problems.error(SHEET_GRADES, row_number, "分数线", "应为数字")
            continue
        if minimum is None or not _text(cells[0]):
            problems.error(SHEET_GRADES, row_number, "", "编码和分数线均须填写")
            continue
        if out and minimum >= out[-1].min_score:
            problems.error(
                SHEET_GRADES, row_number, "分数线", "评价等级须按分数线从高到低排列且互不相同"
            )
        out.append(
            Grade(
                code=_text(cells[0]), label=_text(cells[1]), name=_text(cells[2]), min_score=minimum
            )
        )
    if out and out[-1].min_score != 0:
        problems.error(
            SHEET_GRADES, None, "分数线", "最低评价等级的分数线须为 0，使每个总分都有等级"
        )
    return tuple(out) if out else None


@dataclass
class _Node:
    row: int
    level: int
    code: str
    name: str
    points: Decimal | None
    explanation: str
    criteria: str
    rule: Rule | None
    open: bool
    children: list[_Node] = field(default_factory=list)


def _enum(value: str, enum: type[Enum], aliases: dict[str, Any]) -> Any:
    if value in aliases:
        return aliases[value]
    return enum(value)


def _read_indicators(sheet: Worksheet, problems: _Problems) -> list[tuple[Indicator, int]] | None:
    columns = _header_map(sheet, COLUMNS)
    missing = [name for name in HUMAN_COLUMNS if name not in columns and name != "序号"]
    if missing:
        problems.error(SHEET_INDICATORS, 1, "", f"表头缺少列：{'、'.join(missing)}")
        return None

    def cell(row: tuple[Any, ...], name: str) -> Any:
        index = columns.get(name)
        return row[index] if index is not None and index < len(row) else None

    roots: list[_Node] = []
    stack: list[_Node] = []
    codes: dict[str, int] = {}
    for row_number, row in _rows(sheet):
        levels = [i for i, name in enumerate(LEVEL_COLUMNS) if _text(cell(row, name))]
        if not levels:
            problems.error(SHEET_INDICATORS, row_number, "一级指标", "未填写指标名称")
            continue
        level = levels[-1]
        name = _text(cell(row, LEVEL_COLUMNS[level]))
        if level > len(stack):
            problems.error(
                SHEET_INDICATORS,
                row_number,
                LEVEL_COLUMNS[level],
                f"「{name}」上方没有所属的{LEVEL_COLUMNS[level - 1]}",
            )
            continue
        del stack[level:]
        try:
            points = _decimal(cell(row, "分值"))
        except InvalidOperation:
            problems.error(
                SHEET_INDICATORS,
                row_number,
                "分值",
                f"应为数字，现为「{_text(cell(row, '分值'))}」",
            )
            points = Decimal(0)
        if points is not None and points < 0:
            problems.error(SHEET_INDICATORS, row_number, "分值", "不得为负数")
        open_text = _text(cell(row, "单位自设")).lower()
        if open_text not in YES | NO:
            problems.error(SHEET_INDICATORS, row_number, "单位自设", "应填“是”或留空")
        code = _text(cell(row, "编码"))
        if not code:
            parent_code = stack[-1].code if stack else ""
            siblings = len(stack[-1].children) if stack else len(roots)
            code = f"{parent_code}.{siblings + 1}" if parent_code else str(siblings + 1)
        if code in codes:
            problems.error(
                SHEET_INDICATORS, row_number, "编码", f"编码 {code} 与第 {codes[code]} 行重复"
            )
        codes[code] = row_number
        node = _Node(
            row=row_number,
            level=level,
            code=code,
            name=name,
            points=points,
            explanation=_text(cell(row, "指标解释")),
            criteria=_text(cell(row, "评分标准")),
            rule=_read_rule(row, row_number, cell, problems),
            open=open_text in YES,
        )
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    if not roots and not problems.errors:
        problems.error(SHEET_INDICATORS, None, "", "没有任何指标")
    return [(_build(node, problems), node.row) for node in roots]


def _read_rule(
    row: tuple[Any, ...],
    row_number: int,
    cell: Callable[[tuple[Any, ...], str], Any],
    problems: _Problems,
) -> Rule | None:
    kind_text = _text(cell(row, "规则"))
    fields: dict[str, Any] = {}
    if not kind_text:
        if any(_text(cell(row, c)) for c in MACHINE_COLUMNS[3:]):
            problems.error(SHEET_INDICATORS, row_number, "规则", "填写了规则参数却未填写规则类型")
        return None
    try:
        fields["kind"] = _enum(kind_text, RuleKind, KIND_ALIASES)
    except ValueError:
        options = "、".join([k.value for k in RuleKind] + list(KIND_ALIASES))
        problems.error(
            SHEET_INDICATORS, row_number, "规则", f"「{kind_text}」无效，可选：{options}"
        )
        return None
    direction = _text(cell(row, "方向"))
    if direction:
        try:
            fields["direction"] = _enum(direction, Direction, DIRECTION_ALIASES)
        except ValueError:
            problems.error(
                SHEET_INDICATORS, row_number, "方向", f"「{direction}」无效，可选：>=、<=、=、range"
            )
    source = _text(cell(row, "取数来源"))
    if source:
        try:
            fields["source"] = DerivedMetric(source)
        except ValueError:
            options = "、".join(m.value for m in DerivedMetric)
            problems.error(
                SHEET_INDICATORS, row_number, "取数来源", f"「{source}」无效，可选：{options}"
            )
    for column, key in (
        ("目标值", "target"),
        ("目标上限", "target_high"),
        ("限值", "limit"),
        ("每点扣分", "deduct_per_point"),
    ):
        try:
            value = _decimal(cell(row, column))
        except InvalidOperation:
            problems.error(SHEET_INDICATORS, row_number, column, "应为数字")
            continue
        if value is not None:
            fields[key] = value
    return Rule(**fields)


def _build(node: _Node, problems: _Problems) -> Indicator:
    where = LEVEL_COLUMNS[node.level]
    children = tuple(_build(child, problems) for child in node.children)
    points = node.points
    if children:
        child_sum = sum((c.points for c in children), Decimal(0))
        if points is None:
            points = child_sum
        elif child_sum != points:
            problems.error(
                SHEET_INDICATORS,
                node.row,
                "分值",
                f"「{node.name}」的下级指标分值合计 {child_sum} 不等于其分值 {points}",
            )
        if node.open:
            problems.error(
                SHEET_INDICATORS,
                node.row,
                "单位自设",
                f"「{node.name}」有下级指标，不能标为单位自设",
            )
    elif points is None:
        problems.error(SHEET_INDICATORS, node.row, "分值", f"末级指标「{node.name}」未填写分值")
        points = Decimal(0)
    rule = node.rule
    if not children and not node.open and rule is None:
        rule = Rule(kind=RuleKind.QUALITATIVE)
        problems.warn(
            SHEET_INDICATORS,
            node.row,
            "规则",
            f"{where}「{node.name}」未填写评分规则，按定性指标（默认档次）处理",
        )
    if rule is not None and (children or node.open):
        problems.error(
            SHEET_INDICATORS, node.row, "规则", f"「{node.name}」不是末级指标，不应填写评分规则"
        )
        rule = None
    if rule is not None:
        probe = Indicator(code=node.code, name=node.name, points=points, rule=rule)
        for message in _leaf_problems(probe):
            problems.error(SHEET_INDICATORS, node.row, "规则", message)
    return Indicator(
        code=node.code,
        name=node.name,
        points=points,
        explanation=node.explanation,
        criteria=node.criteria,
        rule=rule,
        open=node.open and not children,
        children=children,
    )


def _leaf_problems(leaf: Indicator) -> list[str]:
    """The rule checks of ruleset_problems, for one leaf (the total check is skipped)."""
    probe = RuleSet.model_construct(
        id="probe",
        version="0",
        name="",
        kind="department",
        total_points=leaf.points,
        indicators=(leaf,),
        bands=(),
        grades=(),
    )
    return list(ruleset_problems(probe))


# ---------------------------------------------------------------- YAML


class _Dumper(yaml.SafeDumper):
    """Writes Decimals as plain numbers, tuples as lists, enums as their values."""


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    if value == value.to_integral_value():
        return dumper.represent_scalar("tag:yaml.org,2002:int", str(int(value)))
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _represent_enum(dumper: yaml.SafeDumper, value: Enum) -> yaml.ScalarNode:
    return dumper.represent_str(str(value.value))


def _represent_tuple(dumper: yaml.SafeDumper, value: tuple[Any, ...]) -> yaml.SequenceNode:
    return dumper.represent_list(list(value))


_Dumper.add_representer(Decimal, _represent_decimal)
_Dumper.add_multi_representer(Enum, _represent_enum)
_Dumper.add_representer(tuple, _represent_tuple)


def ruleset_to_yaml(ruleset: RuleSet) -> str:
    """The rule-set as YAML that load_ruleset_file reads back to an equal RuleSet."""
    data = ruleset.model_dump(mode="python", exclude_defaults=True)
    for key in ("id", "version", "name", "kind"):
        data[key] = getattr(ruleset, key)
    data["total_points"] = ruleset.total_points
    ordered = {
        key: data[key]
        for key in (
            "id",
            "version",
            "name",
            "name_en",
            "kind",
            "basis",
            "description",
            "total_points",
            "thresholds",
            "options",
            "bands",
            "grades",
            "indicators",
        )
        if key in data
    }
    header = f"# {ruleset.name}（{ruleset.ref}）\n"
    return header + yaml.dump(
        ordered, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )
