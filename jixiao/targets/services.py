"""Writes of the targets app: save a declaration (through the evaluations' one save path) and the
target adjustments (绩效目标调整: request, department decision, bureau decision, withdrawal).

Every write runs in a transaction, checks the acting user's scope and role, and records an event in
the 操作日志.
"""

from __future__ import annotations

import copy
import hashlib
import json
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text
from jixiao.campaigns.models import EvaluationKind
from jixiao.evaluations import services as evaluation_services
from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Role, User
from jixiao.organisations.selectors import unit_scope_q
from jixiao.targets.declarations import (
    canonical_numbers,
    enforce_declaration_owned,
    finding_text,
    findings_for,
    input_problem_text,
    parse_declaration,
)
from jixiao.targets.entry import EntryForm, declaration_fields
from jixiao.targets.models import AdjustmentStatus, TargetAdjustment
from jixiao.targets.selectors import APPROVED_STATUSES, targets_in_force
from scoring.loading import InputError


def save_declaration(
    *, user: User, declaration_id: int, base_version: int, form: EntryForm, window: str = ""
) -> evaluation_services.SaveOutcome:
    """Save the entry page (overall goal, amount, the target table) based on ``base_version``:
    merged with others' saves of other fields, refused on a clash (EvaluationConflict), like
    every self-evaluation save (versions, revisions, 操作日志)."""
    fields = declaration_fields(form)

    def build(base: dict[str, Any]) -> dict[str, Any]:
        base.update(fields)
        return base

    return evaluation_services.save_changes(
        user=user,
        evaluation_id=declaration_id,
        base_version=base_version,
        build=build,
        summary=log_text("保存了绩效目标申报"),
        window=window,
    )


# --- 绩效目标调整 (target adjustments) ----------------------------------------------------------


class AdjustmentRefused(Exception):
    """The step is not allowed now; ``problems`` says why, item by item (中文)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("；".join(problems))


OPEN_STATUSES = (AdjustmentStatus.REQUESTED, AdjustmentStatus.DEPARTMENT_APPROVED)


def canonical_digest(data: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a declaration (sorted keys, no spaces, UTF-8): the digest
    an approved adjustment keeps, reproducible by anyone with the JSON."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _declaration_for_adjustment(user: User, declaration_id: int) -> Evaluation:
    declaration = (
        Evaluation.objects.select_for_update(of=("self",))
        .filter(
            unit_scope_q(user, "unit"),
            pk=declaration_id,
            campaign__kind=EvaluationKind.TARGETS,
        )
        .select_related("campaign", "unit", "project")
        .first()
    )
    if declaration is None:
        raise Http404
    return declaration


@transaction.atomic
def request_adjustment(
    *, user: User, declaration_id: int, form: EntryForm, reason: str
) -> TargetAdjustment:
    """申请调整: the unit proposes the whole new target table, with its reason, for an approved
    declaration. Refused while another request is open, and when the proposal fails a check that
    would block a declaration's submission."""
    declaration = _declaration_for_adjustment(user, declaration_id)
    problems: list[str] = []
    if user.role not in evaluation_services.EDITOR_ROLES:
        problems.append(_("只有本单位的填报人或负责人可以申请调整绩效目标"))
    if declaration.status not in APPROVED_STATUSES:
        problems.append(_("绩效目标尚未经财政审定，不能申请调整（可直接修改申报）"))
    if TargetAdjustment.objects.filter(declaration=declaration, status__in=OPEN_STATUSES).exists():
        problems.append(_("已有一项调整申请正在审核，请等待审核结果或先撤回"))
    if not reason.strip():
        problems.append(_("请填写调整理由"))
    if not form.ok:
        problems += form.error_list()
    if problems:
        raise AdjustmentRefused(problems)
    in_force = targets_in_force(
        unit_id=declaration.unit_id,
        year=declaration.campaign.year,
        project_id=declaration.project_id,
    )
    base = in_force.data if in_force is not None else declaration.data
    data = enforce_declaration_owned(
        evaluation=declaration, data={**copy.deepcopy(base), **declaration_fields(form)}
    )
    data = canonical_numbers(data)
    try:
        parse_declaration(data)
    except InputError as exc:
        raise AdjustmentRefused([input_problem_text(p) for p in exc.problems]) from None
    errors = [finding_text(f) for f in findings_for(declaration, data) if f.is_error]
    if errors:
        raise AdjustmentRefused(errors)
    if _canonical(data) == _canonical(base):
        raise AdjustmentRefused([_("调整后的绩效目标与现行目标相同，无需调整")])
    number = (
        TargetAdjustment.objects.filter(declaration=declaration).aggregate(Max("number"))[
            "number__max"
        ]
        or 0
    ) + 1
    adjustment = TargetAdjustment.objects.create(
        declaration=declaration,
        number=number,
        reason=reason.strip(),
        data=data,
        base_data=base,
        requested_by=user,
    )
    record_event(
        actor=user,
        action="target_adjustment.request",
        target=adjustment,
        unit=declaration.unit,
        summary=log_text(
            "申请调整绩效目标：{declaration}（第 {n} 次调整）", declaration=declaration, n=number
        ),
        details={"declaration": declaration.pk, "number": number, "reason": reason.strip()},
    )
    return adjustment


def _canonical(data: dict[str, Any]) -> str:
    return json.dumps(canonical_numbers(data), sort_keys=True, ensure_ascii=False)


def _locked_adjustment(user: User, adjustment_id: int) -> TargetAdjustment:
    adjustment = (
        TargetAdjustment.objects.select_for_update(of=("self",))
        .filter(unit_scope_q(user, "declaration__unit"), pk=adjustment_id)
        .select_related("declaration", "declaration__unit", "declaration__campaign")
        .first()
    )
    if adjustment is None:
        raise Http404
    return adjustment


BUREAU_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})


@transaction.atomic
def decide_adjustment(
    *, user: User, adjustment_id: int, approve: bool, comment: str = ""
) -> TargetAdjustment:
    """主管部门 then 财政 approve or refuse an adjustment (a refusal needs a comment). The bureau's
    approval makes the adjustment the version in force, with the SHA-256 of its canonical JSON."""
    adjustment = _locked_adjustment(user, adjustment_id)
    comment = comment.strip()
    status = adjustment.status
    if status == AdjustmentStatus.REQUESTED and user.role == Role.DEPARTMENT_REVIEWER:
        stage = "department"
    elif status == AdjustmentStatus.DEPARTMENT_APPROVED and user.role in BUREAU_ROLES:
        stage = "bureau"
    else:
        raise AdjustmentRefused(
            [
                _("调整申请当前为“{status}”，您不能审核").format(
                    status=adjustment.get_status_display()
                )
            ]
        )
    if not approve and not comment:
        raise AdjustmentRefused([_("不同意调整时须填写意见")])
    now = timezone.now()
    if stage == "department":
        adjustment.department_comment = comment
        adjustment.department_decided_by = user
        adjustment.department_decided_at = now
        adjustment.status = (
            AdjustmentStatus.DEPARTMENT_APPROVED if approve else AdjustmentStatus.REFUSED
        )
    else:
        adjustment.bureau_comment = comment
        adjustment.bureau_decided_by = user
        adjustment.bureau_decided_at = now
        adjustment.status = AdjustmentStatus.APPROVED if approve else AdjustmentStatus.REFUSED
        if approve:
            adjustment.sha256 = canonical_digest(adjustment.data)
    adjustment.save()
    action = f"target_adjustment.{stage}_{'approve' if approve else 'refuse'}"
    labels = {
        "target_adjustment.department_approve": _("主管部门同意调整绩效目标"),
        "target_adjustment.department_refuse": _("主管部门不同意调整绩效目标"),
        "target_adjustment.bureau_approve": _("财政批准调整绩效目标"),
        "target_adjustment.bureau_refuse": _("财政不批准调整绩效目标"),
    }
    record_event(
        actor=user,
        action=action,
        target=adjustment,
        unit=adjustment.declaration.unit,
        summary=log_text(
            "{label}：{declaration}（第 {n} 次调整）",
            label=labels[action],
            declaration=adjustment.declaration,
            n=adjustment.number,
        ),
        details={
            "changes": {"status": [str(status), str(adjustment.status)]},
            "comment": comment,
            "sha256": adjustment.sha256,
        },
    )
    if adjustment.status == AdjustmentStatus.APPROVED:
        # The year-end self-evaluations bound to these targets follow the new version while they
        # are editable (bound_targets); a submitted one shows the reviewer the difference.
        evaluation_services.follow_declaration(declaration_id=adjustment.declaration_id, actor=user)
        # A named callable, not a partial: Django's robust on_commit logs a failure with the
        # callable's __qualname__, which a partial lacks (the log call itself would raise).
        approved_id = adjustment.pk
        transaction.on_commit(lambda: _record_in_library(approved_id), robust=True)
    return adjustment


def _record_in_library(adjustment_id: int) -> None:
    """指标库: the adjusted targets replace the declared ones (jixiao.indicators), after commit."""
    from django.apps import apps

    if not apps.is_installed("jixiao.indicators"):
        return
    from jixiao.indicators.services import record_targets

    adjustment = TargetAdjustment.objects.select_related(
        "declaration", "declaration__campaign"
    ).get(pk=adjustment_id)
    record_targets(adjustment.declaration, adjustment=adjustment)


@transaction.atomic
def withdraw_adjustment(*, user: User, adjustment_id: int) -> TargetAdjustment:
    """The unit takes back a request still under review."""
    adjustment = _locked_adjustment(user, adjustment_id)
    if user.role not in evaluation_services.EDITOR_ROLES:
        raise AdjustmentRefused([_("只有本单位的填报人或负责人可以撤回调整申请")])
    if adjustment.status not in OPEN_STATUSES:
        raise AdjustmentRefused(
            [_("调整申请当前为“{status}”，不能撤回").format(status=adjustment.get_status_display())]
        )
    before = adjustment.status
    adjustment.status = AdjustmentStatus.WITHDRAWN
    adjustment.save(update_fields=["status"])
    record_event(
        actor=user,
        action="target_adjustment.withdraw",
        target=adjustment,
        unit=adjustment.declaration.unit,
        summary=log_text(
            "撤回绩效目标调整申请：{declaration}（第 {n} 次调整）",
            declaration=adjustment.declaration,
            n=adjustment.number,
        ),
        details={"changes": {"status": [str(before), str(adjustment.status)]}},
    )
    return adjustment
