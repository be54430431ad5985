"""The declaration entry form (绩效目标填报): typed text in, the declaration's JSON out.

The target table has a variable number of rows, added and removed in the browser; each row posts
every one of its fields (``t-name``, ``t-value`` …) in the same order, so the n-th value of each
list belongs to the n-th row. Numbers are read by scoring.numbers (the one parser); what is typed
badly stays in the form with its message next to it and is never stored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop as N_

from scoring.evaluation import CODE_MAX, ROWS_MAX
from scoring.numbers import NumberFormatError, parse_decimal
from scoring.ruleset import Direction
from scoring.targets import LEVEL2, Level1

ROW_FIELDS = (
    "code",
    "level1",
    "level2",
    "name",
    "direction",
    "value",
    "value_high",
    "value_text",
    "unit",
    "weight",
    "criteria",
    "explanation",
    "data_source",
    "library_id",
)
NUMBER_FIELDS = ("value", "value_high", "weight")
# Labels of the columns (source strings, translated where shown).
FIELD_LABELS = {
    "code": N_("编码"),
    "level1": N_("一级指标"),
    "level2": N_("二级指标"),
    "name": N_("三级指标"),
    "direction": N_("方向"),
    "value": N_("指标值"),
    "value_high": N_("区间上限"),
    "value_text": N_("定性指标值"),
    "unit": N_("计量单位"),
    "weight": N_("权重"),
    "criteria": N_("评分标准"),
    "explanation": N_("指标说明"),
    "data_source": N_("数据来源"),
    "library_id": N_("指标库"),
    "overall_goal": N_("总体目标"),
    "amount": N_("申报金额（万元）"),
}
DIRECTIONS = (
    (Direction.AT_LEAST.value, "≥"),
    (Direction.AT_MOST.value, "≤"),
    (Direction.EQUAL.value, "="),
    (Direction.RANGE.value, N_("区间")),
)
# The level names are data (Chinese in the JSON) and shown translated: for the catalogue.
LEVEL_NAMES = (
    N_("产出指标"),
    N_("效益指标"),
    N_("满意度指标"),
    N_("数量指标"),
    N_("质量指标"),
    N_("时效指标"),
    N_("成本指标"),
    N_("经济效益指标"),
    N_("社会效益指标"),
    N_("生态效益指标"),
    N_("可持续影响指标"),
    N_("服务对象满意度指标"),
)
_CODE = re.compile(rf"^[A-Za-z0-9_.-]{{1,{CODE_MAX}}}$")


@dataclass
class EntryForm:
    """The page's values as typed, and the faults found reading them (keyed ``amount`` or
    ``<row index>-<field>``)."""

    overall_goal: str = ""
    amount: str = ""
    rows: list[dict[str, str]] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_list(self) -> list[str]:
        out = []
        for key, message in self.errors.items():
            index, _sep, name = key.partition("-")
            if name:
                out.append(
                    _("绩效指标第 {n} 行 · {label}：{message}").format(
                        n=int(index) + 1, label=_(FIELD_LABELS.get(name, name)), message=message
                    )
                )
            else:
                out.append(f"{_(FIELD_LABELS.get(key, key))}：{message}")
        return out


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def form_from_data(data: dict[str, Any]) -> EntryForm:
    """The stored declaration as the form shows it."""
    rows = []
    for row in data.get("targets") or []:
        if isinstance(row, dict):
            rows.append({name: _text(row.get(name)) for name in ROW_FIELDS})
    return EntryForm(
        overall_goal=_text(data.get("overall_goal")), amount=_text(data.get("amount")), rows=rows
    )


def _blank(row: dict[str, str]) -> bool:
    return not any(
        row[name].strip()
        for name in ROW_FIELDS
        if name not in ("code", "level1", "level2", "direction")
    )


def form_from_post(post: Any) -> EntryForm:
    """Read the posted page; rows left entirely blank are dropped."""
    columns = {name: post.getlist(f"t-{name}") for name in ROW_FIELDS}
    count = min(max((len(v) for v in columns.values()), default=0), ROWS_MAX + 1)
    rows = []
    for index in range(count):
        row = {
            name: (columns[name][index] if index < len(columns[name]) else "").strip()
            for name in ROW_FIELDS
        }
        if not _blank(row):
            rows.append(row)
    form = EntryForm(
        overall_goal=str(post.get("overall_goal", "")).strip(),
        amount=str(post.get("amount", "")).strip(),
        rows=rows,
    )
    _check_shape(form)
    return form


def _check_shape(form: EntryForm) -> None:
    if form.amount:
        try:
            if parse_decimal(form.amount) < 0:
                form.errors["amount"] = _("金额不得为负")
        except NumberFormatError as exc:
            form.errors["amount"] = exc.message
    if len(form.rows) > ROWS_MAX:
        form.errors["targets"] = _("最多 {n} 项指标").format(n=ROWS_MAX)
    for index, row in enumerate(form.rows):
        for name in NUMBER_FIELDS:
            if row[name]:
                try:
                    number = parse_decimal(row[name])
                except NumberFormatError as exc:
                    form.errors[f"{index}-{name}"] = exc.message
                else:
                    if name == "weight" and number < 0:
                        form.errors[f"{index}-{name}"] = _("权重不得为负")
        if row["level1"] not in [level.value for level in Level1]:
            form.errors[f"{index}-level1"] = _("请选择一级指标")
        if row["direction"] not in [value for value, _label in DIRECTIONS]:
            form.errors[f"{index}-direction"] = _("请选择指标方向")
        if row["library_id"] and not row["library_id"].isdigit():
            row["library_id"] = ""


def _number(text: str) -> str | None:
    return str(parse_decimal(text)) if text else None


def declaration_fields(form: EntryForm) -> dict[str, Any]:
    """The parts of the declaration the page edits (the form must be ``ok``). Rows without a code
    get the next free T-number, so a code stays with its target through every adjustment."""
    assert form.ok
    used = {row["code"] for row in form.rows if _CODE.match(row["code"])}
    next_number = 1
    targets: list[dict[str, Any]] = []
    for row in form.rows:
        code = row["code"] if _CODE.match(row["code"]) else ""
        if not code or code in {t["code"] for t in targets}:
            while f"T{next_number}" in used:
                next_number += 1
            code = f"T{next_number}"
            used.add(code)
        targets.append(
            {
                "code": code,
                "level1": row["level1"],
                "level2": row["level2"],
                "name": row["name"],
                "direction": row["direction"],
                "value": _number(row["value"]),
                "value_high": _number(row["value_high"]),
                "value_text": row["value_text"],
                "unit": row["unit"],
                "weight": _number(row["weight"]),
                "criteria": row["criteria"],
                "explanation": row["explanation"],
                "data_source": row["data_source"],
                "library_id": int(row["library_id"]) if row["library_id"] else None,
            }
        )
    return {
        "overall_goal": form.overall_goal,
        "amount": _number(form.amount),
        "targets": targets,
    }


def level2_choices() -> list[tuple[str, list[str]]]:
    return [(level1.value, list(names)) for level1, names in LEVEL2.items()]


def describe_field(path: str) -> str:
    """「绩效指标第 3 行 · 指标值」 for ``targets.2.value`` (an InputProblem's field)."""
    keys = [k for k in re.split(r"[.\[\]]+", path) if k]
    if len(keys) >= 2 and keys[0] == "targets" and keys[1].isdigit():
        label = _(FIELD_LABELS.get(keys[2], keys[2])) if len(keys) > 2 else ""
        where = _("绩效指标第 {n} 行").format(n=int(keys[1]) + 1)
        return f"{where} · {label}" if label else where
    return _(FIELD_LABELS.get(keys[0], keys[0])) if keys else path
