"""The review workflow as a plain table: (state, action) → next state, and who may do it.

draft → submitted (unit head) → department_approved / returned (department) → approved / returned
(bureau) → published (bureau). Returned work is editable again and is resubmitted by the unit head.
A bureau admin may withdraw a publication (撤回公开: published → approved, with a reason); a withdrawn
evaluation can be published again as a new version, or returned to the unit for correction
(approved → returned, only after a withdrawal: services.step_problems checks it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.models import Status
from jixiao.organisations.models import Role
from scoring.report_parts import part_keys, parts_of


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
WITHDRAW = "withdraw"
CORRECTION_RETURN = "correction_return"

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
    Step(
        WITHDRAW,
        Status.PUBLISHED,
        Status.APPROVED,
        frozenset({Role.BUREAU_ADMIN}),
        _("撤回公开"),
        needs_comment=True,
    ),
    Step(
        CORRECTION_RETURN,
        Status.APPROVED,
        Status.RETURNED,
        _BUREAU,
        _("撤回后退回单位更正"),
        needs_comment=True,
    ),
)


def step_for(status: str, action: str) -> Step | None:
    for step in STEPS:
        if step.source == status and step.action == action:
            return step
    return None


def steps_from(status: str, role: str) -> list[Step]:
    """What a person in ``role`` may do to an evaluation in ``status`` (the buttons to show)."""
    return [s for s in STEPS if s.source == status and role in s.roles]


def comment_sections(
    kind: str, data: Mapping[str, Any] | None = None
) -> list[tuple[str, Promise | str]]:
    """The parts a reviewer may comment on when returning an evaluation of ``kind`` (分部分意见):
    the same parts, order and words as the entry tabs and the report (scoring.report_parts).
    A target declaration (kind ``targets``) adds one box per target (逐项意见), keyed
    ``target-<code>`` and labelled with the target's code and name."""
    sections: list[tuple[str, Promise | str]] = [(p.key, _(p.title)) for p in parts_of(kind)]
    if kind == "targets" and data:
        for row in data.get("targets") or []:
            code = str(row.get("code") or "") if isinstance(row, dict) else ""
            if TARGET_KEY.match(f"target-{code}"):
                sections.append((f"target-{code}", f"{code} {row.get('name') or ''}".strip()))
    return sections


# Every part key of any kind: what a stored per-part comment may be keyed by.
SECTION_KEYS = part_keys()
# A comment on one target of a declaration: ``target-T3``.
TARGET_KEY = re.compile(r"^target-[A-Za-z0-9_.-]{1,40}$")


def is_section_key(key: str) -> bool:
    return key in SECTION_KEYS or bool(TARGET_KEY.match(key))
