"""JSON API of 绩效目标申报 and 目标调整 (a router of jixiao.api's NinjaAPI): a declaration with its
checks and the version in force, its adjustments, one adjustment, requesting one and deciding it.
The declaration's content is saved and moved through the workflow by the evaluations routes
(``PUT /api/evaluations/{id}/data``, ``POST /api/evaluations/{id}/transitions``): a declaration is
an evaluation. Same selectors and services as the pages; out of scope answers 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from jixiao.organisations.models import User
from jixiao.targets import declarations, selectors, services
from jixiao.targets.entry import form_from_data
from jixiao.targets.models import TargetAdjustment
from jixiao.web.bounded_numbers import ObjectId

router = Router(tags=["绩效目标"])


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


class CheckOut(Schema):
    code: str
    severity: str
    message: str
    row: int | None = None
    target: str = ""


class DeclarationOut(Schema):
    id: int
    year: int
    unit: str
    project: str
    status: str
    status_label: str
    version: int
    data: dict[str, Any]
    checks: list[CheckOut]
    in_force: dict[str, Any] | None = Field(
        None, description="现行目标：版本名与内容（审定后才有）"
    )


class AdjustmentOut(Schema):
    id: int
    declaration: int
    number: int
    status: str
    status_label: str
    reason: str
    requested_by: str
    requested_at: str | None
    department_comment: str
    department_decided_at: str | None
    bureau_comment: str
    bureau_decided_at: str | None
    sha256: str


class AdjustmentDetailOut(AdjustmentOut):
    data: dict[str, Any]
    base_data: dict[str, Any]


class AdjustmentIn(Schema):
    reason: str = Field("", max_length=5000, description="调整理由（必填）")
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="调整后的申报内容（overall_goal, amount, targets），形同 scoring.targets",
    )


class DecisionIn(Schema):
    action: str = Field(description="approve / refuse（主管部门、财政局）或 withdraw（单位）")
    comment: str = Field("", max_length=5000, description="意见（不同意时必填）")


class RefusedOut(Schema):
    detail: str
    problems: list[str]


def _adjustment(a: TargetAdjustment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "declaration": a.declaration_id,
        "number": a.number,
        "status": a.status,
        "status_label": str(a.get_status_display()),
        "reason": a.reason,
        "requested_by": str(a.requested_by),
        "requested_at": _iso(a.requested_at),
        "department_comment": a.department_comment,
        "department_decided_at": _iso(a.department_decided_at),
        "bureau_comment": a.bureau_comment,
        "bureau_decided_at": _iso(a.bureau_decided_at),
        "sha256": a.sha256,
    }


@router.get(
    "/declarations/{declaration_id}",
    response=DeclarationOut,
    summary="一份绩效目标申报：内容、审核要点检查、现行目标",
)
def declaration_detail(request: HttpRequest, declaration_id: ObjectId) -> dict[str, Any]:
    declaration = selectors.get_declaration(user=_user(request), declaration_id=declaration_id)
    findings = declarations.findings_for(declaration)
    in_force = None
    if declaration.status in selectors.APPROVED_STATUSES:
        found = selectors.targets_in_force(
            unit_id=declaration.unit_id,
            year=declaration.campaign.year,
            project_id=declaration.project_id,
        )
        if found is not None:
            in_force = {"version": found.versions[-1][0], "data": found.data}
    return {
        "id": declaration.pk,
        "year": declaration.campaign.year,
        "unit": declaration.unit.name,
        "project": declaration.project_name,
        "status": declaration.status,
        "status_label": str(declaration.get_status_display()),
        "version": declaration.version,
        "data": declaration.data,
        "checks": [
            {
                "code": f.code,
                "severity": str(f.severity),
                "message": declarations.finding_text(f),
                "row": f.row,
                "target": f.target,
            }
            for f in findings
        ],
        "in_force": in_force,
    }


@router.get(
    "/declarations/{declaration_id}/adjustments",
    response=list[AdjustmentOut],
    summary="一份申报的全部调整申请",
)
def declaration_adjustments(request: HttpRequest, declaration_id: ObjectId) -> list[dict[str, Any]]:
    user = _user(request)
    declaration = selectors.get_declaration(user=user, declaration_id=declaration_id)
    shown = selectors.adjustments_visible_to(user=user).filter(declaration=declaration)
    return [_adjustment(a) for a in shown.order_by("number")]


@router.post(
    "/declarations/{declaration_id}/adjustments",
    response={200: AdjustmentDetailOut, 400: RefusedOut},
    summary="申请调整绩效目标（单位填报人、负责人）",
)
def request_adjustment(
    request: HttpRequest, declaration_id: ObjectId, payload: AdjustmentIn
) -> Any:
    user = _user(request)
    selectors.get_declaration(user=user, declaration_id=declaration_id)  # not yours → 404
    try:
        adjustment = services.request_adjustment(
            user=user,
            declaration_id=declaration_id,
            form=form_from_data(payload.data),
            reason=payload.reason,
        )
    except services.AdjustmentRefused as refused:
        return Reply(400, {"detail": _("未提交"), "problems": refused.problems})
    return Reply(
        200, _adjustment(adjustment) | {"data": adjustment.data, "base_data": adjustment.base_data}
    )


@router.get(
    "/adjustments/{adjustment_id}",
    response=AdjustmentDetailOut,
    summary="一项绩效目标调整：调整前后的内容与审核意见",
)
def adjustment_detail(request: HttpRequest, adjustment_id: ObjectId) -> dict[str, Any]:
    adjustment = selectors.get_adjustment(user=_user(request), adjustment_id=adjustment_id)
    return _adjustment(adjustment) | {"data": adjustment.data, "base_data": adjustment.base_data}


@router.post(
    "/adjustments/{adjustment_id}/decision",
    response={200: AdjustmentOut, 400: RefusedOut},
    summary="审核调整申请：approve / refuse（主管部门，然后财政局），或单位 withdraw",
)
def adjustment_decision(request: HttpRequest, adjustment_id: ObjectId, payload: DecisionIn) -> Any:
    user = _user(request)
    adjustment = selectors.get_adjustment(user=user, adjustment_id=adjustment_id)
    try:
        if payload.action in ("approve", "refuse"):
            adjustment = services.decide_adjustment(
                user=user,
                adjustment_id=adjustment.pk,
                approve=payload.action == "approve",
                comment=payload.comment,
            )
        elif payload.action == "withdraw":
            adjustment = services.withdraw_adjustment(user=user, adjustment_id=adjustment.pk)
        else:
            raise services.AdjustmentRefused([_("未知的操作：approve、refuse 或 withdraw")])
    except services.AdjustmentRefused as refused:
        return Reply(400, {"detail": _("未办理"), "problems": refused.problems})
    return Reply(200, _adjustment(adjustment))
