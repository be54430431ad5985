"""Approved target declarations for the tests of the bound self-evaluation (issue 10 §4).

A declaration is an Evaluation in a campaign of kind ``targets``; these helpers store one as the
workflow leaves it (approved by the bureau, with its approval step), and approved adjustments.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone

from jixiao.campaigns.models import Campaign, EvaluationKind
from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.reviews import workflow
from jixiao.reviews.models import Transition
from jixiao.targets.models import AdjustmentStatus, TargetAdjustment
from jixiao.testing import factories as f


def declaration_data(year: int = 2025, certificates: str = "12000") -> dict[str, Any]:
    """The seed unit's 部门整体 targets as a declaration (scoring.targets.TargetDeclaration)."""
    return {
        "kind": "targets",
        "scope": "department",
        "year": year,
        "unit_name": "湛江市职业技能鉴定指导中心",
        "overall_goal": "做好全市职业技能等级认定督导、考务统筹和业务指导。",
        "targets": [
            {
                "code": "T0",
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "参加职业技能等级认定人次数",
                "unit": "人次",
            },
            {
                "code": "T1",
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "新增取得职业技能等级认定证书",
                "direction": ">=",
                "value": certificates,
                "unit": "人次",
                "weight": "10",
            },
            {
                "code": "T2",
                "level1": "产出指标",
                "level2": "数量指标",
                "name": "新增取得高级工及以上职业技能等级认定证书",
                "value": "4400",
                "unit": "人次",
                "weight": "10",
            },
            {
                "code": "T3",
                "level1": "产出指标",
                "level2": "质量指标",
                "name": "新增取得技师及以上职业技能等级认定证书",
                "value": "310",
                "unit": "人次",
                "weight": "5",
            },
            {
                "code": "T5",
                "level1": "满意度指标",
                "level2": "服务对象满意度指标",
                "name": "考生满意度",
                "value": "90",
                "unit": "%",
                "weight": "5",
            },
        ],
    }


def approve_declaration(
    world: World, data: dict[str, Any] | None = None, *, year: int = 2025
) -> Evaluation:
    """An approved 部门整体 declaration of ``world.unit`` for ``year``."""
    campaign = f.CampaignFactory.create(
        bureau=world.bureau,
        year=year,
        kind=EvaluationKind.TARGETS,
        title=f"{year}年度绩效目标申报",
        notice_number=f"湛财绩〔{year - 1}〕9号",
    )
    declaration = Evaluation.objects.create(
        campaign=campaign,
        unit=world.unit,
        status=Status.APPROVED,
        ruleset_ref=campaign.ruleset_ref,
        data=data or declaration_data(year),
        version=1,
    )
    step = Transition.objects.create(
        evaluation=declaration,
        action=workflow.BUREAU_APPROVE,
        from_status=Status.DEPARTMENT_APPROVED,
        to_status=Status.APPROVED,
        actor=world.bureau_reviewer,
    )
    Transition.objects.filter(pk=step.pk).update(
        at=timezone.make_aware(dt.datetime(year - 1, 12, 20, 10))
    )
    return declaration


def approve_adjustment(
    world: World, declaration: Evaluation, change: Any, *, number: int = 1
) -> TargetAdjustment:
    """An approved adjustment whose data is the version in force changed by ``change(data)``."""
    from jixiao.targets.selectors import targets_in_force

    in_force = targets_in_force(
        unit_id=declaration.unit_id, year=declaration.campaign.year, project_id=None
    )
    base = copy.deepcopy(in_force.data if in_force else declaration.data)
    data = copy.deepcopy(base)
    change(data)
    return TargetAdjustment.objects.create(
        declaration=declaration,
        number=number,
        status=AdjustmentStatus.APPROVED,
        reason="全年认定规模增长较快，按实际测算调高年度指标值。",
        data=data,
        base_data=base,
        requested_by=world.head,
        bureau_decided_by=world.bureau_reviewer,
        bureau_decided_at=timezone.make_aware(dt.datetime(declaration.campaign.year, 7, 15, 9)),
    )


def year_end_campaign(world: World, year: int = 2025) -> Campaign:
    return f.CampaignFactory.create(
        bureau=world.bureau, year=year, notice_number=f"湛财绩〔{year + 1}〕3号"
    )


def target(data: dict[str, Any], code: str) -> dict[str, Any]:
    return next(t for t in data["targets"] if t["code"] == code)
