"""A target declaration (绩效目标申报) as structured data: what a unit declares with its budget request.

One declaration is either the unit's 部门整体 targets for a year or one project's targets for a year.
Each target sits in the three-level indicator framework (一级: 产出 / 效益 / 满意度; 二级: 数量 质量 时效
成本 / 经济 社会 生态 可持续 / 服务对象满意度; 三级: the target itself). Pure data, no Django: the
declaration checks (the reviewer's checklist) read this shape, the web stores it as JSON, and the
year-end self-evaluation is prefilled from an approved one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from scoring.evaluation import (
    ITEMS_MAX,
    ROWS_MAX,
    Code,
    Frozen,
    Line,
    Name,
    NonNegative,
    Number,
    Text,
    UnitText,
    _typed_count,
)
from scoring.ruleset import Direction


class Level1(StrEnum):
    """一级指标."""

    OUTPUT = "产出指标"
    BENEFIT = "效益指标"
    SATISFACTION = "满意度指标"


# 二级指标 under each 一级指标 (财预〔2021〕101号 and the 项目支出绩效目标表 in use since).
LEVEL2: dict[Level1, tuple[str, ...]] = {
    Level1.OUTPUT: ("数量指标", "质量指标", "时效指标", "成本指标"),
    Level1.BENEFIT: ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    Level1.SATISFACTION: ("服务对象满意度指标",),
}


class DeclarationScope(StrEnum):
    DEPARTMENT = "department"  # 部门（单位）整体绩效目标
    PROJECT = "project"  # 项目绩效目标


class DeclaredTarget(Frozen):
    """One declared target (三级指标) with its value, weight and how it will be scored."""

    code: Code  # stable within the declaration and its adjustments (T1, T2 …)
    level1: Level1
    level2: Name
    name: Name  # 三级指标名称
    direction: Direction = Direction.AT_LEAST
    value: Number = None  # 指标值
    value_high: Number = None  # 区间指标上限
    value_text: Line = (
        ""  # a qualitative value (定性指标, e.g. "达标", "有效改善") when no number fits
    )
    unit: UnitText = ""  # 计量单位
    weight: NonNegative = None  # 权重（分值）
    criteria: Text = ""  # 评分标准
    explanation: Text = ""  # 指标说明
    data_source: Line = ""  # 数据来源
    library_id: int | None = None  # the 指标库 entry it was picked from, when it was


class TargetDeclaration(Frozen):
    """One declaration: a unit's 部门整体 targets or one project's targets for one budget year."""

    # Says what the stored JSON is (a self-evaluation's says "department" or "project"), so the
    # web's one JSON column can tell a declaration from a self-evaluation without its campaign.
    kind: Literal["targets"] = "targets"
    scope: DeclarationScope = DeclarationScope.DEPARTMENT
    year: Annotated[int, BeforeValidator(_typed_count)] = Field(ge=2000, le=2100)  # 预算年度
    unit_name: Name = ""
    project_name: Name = ""
    project_code: Code = ""
    amount: NonNegative = None  # 申报金额（万元）: the project's or the unit's budget request
    overall_goal: Text = ""  # 总体目标 / 年度绩效目标
    targets: Annotated[tuple[DeclaredTarget, ...], Field(max_length=ROWS_MAX)] = ()
    notes: Annotated[tuple[Text, ...], Field(max_length=ITEMS_MAX)] = ()


def declaration_from_data(data: dict[str, Any]) -> TargetDeclaration:
    """The declaration stored as JSON (an Evaluation's ``data`` in a targets campaign)."""
    return TargetDeclaration.model_validate(data)
