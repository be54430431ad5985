"""A target's 二级指标 category and a 不适用 mark come from outside the entry form (the API, a YAML
import, docs/rulesets.md「评分选项」): a web save of the section keeps them."""

from __future__ import annotations

from jixiao.evaluations.bound_targets import UNIT_FIELDS
from jixiao.evaluations.sections import _assessments, _target

ROW = {
    "code": "T1", "name": "单位成本", "unit": "元", "direction": "<=", "target": "100",
    "target_high": "", "actual": "90", "parent": "P", "points": "5", "explanation": "",
    "part_of": "",
}  # fmt: skip


def test_target_keeps_category_and_not_applicable() -> None:
    stored = {"code": "T1", "category": "成本指标", "not_applicable": True}
    saved = _target(ROW, stored)
    assert (saved["category"], saved["not_applicable"]) == ("成本指标", True)
    assert "category" not in _target(ROW, {}) and "not_applicable" not in _target(ROW, {})
    # stored with the defaults (a model dump): kept as they were, so an unchanged save changes nothing
    assert _target(ROW, {"category": "", "not_applicable": False})["not_applicable"] is False


def test_assessment_keeps_not_applicable() -> None:
    row = {"code": "G2", "band": "A", "score": "5", "target": "", "actual": "", "explanation": ""}
    (saved,) = _assessments([{"code": "G2", "not_applicable": True}], [row])
    assert saved["not_applicable"] is True
    (plain,) = _assessments([], [row])
    assert "not_applicable" not in plain


def test_a_bound_targets_not_applicable_mark_is_the_units() -> None:
    assert "not_applicable" in UNIT_FIELDS
