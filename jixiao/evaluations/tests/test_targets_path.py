"""The whole cycle of issue 10 through the services, as the browser test walks it through the pages:
declare → return → approve → adjust → the year-end self-evaluation prefilled from the approved
targets → approval."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from jixiao.campaigns.services import create_campaign
from jixiao.conftest import World
from jixiao.evaluations.bound_targets import target_comparison
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.services import save_evaluation_data
from jixiao.reviews import services as reviews
from jixiao.targets.entry import form_from_data
from jixiao.targets.models import AdjustmentStatus
from jixiao.targets.selectors import targets_in_force
from jixiao.targets.services import decide_adjustment, request_adjustment
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db

ROWS = [
    ("T1", "产出指标", "数量指标", "新增取得职业技能等级认定证书", "12000", "人次", "30"),
    (
        "T2",
        "产出指标",
        "数量指标",
        "新增取得高级工及以上职业技能等级认定证书",
        "4400",
        "人次",
        "20",
    ),
    ("T3", "产出指标", "质量指标", "新增取得技师及以上职业技能等级认定证书", "310", "人次", "10"),
    ("T4", "效益指标", "社会效益指标", "职业技能等级认定质量督导覆盖率", "100", "%", "20"),
    ("T5", "满意度指标", "服务对象满意度指标", "考生满意度", "90", "%", "20"),
]


def declared_targets() -> list[dict[str, Any]]:
    return [
        {
            "code": code,
            "level1": level1,
            "level2": level2,
            "name": name,
            "direction": ">=",
            "value": value,
            "unit": unit,
            "weight": weight,
            "criteria": "完成得满分，未完成按比例扣分",
        }
        for code, level1, level2, name, value, unit, weight in ROWS
    ]


def campaign(world: World, kind: str, year: int, number: str) -> Any:
    values = {
        "year": year,
        "title": f"{year}年度{'绩效目标申报' if kind == 'targets' else '部门整体支出绩效自评'}",
        "notice_title": "湛江市财政局通知",
        "notice_number": number,
        "kind": kind,
        "ruleset_ref": "gd-department@2025.1",
        "deadline": timezone.now() + dt.timedelta(days=20),
    }
    if kind == "targets":
        values["cost_threshold"] = Decimal("100")
    return create_campaign(user=world.bureau_admin, values=values, units=[world.unit])


def test_declare_return_approve_adjust_then_the_year_end_evaluation_is_bound_and_approved(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # 1. The bureau opens the FY2026 target declarations; the unit declares its 部门整体 targets.
    _targets, tasks = campaign(world, "targets", 2026, "湛财绩〔2025〕9号")
    declaration = next(t for t in tasks if t.unit_id == world.unit.pk and t.project_id is None)
    data = copy.deepcopy(declaration.data)
    data["overall_goal"] = "完成职业技能等级认定督导和考务统筹。"
    data["amount"] = "38.45"
    data["targets"] = declared_targets()
    declaration = save_evaluation_data(
        user=world.editor, evaluation_id=declaration.pk, expected_version=0, data=data
    )
    reviews.transition(user=world.head, evaluation_id=declaration.pk, action="submit")
    # 2. The department returns it: the certificate target is set below last year's 18969.
    reviews.transition(
        user=world.department_reviewer,
        evaluation_id=declaration.pk,
        action="department_return",
        comment="证书目标低于上年实际，请按实际测算",
    )
    declaration.refresh_from_db()
    assert declaration.status == Status.RETURNED
    data = copy.deepcopy(declaration.data)
    data["targets"][0]["value"] = "16000"
    declaration = save_evaluation_data(
        user=world.editor,
        evaluation_id=declaration.pk,
        expected_version=declaration.version,
        data=data,
    )
    # 3. Resubmitted, approved by the department and the bureau.
    reviews.transition(user=world.head, evaluation_id=declaration.pk, action="submit")
    reviews.transition(
        user=world.department_reviewer, evaluation_id=declaration.pk, action="department_approve"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reviews.transition(
            user=world.bureau_reviewer, evaluation_id=declaration.pk, action="bureau_approve"
        )
    declaration.refresh_from_db()
    assert declaration.status == Status.APPROVED
    # 4. An adjustment raises the target toward what the unit reaches; department and bureau agree.
    in_force = targets_in_force(unit_id=world.unit.pk, year=2026, project_id=None)
    assert in_force is not None and in_force.adjustment is None
    adjusted = copy.deepcopy(in_force.data)
    adjusted["targets"][0]["value"] = "18000"
    adjustment = request_adjustment(
        user=world.head,
        declaration_id=declaration.pk,
        form=form_from_data(adjusted),
        reason="全年认定规模增长较快",
    )
    decide_adjustment(user=world.department_reviewer, adjustment_id=adjustment.pk, approve=True)
    decide_adjustment(user=world.bureau_reviewer, adjustment_id=adjustment.pk, approve=True)
    adjustment.refresh_from_db()
    assert adjustment.status == AdjustmentStatus.APPROVED
    # 5. The FY2026 year-end self-evaluation is prefilled from the adjusted, approved targets.
    _year_end, (evaluation,) = campaign(world, "department", 2026, "湛财绩〔2027〕2号")
    rows = {t["code"]: t for t in evaluation.data["targets"]}
    assert [rows[c]["target"] for c in ("T1", "T2", "T3", "T4", "T5")] == [
        "18000",
        "4400",
        "310",
        "100",
        "90",
    ]
    # 产出 weights 30 : 20 : 10 share U1 履职产出's 25 points; 效益 and 满意度 are reported figures
    # (gd-department scores them with its own U2 and U3).
    assert [(rows[c]["parent"], rows[c]["points"]) for c in ("T1", "T2", "T3", "T4", "T5")] == [
        ("U1", "12.50"),
        ("U1", "8.33"),
        ("U1", "4.17"),
        (None, None),
        (None, None),
    ]
    assert evaluation.data["targets_basis"]["adjustment"] == 1
    # 6. The unit enters the actuals and the rest of its report; submitted and approved.
    filled = f.seed_evaluation_data()
    for key in ("kind", "ruleset", "year", "notice", "unit", "targets", "targets_basis"):
        filled[key] = copy.deepcopy(evaluation.data[key])
    actuals = {"T1": "18969", "T2": "5570", "T3": "354", "T4": "100", "T5": "96"}
    for row in filled["targets"]:
        row["actual"] = actuals[row["code"]]
    evaluation = save_evaluation_data(
        user=world.editor, evaluation_id=evaluation.pk, expected_version=0, data=filled
    )
    assert evaluation.total is not None
    reviews.transition(user=world.head, evaluation_id=evaluation.pk, action="submit")
    comparison = target_comparison(evaluation)
    assert comparison is not None and comparison.columns == ["申报（批复）", "调整1", "自评"]
    assert comparison.stale is False
    t1 = next(r for r in comparison.rows if r.code == "T1")
    assert t1.changed == (False, True, False)  # 16000 declared → 18000 adjusted = evaluated
    reviews.transition(
        user=world.department_reviewer, evaluation_id=evaluation.pk, action="department_approve"
    )
    with django_capture_on_commit_callbacks(execute=True):
        reviews.transition(
            user=world.bureau_reviewer, evaluation_id=evaluation.pk, action="bureau_approve"
        )
    evaluation.refresh_from_db()
    assert evaluation.status == Status.APPROVED
    assert Evaluation.objects.get(pk=evaluation.pk).data["targets"][0]["target"] == "18000"
