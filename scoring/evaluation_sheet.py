"""Reading a self-evaluation from its data-table workbook (数据表.xlsx).

The workbook is the one ``jixiao report`` writes (jixiao/documents/render/xlsx.py), so a unit can
fill in or correct the official table in Excel and score it again. Its sheets
(docs/input-format.md):

- 部门整体支出绩效自评表 or 项目支出绩效自评表: the official form. Read from it: 单位名称 / 项目名称,
  主管部门, 实施单位, the year in the title, the funds block (年初预算数, 全年预算数, 全年执行数 per fund
  source), for projects the 年度总体目标, and the indicator grid (一级/二级/三级指标, 年度指标值,
  实际完成值, 分值, 得分, 偏差原因分析及改进措施). Rows are matched to the rule-set by their indicator
  names; a row under an indicator 由单位自设 is a performance target. 得分 is read only for
  qualitative indicators: every other score is computed.
- 填报信息 (optional): 项目 | 内容 rows for what the form has no cell for (评分规则集, 编制数, 实有人数,
  the report's text…). A list field repeats its 项目 on several rows.
- 绩效目标 (optional): every performance target with its 编码 and 其中 (part of), including reported
  figures that are not scored. Without it, targets are numbered T1, T2… in grid order.

Every fault is an ``InputProblem`` naming sheet and cell (``部门整体支出绩效自评表!E7「全年执行数」``).
Pure Python (openpyxl); no Django.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from scoring.engine import score_evaluation
from scoring.evaluation import SelfEvaluation
from scoring.loading import (
    InputError,
    InputProblem,
    Locator,
    _field_name,
    _message,
    find_ruleset,
)
from scoring.numbers import NumberFormatError, fold, parse_decimal
from scoring.rounding import format_decimal, round_score
from scoring.ruleset import Direction, Indicator, NotApplicableRule, RuleKind, RuleSet
from scoring.workbook_limits import WorkbookTooLarge, check_workbook

SHEET_DEPARTMENT = "部门整体支出绩效自评表"
SHEET_PROJECT = "项目支出绩效自评表"
SHEET_INFO = "填报信息"
SHEET_TARGETS = "绩效目标"

GRID_COLUMNS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
EXPLANATION_COLUMN = "偏差原因分析及改进措施"
TARGET_COLUMNS = (
    "编码",
    "指标名称",
    "计量单位",
    "年度指标值",
    "实际完成值",
    "其中（所属目标编码）",
    "类别（二级指标）",
    "不适用",
    "分值",
)
# 不适用 cells: a mark, or nothing (an older workbook has no such column: nothing is marked)
NOT_APPLICABLE_YES = {"是", "√", "✓", "✔", "不适用"}
NOT_APPLICABLE_NO = {"", "否", "—", "-", "无", "适用"}
NOT_APPLICABLE_SCORE = "不适用"  # the 得分 cell of a dropped indicator (the report writes it so)
KINDS = {"部门整体": "department", "项目": "project"}
EMPTY = {"", "—", "-", "无"}

# 填报信息: 项目 → (field path, how the 内容 cell is read)
INFO_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "评分规则集": (("ruleset",), "text"),
    "评价类型": (("kind",), "kind"),
    "评价年度": (("year",), "int"),
    "填报日期": (("filled_on",), "date"),
    "单位简称": (("unit", "short_name"), "text"),
    "统一社会信用代码": (("unit", "credit_code"), "text"),
    "单位类型": (("unit", "unit_type"), "text"),
    "编制数": (("unit", "staffing_quota"), "int"),
    "实有人数": (("unit", "staff_actual"), "int"),
    "离退休人数": (("unit", "retired"), "int"),
    "临时聘用人数": (("unit", "temporary"), "int"),
    "主要职能": (("unit", "functions"), "list"),
    "通知标题": (("notice", "title"), "text"),
    "通知文号": (("notice", "number"), "text"),
    "发文单位": (("notice", "issuer"), "text"),
    "重点工作": (("key_tasks",), "titled:detail"),
    "预算调整原因": (("budget", "change_reason"), "text"),
    "执行率偏低原因": (("budget", "execution_explanation"), "text"),
    "评价小组依据": (("group", "basis"), "text"),
    "评价小组成员": (("group", "members"), "members"),
    "评价小组说明": (("group", "description"), "text"),
    "自评工作过程": (("process",), "text"),
    "报送时间及质量": (("submission_quality",), "text"),
    "报送与公开一致情况": (("submission_consistency",), "text"),
    "自评结果说明": (("result_statement",), "text"),
    "绩效指标分析": (("analyses",), "titled:text"),
    "主要做法和经验": (("practices",), "titled:text"),
    "存在问题": (("problems",), "list"),
    "改进措施": (("improvements",), "list"),
    "其他自评情况": (("other",), "text"),
    "示例说明": (("example_note",), "text"),
    "示例分值指标": (("example_codes",), "list"),
}

_NUMBER = r"[-+]?\d[\d,]*(?:\.\d+)?"
_TARGET_RE = re.compile(rf"^(?P<sign>≥|>=|≤|<=|=)?\s*(?P<value>{_NUMBER})\s*(?P<unit>[^\d～~]*)$")
_RANGE_RE = re.compile(
    rf"^(?P<low>{_NUMBER})\s*(?P<unit1>[^\d～~]*?)\s*[～~]\s*(?P<high>{_NUMBER})\s*(?P<unit>.*)$"
)
_ACTUAL_RE = re.compile(rf"^(?P<value>{_NUMBER})\s*(?P<unit>.*)$")
_SIGNS = {
    None: Direction.AT_LEAST,
    "≥": Direction.AT_LEAST,
    ">=": Direction.AT_LEAST,
    "≤": Direction.AT_MOST,
    "<=": Direction.AT_MOST,
    "=": Direction.EQUAL,
}


def load_evaluation_workbook(
    path: Path, extra_dirs: Sequence[Path] = ()
) -> tuple[SelfEvaluation, Locator]:
    """Read a data-table workbook file; see the module docstring for its layout."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError([InputProblem(str(path), None, "", "文件不存在")]) from None
    except IsADirectoryError:
        raise InputError([InputProblem(str(path), None, "", "这是一个目录，不是文件")]) from None
    return read_evaluation_workbook(data, str(path), extra_dirs)


def read_evaluation_workbook(
    data: bytes, source: str = "<数据表>", extra_dirs: Sequence[Path] = ()
) -> tuple[SelfEvaluation, Locator]:
    """Read a data-table workbook from bytes; return the evaluation and a cell locator."""
    return _WorkbookReader(source, extra_dirs).read(data)


# --- cells ----------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()


def _parse_number(text: str) -> Decimal:
    # The one parser of typed numbers (scoring.numbers): "11,360" yes, "33,28" never as 3328.
    try:
        return parse_decimal(text)
    except NumberFormatError as exc:
        raise _BadNumber(exc.message) from None


class _BadNumber(InvalidOperation):
    """A cell's number that scoring.numbers refuses; the message says why."""


def _parse_date(value: Any) -> dt.date | str:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    found = re.fullmatch(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*日?", text)
    if found:
        try:
            return dt.date(*(int(g) for g in found.groups()))
        except ValueError:
            pass
    return text  # pydantic names the fault


class _Sheet:
    """A worksheet whose merged cells read as their top-left value everywhere."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.title = ws.title
        self.merged: dict[tuple[int, int], Any] = {}
        for area in ws.merged_cells.ranges:
            value = ws.cell(area.min_row, area.min_col).value
            for row in range(area.min_row, area.max_row + 1):
                for col in range(area.min_col, area.max_col + 1):
                    self.merged[(row, col)] = value

    def value(self, row: int, col: int) -> Any:
        return self.merged.get((row, col), self.ws.cell(row, col).value)

    def text(self, row: int, col: int) -> str:
        return _text(self.value(row, col))

    def find(self, predicate: Any, first_row: int = 1) -> tuple[int, int] | None:
        for row in range(first_row, self.ws.max_row + 1):
            for col in range(1, self.ws.max_column + 1):
                if predicate(self.text(row, col)):
                    return row, col
        return None

    def where(self, row: int, col: int, label: str) -> str:
        return f"{self.title}!{get_column_letter(col)}{row}「{label}」"


class _WorkbookReader:
    def __init__(self, source: str, extra_dirs: Sequence[Path]) -> None:
        self.source = source
        self.extra_dirs = extra_dirs
        self.problems: list[InputProblem] = []
        self.cells: dict[tuple[int | str, ...], str] = {}
        self.rescaled = False  # 不适用 marked under a rule-set that rescales (grid shows rescaled)

    # -- problems and locations

    def error(self, where: str, message: str) -> None:
        self.problems.append(InputProblem(self.source, None, where, message))

    def fail(self, message: str) -> InputError:
        return InputError([InputProblem(self.source, None, "", message)])

    def locate(self, loc: Sequence[int | str], message: str) -> InputProblem:
        key = tuple(loc)
        while key and key not in self.cells:
            key = key[:-1]
        where = self.cells.get(key) if key else None
        return InputProblem(self.source, None, where or _field_name(loc), message)

    def number(self, sheet: _Sheet, row: int, col: int, label: str) -> Decimal | None:
        """A number cell; empty or — is None; text is a located fault."""
        value = sheet.value(row, col)
        if isinstance(value, bool):
            self.error(sheet.where(row, col, label), "应为数字")
            return None
        if isinstance(value, int):
            return Decimal(value)
        if isinstance(value, float):
            return Decimal(repr(value))  # shortest repr: 33.28 stays 33.28
        text = _text(value)
        if text in EMPTY:
            return None
        try:
            return _parse_number(text)
        except _BadNumber as exc:
            self.error(sheet.where(row, col, label), str(exc))
            return None

    def mark(self, sheet: _Sheet, row: int, col: int) -> bool | None:
        """A 不适用 cell: 是 (or √, 不适用) marks the row, empty or 否 does not; anything else is a
        located fault (None), never a guess."""
        value = sheet.value(row, col)
        if isinstance(value, bool):
            return value
        text = fold(_text(value))
        if text in NOT_APPLICABLE_YES:
            return True
        if text in NOT_APPLICABLE_NO:
            return False
        self.error(
            sheet.where(row, col, "不适用"),
            f"应填“是”（不适用，剔除后按总分折算）或留空（适用），实际是「{_shown(text)}」",
        )
        return None

    # -- the workbook

    def read(self, data: bytes) -> tuple[SelfEvaluation, Locator]:
        try:
            # the one read guard: sizes, rows, cells and strings before openpyxl parses anything
            check_workbook(data)
        except WorkbookTooLarge as exc:
            raise self.fail(exc.reason) from None
        try:
            book = load_workbook(io.BytesIO(data), data_only=True)
        except (zipfile.BadZipFile, KeyError, ValueError, OSError):
            raise self.fail("无法读取，不是有效的 Excel（.xlsx）文件") from None
        names = book.sheetnames
        form_name = next((n for n in (SHEET_DEPARTMENT, SHEET_PROJECT) if n in names), None)
        if form_name is None:
            raise self.fail(
                f"缺少工作表「{SHEET_DEPARTMENT}」或「{SHEET_PROJECT}」（现有：{'、'.join(names)}）"
            )
        form = _Sheet(book[form_name])
        evaluation: dict[str, Any] = {
            "kind": "project" if form_name == SHEET_PROJECT else "department"
        }
        info = self._read_info(_Sheet(book[SHEET_INFO])) if SHEET_INFO in names else {}
        self._read_header(form, evaluation, info)
        for key, value in info.items():
            if key != "example_codes":
                _merge(evaluation, key, value)
        if "ruleset" not in evaluation:
            raise self.fail(
                f"未写明评分规则集：请在工作表「{SHEET_INFO}」填写“评分规则集”，"
                f"或在「{form.title}」表末注明“评分规则集：规则集编号”"
            )
        try:
            ruleset = find_ruleset(str(evaluation["ruleset"]), extra_dirs=self.extra_dirs)
        except InputError as exc:
            where = self.cells.get(("ruleset",), "")
            raise InputError(
                [InputProblem(self.source, None, where, p.message) for p in exc.problems]
            ) from None
        self._read_budget(form, evaluation)
        listed = (
            self._read_target_sheet(_Sheet(book[SHEET_TARGETS])) if SHEET_TARGETS in names else None
        )
        self._read_grid(form, ruleset, evaluation, listed, info.get("example_codes", []))
        if self.problems:
            raise InputError(self.problems)
        try:
            result = SelfEvaluation.model_validate(evaluation)
        except ValidationError as exc:
            raise InputError(
                [
                    self.locate(
                        [p for p in e["loc"] if not str(p).startswith("function-")], _message(e)
                    )
                    for e in exc.errors()
                ]
            ) from None
        if self.rescaled:
            result = self._own_qualitative_scores(result, ruleset)
        return result, self.locate

    def _own_qualitative_scores(
        self, evaluation: SelfEvaluation, ruleset: RuleSet
    ) -> SelfEvaluation:
        """Under 不适用 rescaling the grid's 得分 of a qualitative leaf is the printed, rescaled
        score (得分 × 折算后分值 / 原分值, rounded once): the unit's own score is found back from it.
        Points only grow when indicators are dropped, so each own score to 0.01 gives a different
        printed one and the way back is exact; a printed score no own score gives is refused with
        the nearest that one does, never read as something else."""
        by_code = {i.code: i for i in score_evaluation(evaluation, ruleset).indicators}
        kept = []
        for index, item in enumerate(evaluation.assessments):
            ind = by_code.get(item.code)
            if (
                item.score is None
                or item.not_applicable
                or ind is None
                or not ind.declared_points
                or not ind.points
            ):
                kept.append(item)
                continue
            own = round_score(item.score * ind.declared_points / ind.points)
            shown = round_score(own * ind.points / ind.declared_points)
            if shown != item.score:
                self.problems.append(
                    self.locate(
                        ("assessments", index, "score"),
                        f"剔除不适用指标后本列为折算后的得分（分值 {format_decimal(ind.points)}，"
                        f"原分值 {format_decimal(ind.declared_points)}）：{format_decimal(item.score)} "
                        f"不是可得的折算得分，最接近的是 {format_decimal(shown)}",
                    )
                )
            kept.append(item.model_copy(update={"score": own}))
        if self.problems:
            raise InputError(self.problems)
        return evaluation.model_copy(update={"assessments": tuple(kept)})

    def _read_header(self, form: _Sheet, evaluation: dict[str, Any], info: dict[str, Any]) -> None:
        title = form.text(1, 1)
        year = re.search(r"(\d{4})\s*年度", title)
        if year and "year" not in info:
            evaluation["year"] = int(year.group(1))
            self.cells[("year",)] = form.where(1, 1, "评价年度")
        unit: dict[str, Any] = {}
        project: dict[str, Any] = {}
        labels = {
            "单位名称": (unit, "name", ("unit", "name")),
            "主管部门": (unit, "supervisor", ("unit", "supervisor")),
            "项目名称": (project, "name", ("project", "name")),
            "实施单位": (project, "implementing_unit", ("project", "implementing_unit")),
        }
        for label, (target, key, loc) in labels.items():
            found = form.find(lambda t, label=label: t == label)
            if found is not None:
                row, col = found
                target[key] = form.text(row, col + 1)
                self.cells[loc] = form.where(row, col + 1, label)
        if evaluation["kind"] == "project":
            # The project form names the implementing unit (实施单位); that is the unit.
            unit.setdefault("name", project.get("implementing_unit", ""))
            self.cells.setdefault(
                ("unit", "name"), self.cells.get(("project", "implementing_unit"), "")
            )
            goal = form.find(lambda t: t == "预期目标")
            actual = form.find(lambda t: t == "实际完成情况")
            if goal is not None:
                project["goal_expected"] = form.text(goal[0] + 1, goal[1])
            if actual is not None:
                project["goal_actual"] = form.text(actual[0] + 1, actual[1])
            evaluation["project"] = project
        evaluation["unit"] = unit
        note = form.find(lambda t: "评分规则集：" in t or "填报日期：" in t)
        if note is not None:
            text = form.text(*note)
            where = form.where(*note, "说明")
            ruleset = re.search(r"评分规则集：\s*([^\s；;（(]+)", text)
            if ruleset and "ruleset" not in info:
                evaluation["ruleset"] = ruleset.group(1)
                self.cells[("ruleset",)] = where
            filled = re.search(r"填报日期：\s*([^；;]+)", text)
            if filled and "【" not in filled.group(1) and "filled_on" not in info:
                evaluation["filled_on"] = _parse_date(filled.group(1).strip())
                self.cells[("filled_on",)] = where
            example = re.search(r"说明：\s*(.+)$", text)
            if example and "example_note" not in info:
                evaluation["example_note"] = example.group(1).strip()

    def _read_info(self, sheet: _Sheet) -> dict[str, Any]:
        """填报信息: one 项目 | 内容 pair per row; list fields repeat their 项目."""
        out: dict[str, Any] = {}
        for row in range(2, sheet.ws.max_row + 1):
            key = sheet.text(row, 1)
            if not key:
                continue
            value = sheet.value(row, 2)
            where = sheet.where(row, 2, key)
            if key not in INFO_FIELDS:
                self.error(
                    sheet.where(row, 1, "项目"),
                    f"不认识的项目「{key}」，可用：{'、'.join(INFO_FIELDS)}",
                )
                continue
            path, how = INFO_FIELDS[key]
            dotted = ".".join(path)
            if how in {"text", "int", "date", "kind"}:
                if dotted in out:
                    self.error(sheet.where(row, 1, "项目"), f"「{key}」只能填写一次")
                    continue
                self.cells[path] = where
                out[dotted] = self._scalar(how, value, where)
                continue
            items = out.setdefault(dotted, [])
            self.cells[(*path, len(items))] = where
            text = _text(value)
            if how == "list":
                items.append(text)
            elif how.startswith("titled:"):
                parts = re.split(r"[：:]", text, maxsplit=1)
                title, rest = (parts[0], parts[1]) if len(parts) == 2 else (text, "")
                items.append({"title": title.strip(), how.split(":")[1]: rest.strip()})
            else:  # members: 角色｜姓名｜职责
                parts = [p.strip() for p in re.split(r"[｜|]", text)]
                role, name, duty = [*parts, "", "", ""][:3]
                items.append({"role": role, "name": name, "duty": duty})
        return out

    def _scalar(self, how: str, value: Any, where: str) -> Any:
        if how == "date":
            return _parse_date(value)
        if how == "kind":
            text = _text(value)
            if text not in KINDS and text not in KINDS.values():
                self.error(where, "评价类型应为“部门整体”或“项目”")
            return KINDS.get(text, text)
        if how == "int":
            if isinstance(value, float) and value.is_integer():
                return int(value)
            return value if isinstance(value, int) else _text(value)
        return _text(value)

    def _read_budget(self, form: _Sheet, evaluation: dict[str, Any]) -> None:
        header = form.find(lambda t: t == "年初预算数")
        if header is None:
            self.error(f"{form.title}", "找不到资金情况表头“年初预算数”")
            return
        row, col_initial = header
        columns = {"initial": col_initial}
        for key, prefix in (("full_year", "全年预算数"), ("executed", "全年执行数")):
            col = next(
                (
                    c
                    for c in range(1, form.ws.max_column + 1)
                    if form.text(row, c).startswith(prefix)
                ),
                None,
            )
            if col is None:
                self.error(form.where(row, col_initial, "资金情况"), f"找不到表头“{prefix}”")
                return
            columns[key] = col
        labels = {"initial": "年初预算数", "full_year": "全年预算数", "executed": "全年执行数"}
        label_col = col_initial - 1
        rows: list[dict[str, Any]] = []
        total: tuple[int, dict[str, Decimal | None]] | None = None
        for r in range(row + 1, form.ws.max_row + 1):
            label = form.text(r, label_col)
            if (
                not label
                or label in {"预期目标", "一级指标"}
                or form.text(r, 1)
                in {
                    "年度总体目标",
                    "一级指标",
                }
            ):
                break
            figures = {k: self.number(form, r, c, labels[k]) for k, c in columns.items()}
            if label == "年度资金总额":
                total = (r, figures)
                continue
            if all(v is None for v in figures.values()):
                continue
            index = len(rows)
            for key, col in columns.items():
                self.cells[("budget", "rows", index, key)] = form.where(r, col, labels[key])
                if figures[key] is None and form.text(r, col) in EMPTY:
                    self.error(form.where(r, col, labels[key]), "须填写金额（万元），没有请填 0")
            self.cells[("budget", "rows", index)] = form.where(r, label_col, "资金来源")
            source = re.sub(r"^其中[：:]\s*", "", label)
            rows.append({"source": source, **figures})
        if not rows:
            self.error(
                form.where(row, label_col, "资金来源"),
                "请按资金来源（当年财政拨款、上年结转资金、其他资金）填写金额，年度资金总额为其合计",
            )
        elif total is not None:
            total_row, total_figures = total
            for key, value in total_figures.items():
                if any(x[key] is None for x in rows):
                    continue  # already reported on its row
                summed = sum((x[key] for x in rows), Decimal(0))
                if value is not None and value != summed:
                    self.error(
                        form.where(total_row, columns[key], labels[key]),
                        f"年度资金总额 {value} 不等于各资金来源合计 {summed}",
                    )
        evaluation.setdefault("budget", {})["rows"] = rows

    def _read_target_sheet(self, sheet: _Sheet) -> dict[str, dict[str, Any]]:
        """绩效目标: name → the target's fields (with its row), in sheet order."""
        header = {sheet.text(1, c): c for c in range(1, sheet.ws.max_column + 1)}
        missing = [c for c in TARGET_COLUMNS[:2] if c not in header]
        if missing:
            self.error(sheet.where(1, 1, "表头"), f"缺少列：{'、'.join(missing)}")
            return {}
        listed: dict[str, dict[str, Any]] = {}
        for row in range(2, sheet.ws.max_row + 1):
            code = sheet.text(row, header["编码"])
            name = sheet.text(row, header["指标名称"])
            if not code and not name:
                continue
            item: dict[str, Any] = {"code": code, "name": name, "_row": row, "_sheet": sheet}
            if "计量单位" in header:
                item["unit"] = sheet.text(row, header["计量单位"])
            for key, label in (("target", "年度指标值"), ("actual", "实际完成值")):
                if label in header:
                    item[key] = self.number(sheet, row, header[label], label)
            part_col = header.get(TARGET_COLUMNS[5])
            if part_col is not None and sheet.text(row, part_col):
                item["part_of"] = sheet.text(row, part_col)
            category_col = header.get(TARGET_COLUMNS[6])
            if category_col is not None and sheet.text(row, category_col) not in EMPTY:
                item["category"] = sheet.text(row, category_col)
                item["_category_col"] = category_col
            marked_col = header.get(TARGET_COLUMNS[7])
            if marked_col is not None:
                item["not_applicable"] = self.mark(sheet, row, marked_col)
            points_col = header.get(TARGET_COLUMNS[8])
            if points_col is not None:
                item["points"] = self.number(sheet, row, points_col, "分值")
                item["_points_col"] = points_col
            if name in listed:
                self.error(sheet.where(row, header["指标名称"], "指标名称"), f"「{name}」重复")
            listed[name] = item
        return listed

    def _read_grid(
        self,
        form: _Sheet,
        ruleset: RuleSet,
        evaluation: dict[str, Any],
        listed: dict[str, dict[str, Any]] | None,
        example_codes: list[str],
    ) -> None:
        header_at = form.find(lambda t: t == "一级指标")
        if header_at is None:
            self.error(form.title, "找不到指标表头“一级指标”")
            return
        header_row = header_at[0]
        col = {form.text(header_row, c): c for c in range(1, form.ws.max_column + 1)}
        missing = [name for name in GRID_COLUMNS if name not in col]
        if missing:
            self.error(form.where(header_row, 1, "表头"), f"指标表缺少列：{'、'.join(missing)}")
            return
        fixed, open_nodes = _grid_keys(ruleset)
        examples = {c.strip() for item in example_codes for c in re.split(r"[、,，\s]+", item) if c}
        assessments: list[dict[str, Any]] = []
        targets: list[tuple[int, dict[str, Any]]] = []
        in_grid: set[str] = set()  # every target row's name, read or not
        for row in range(header_row + 1, form.ws.max_row + 1):
            names = (
                form.text(row, col["一级指标"]),
                form.text(row, col["二级指标"]),
                form.text(row, col["三级指标"]),
            )
            if names[0].startswith(("总分", "合计")) or not any(names):
                break
            explanation = (
                form.text(row, col[EXPLANATION_COLUMN]) if EXPLANATION_COLUMN in col else ""
            )
            if names in fixed:
                node = fixed[names]
                item = self._fixed_row(form, row, col, node, ruleset, len(assessments))
                if explanation:
                    item["explanation"] = explanation
                if node.code in examples:
                    item["example"] = True
                if len(item) > 1:
                    assessments.append(item)
            elif (names[0], names[1]) in open_nodes and names[2]:
                in_grid.add(names[2])
                parent = open_nodes[(names[0], names[1])]
                target = self._target_row(form, row, col, names[2], parent.code, len(targets))
                if target is not None:
                    if explanation:
                        target["explanation"] = explanation
                    targets.append((row, target))
            else:
                shown = " / ".join(n for n in names if n)
                self.error(
                    form.where(row, col["一级指标"], "指标"),
                    f"「{shown}」不是规则集 {ruleset.ref} 中的指标，也不在由单位自设的指标下",
                )
        evaluation["assessments"] = assessments
        marked = (
            any(a.get("not_applicable") for a in assessments)
            or any(t.get("not_applicable") for _, t in targets)
            or any(i.get("not_applicable") for i in (listed or {}).values())
        )
        # Under a rule-set that drops 不适用 indicators, the grid's 分值 are the rescaled points
        # (what the report prints): a target's own points come from 绩效目标「分值」.
        rescaled = marked and ruleset.options.not_applicable is NotApplicableRule.RESCALE
        self.rescaled = rescaled
        evaluation["targets"] = self._merge_targets(
            form, col, targets, listed, ruleset, rescaled, in_grid
        )

    def _fixed_row(
        self,
        form: _Sheet,
        row: int,
        col: dict[str, int],
        node: Indicator,
        ruleset: RuleSet,
        index: int,
    ) -> dict[str, Any]:
        rule = node.rule
        assert rule is not None  # a fixed leaf always has a rule (rule-set validator)
        item: dict[str, Any] = {"code": node.code}
        self.cells[("assessments", index)] = form.where(row, col["一级指标"], node.name)
        actual_col = col["实际完成值"]
        if _says_not_applicable(form, row, col["得分"]):
            # 不适用 (as the report writes a dropped indicator): whether the rule-set allows it is
            # the engine's call (options.not_applicable), reported with the score
            item["not_applicable"] = True
            self.cells[("assessments", index, "not_applicable")] = form.where(
                row, col["得分"], "得分"
            )
            if rule.kind is RuleKind.QUALITATIVE:
                return item
        if rule.kind is RuleKind.QUALITATIVE:
            score = self.number(form, row, col["得分"], "得分")
            self.cells[("assessments", index, "score")] = form.where(row, col["得分"], "得分")
            if score is not None:
                item["score"] = score
            band = form.text(row, actual_col)
            if band and band not in EMPTY:
                chosen = ruleset.band(band)
                if chosen is None:
                    choices = "、".join(b.label for b in ruleset.bands)
                    self.error(
                        form.where(row, actual_col, "实际完成值"),
                        f"定性指标的实际完成值应为档次之一：{choices}",
                    )
                else:
                    item["band"] = chosen.key
                    self.cells[("assessments", index, "band")] = form.where(
                        row, actual_col, "实际完成值"
                    )
        elif rule.source is None:
            # A figure the unit types in (no derived source): read value and, if changed, target.
            actual = self._value_cell(form, row, actual_col, "实际完成值")
            if actual is not None:
                item["actual"] = actual
                self.cells[("assessments", index, "actual")] = form.where(
                    row, actual_col, "实际完成值"
                )
            parsed = self._target_cell(form, row, col["年度指标值"])
            if parsed is not None and parsed[1] != rule.target:
                item["target"] = parsed[1]
        return item

    def _value_cell(self, form: _Sheet, row: int, column: int, label: str) -> Decimal | None:
        value = form.value(row, column)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return self.number(form, row, column, label)
        text = fold(_text(value))
        if text in EMPTY:
            return None
        found = _ACTUAL_RE.match(text)
        if not found:
            self.error(
                form.where(row, column, label), f"应为数字（可带计量单位），实际是「{text}」"
            )
            return None
        try:
            return _parse_number(found.group("value"))
        except _BadNumber as exc:
            self.error(form.where(row, column, label), str(exc))
            return None

    def _target_cell(
        self, form: _Sheet, row: int, column: int
    ) -> tuple[Direction, Decimal, Decimal | None, str] | None:
        """年度指标值: ``≥12000人次``, ``≤2000元``, ``=100%``, ``90%～110%`` or a bare number."""
        value = form.value(row, column)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            number = self.number(form, row, column, "年度指标值")
            return None if number is None else (Direction.AT_LEAST, number, None, "")
        text = fold(_text(value))
        if text in EMPTY:
            return None
        try:
            ranged = _RANGE_RE.match(text)
            if ranged:
                return (
                    Direction.RANGE,
                    _parse_number(ranged.group("low")),
                    _parse_number(ranged.group("high")),
                    ranged.group("unit").strip() or ranged.group("unit1").strip(),
                )
            found = _TARGET_RE.match(text)
            if not found:
                self.error(
                    form.where(row, column, "年度指标值"),
                    f"应为方向加数值和计量单位，如 ≥12000人次、≤2000元、90%～110%，实际是「{text}」",
                )
                return None
            return (
                _SIGNS[found.group("sign")],
                _parse_number(found.group("value")),
                None,
                found.group("unit").strip(),
            )
        except _BadNumber as exc:
            self.error(form.where(row, column, "年度指标值"), str(exc))
            return None

    def _target_row(
        self, form: _Sheet, row: int, col: dict[str, int], name: str, parent: str, index: int
    ) -> dict[str, Any] | None:
        parsed = self._target_cell(form, row, col["年度指标值"])
        actual = self._value_cell(form, row, col["实际完成值"], "实际完成值")
        points = self.number(form, row, col["分值"], "分值")
        dropped = _says_not_applicable(form, row, col["得分"])
        required = [(parsed, "年度指标值"), (points, "分值")]
        if not dropped:  # a target marked 不适用 may have no actual
            required.append((actual, "实际完成值"))
        for value, label in required:
            if value is None and form.text(row, col[label]) in EMPTY:
                self.error(form.where(row, col[label], label), f"绩效目标须填写{label}")
        if parsed is None or points is None or (actual is None and not dropped):
            return None
        direction, low, high, unit = parsed
        target: dict[str, Any] = {
            "code": f"T{index + 1}",
            "name": name,
            "unit": unit,
            "direction": direction.value,
            "target": low,
            "actual": actual,
            "parent": parent,
            "points": points,
        }
        if high is not None:
            target["target_high"] = high
        if _says_not_applicable(form, row, col["得分"]):
            target["not_applicable"] = True
        return target

    def _merge_targets(
        self,
        form: _Sheet,
        col: dict[str, int],
        scored: list[tuple[int, dict[str, Any]]],
        listed: dict[str, dict[str, Any]] | None,
        ruleset: RuleSet,
        rescaled: bool,
        in_grid: set[str],
    ) -> list[dict[str, Any]]:
        """Scored targets from the grid, with codes, part-of, category, 不适用, own points and
        unscored figures from 绩效目标."""
        out: list[dict[str, Any]] = []
        own_points = (
            f"规则集 {ruleset.ref} 剔除不适用指标后按总分折算分值，本列是折算后的分值："
            f"请在工作表「{SHEET_TARGETS}」的「分值」列填写各绩效目标自设的分值"
        )
        if listed is None:
            for row, target in scored:
                if rescaled:
                    self.error(form.where(row, col["分值"], "分值"), own_points)
                self._register_target(len(out), form, row, col)
                out.append(target)
            return out
        by_name = {t["name"]: (row, t) for row, t in scored}
        for name, (row, _) in by_name.items():
            if name not in listed:
                self.error(
                    form.where(row, col["三级指标"], "三级指标"),
                    f"绩效目标「{name}」不在工作表「{SHEET_TARGETS}」中",
                )
        for name, item in listed.items():
            sheet: _Sheet = item["_sheet"]
            list_row: int = item["_row"]
            index = len(out)
            self.cells[("targets", index)] = sheet.where(list_row, 2, "指标名称")
            self.cells[("targets", index, "code")] = sheet.where(list_row, 1, "编码")
            self.cells[("targets", index, "part_of")] = sheet.where(list_row, 6, "其中")
            if "_category_col" in item:
                self.cells[("targets", index, "category")] = sheet.where(
                    list_row, item["_category_col"], "类别（二级指标）"
                )
            if "_points_col" in item:
                self.cells[("targets", index, "points")] = sheet.where(
                    list_row, item["_points_col"], "分值"
                )
            if name in by_name:
                row, target = by_name[name]
                for key, label in (("target", "年度指标值"), ("actual", "实际完成值")):
                    if item.get(key) is not None and item[key] != target.get(key):
                        self.error(
                            form.where(row, col[label], label),
                            f"{target.get(key)} 与工作表「{SHEET_TARGETS}」第 {list_row} 行的 "
                            f"{item[key]} 不一致",
                        )
                self._register_target(index, form, row, col, keep_name=True)
                merged = {**target, "code": item["code"]}
                if item.get("part_of"):
                    merged["part_of"] = item["part_of"]
                if item.get("category"):
                    merged["category"] = item["category"]
                own = item.get("points")
                if own is not None:
                    if not rescaled and own != target["points"]:
                        self.error(
                            form.where(row, col["分值"], "分值"),
                            f"{target['points']} 与工作表「{SHEET_TARGETS}」第 {list_row} 行的 "
                            f"{own} 不一致",
                        )
                    merged["points"] = own
                    self.cells[("targets", index, "points")] = sheet.where(
                        list_row, item["_points_col"], "分值"
                    )
                elif rescaled:
                    self.error(form.where(row, col["分值"], "分值"), own_points)
                if "not_applicable" in item:  # the sheet's 不适用 column decides
                    if target.get("not_applicable") and item["not_applicable"] is False:
                        self.error(
                            form.where(row, col["得分"], "得分"),
                            f"得分为“不适用”，但工作表「{SHEET_TARGETS}」第 {list_row} 行"
                            "「不适用」未填“是”：请在该列填“是”，或把得分清空",
                        )
                    merged["not_applicable"] = bool(item["not_applicable"])
                out.append(merged)
            else:
                if item.get("points") is not None and name not in in_grid:
                    self.error(
                        sheet.where(list_row, item["_points_col"], "分值"),
                        f"「{name}」填了分值，但不在工作表「{form.title}」的指标表中："
                        "计分的绩效目标须列在由单位自设的指标下，只报告不计分的请清空分值",
                    )
                self.cells[("targets", index, "actual")] = sheet.where(list_row, 5, "实际完成值")
                self.cells[("targets", index, "target")] = sheet.where(list_row, 4, "年度指标值")
                out.append(
                    {
                        k: v
                        for k, v in item.items()
                        if not k.startswith("_") and v is not None and v != ""
                    }
                )
        return out

    def _register_target(
        self, index: int, form: _Sheet, row: int, col: dict[str, int], keep_name: bool = False
    ) -> None:
        if not keep_name:
            self.cells[("targets", index)] = form.where(row, col["三级指标"], "三级指标")
        for key, label in (
            ("target", "年度指标值"),
            ("target_high", "年度指标值"),
            ("direction", "年度指标值"),
            ("actual", "实际完成值"),
            ("points", "分值"),
            ("parent", "二级指标"),
            ("name", "三级指标"),
            ("explanation", EXPLANATION_COLUMN),
        ):
            if label in col:
                self.cells[("targets", index, key)] = form.where(row, col[label], label)


def _shown(text: str, limit: int = 20) -> str:
    """A cell's text quoted in a message: a whole paragraph pasted in a mark cell is cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def _says_not_applicable(form: _Sheet, row: int, column: int) -> bool:
    """The 得分 cell of a dropped indicator reads 不适用 (as jixiao's tables write it)."""
    return fold(form.text(row, column)).replace(" ", "") == NOT_APPLICABLE_SCORE


def _grid_keys(
    ruleset: RuleSet,
) -> tuple[dict[tuple[str, str, str], Indicator], dict[tuple[str, str], Indicator]]:
    """How each rule-set node appears in the grid: (一级, 二级, 三级) for fixed leaves, (一级, 二级)
    for open nodes, the same way the renderer lays them out (a leaf right under a first-level
    node shows as 二级指标 with 三级 blank)."""
    fixed: dict[tuple[str, str, str], Indicator] = {}
    open_nodes: dict[tuple[str, str], Indicator] = {}
    for path, node in ruleset.walk():
        ancestors = [*path, node]
        level1 = ancestors[0].name
        level2 = ancestors[1].name if len(ancestors) > 2 else ""
        if node.open:
            open_nodes[(level1, level2 or node.name)] = node
        elif node.is_leaf:
            fixed[(level1, level2, node.name) if level2 else (level1, node.name, "")] = node
    return fixed, open_nodes


def _merge(data: dict[str, Any], dotted: str, value: Any) -> None:
    """Set ``data['a']['b'] = value`` for ``dotted == 'a.b'``, creating the nested dicts."""
    *parents, last = dotted.split(".")
    node = data
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
