"""The review workflow as a plain table: (state, action) → next state, and who may do it.

draft → submitted (unit head) → department_approved / returned (department) → approved / returned
(bureau) → published (bureau). Returned work is editable again and is resubmitted by the unit head.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.models import Status
from jixiao.organisations.models import Role


@dataclass(frozen=True)
class Step:
    action: str
    source: Status
    target: Status
    roles: frozenset[Role]
    label: Promise
    needs_comment: bool = False


SUBMIT = "submit"
DEPARTMENT_APPROVE = "department_approve"
DEPARTMENT_RETURN = "department_return"
BUREAU_APPROVE = "bureau_approve"
BUREAU_RETURN = "bureau_return"
PUBLISH = "publish"

_BUREAU = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN})

STEPS: tuple[Step, ...] = (
    Step(SUBMIT, Status.DRAFT, Status.SUBMITTED, frozenset({Role.UNIT_HEAD}), _("审定并报送")),
    Step(
        SUBMIT, Status.RETURNED, Status.SUBMITTED, frozenset({Role.UNIT_HEAD}), _("修改后重新报送")
    ),
    Step(
        DEPARTMENT_APPROVE,
        Status.SUBMITTED,
        Status.DEPARTMENT_APPROVED,
        frozenset({Role.DEPARTMENT_REVIEWER}),
        _("审核通过，报财政局"),
    ),
    Step(
        DEPARTMENT_RETURN,
        Status.SUBMITTED,
        Status.RETURNED,
        frozenset({Role.DEPARTMENT_REVIEWER}),
        _("退回修改"),
        needs_comment=True,
    ),
    Step(BUREAU_APPROVE, Status.DEPARTMENT_APPROVED, Status.APPROVED, _BUREAU, _("财政审定通过")),
    Step(
        BUREAU_RETURN,
        Status.DEPARTMENT_APPROVED,
        Status.RETURNED,
        _BUREAU,
        _("退回修改"),
        needs_comment=True,
    ),
    Step(PUBLISH, Status.APPROVED, Status.PUBLISHED, _BUREAU, _("公开")),
)


def step_for(status: str, action: str) -> Step | None:
    for step in STEPS:
        if step.source == status and step.action == action:
            return step
    return None


def steps_from(status: str, role: str) -> list[Step]:
    """What a person in ``role`` may do to an evaluation in ``status`` (the buttons to show)."""
    return [s for s in STEPS if s.source == status and role in s.roles]


# Sections a reviewer may comment on when returning work (分部分意见), in report order.
SECTIONS: dict[str, Promise] = {
    "unit": _("单位基本情况"),
    "targets": _("绩效目标及完成情况"),
    "budget": _("部门整体支出情况"),
    "group": _("自评工作开展情况"),
    "assessments": _("指标自评打分"),
    "analyses": _("绩效指标分析"),
    "practices": _("主要做法和经验"),
    "problems": _("存在问题和改进措施"),
    "other": _("其他自评情况"),
    "evidence": _("佐证材料"),
}
