"""A year-end self-evaluation bound to the unit's approved targets (绩效目标 → 绩效自评).

When the unit's targets for the campaign's year were declared and approved (a campaign of kind
``targets``; jixiao.targets.selectors.targets_in_force), the evaluation's targets are those: one
row per approved target, whose name, unit of measure, direction, value, 所属评分指标 and 分值 come
from the version in force (the declaration, or its latest approved adjustment) and are server-owned
on every write path (jixiao.evaluations.ownership). The unit enters actual values, explanations and
the 其中 relation. ``data["targets_basis"]`` records which version the rows follow, and the report
states it. Without an approved declaration nothing here applies: the unit sets its own targets.

The rows follow the version in force for as long as the evaluation is editable: on every save, and
when the entry page opens (``follow_targets_in_force``). Once submitted, the evaluation keeps the
version it was submitted with; the reviewer's comparison (``target_comparison``) shows it beside
every approved version, so a later adjustment shows as a difference to return it for.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext_lazy as _lazy
from pydantic import ValidationError

from jixiao.campaigns.models import EvaluationKind
from jixiao.evaluations.models import Evaluation
from scoring.target_binding import (
    BOUND_FIELDS,
    TargetDifference,
    basis_sentence,
    bind_targets,
    target_differences,
)
from scoring.targets import TargetDeclaration, declaration_from_data

YEAR_END_KINDS = (EvaluationKind.DEPARTMENT, EvaluationKind.PROJECT)

# Fields of a target row that stay the unit's (and the reviewer's) when the row is bound.
UNIT_FIELDS = (
    "actual",
    "explanation",
    "part_of",
    "reviewer_deduction",
    "reviewer_deduction_reason",
    "not_applicable",  # 不适用: the unit's mark, when the rule-set allows it
)


@dataclass(frozen=True)
class Binding:
    """The approved targets an evaluation is bound to: its rows and the basis to record."""

    rows: list[dict[str, Any]]
    basis: dict[str, Any]
    versions: list[tuple[str, dict[str, Any]]]

    @property
    def codes(self) -> list[str]:
        return [str(row["code"]) for row in self.rows]


def _digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _approved_on(declaration: Evaluation) -> str | None:
    from jixiao.reviews import workflow
    from jixiao.reviews.models import Transition

    at = (
        Transition.objects.filter(evaluation=declaration, action=workflow.BUREAU_APPROVE)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    return _local_date(at)


def _local_date(moment: Any) -> str | None:
    from django.utils import timezone

    return timezone.localtime(moment).date().isoformat() if moment else None


def binding_for(evaluation: Evaluation) -> Binding | None:
    """The approved targets ``evaluation`` is bound to, or None (no approved declaration for its
    unit, year and project; or not a year-end self-evaluation)."""
    from jixiao.campaigns.rulesets import get_ruleset
    from jixiao.targets.selectors import targets_in_force
    from scoring import InputError

    campaign = evaluation.campaign
    if campaign.kind not in YEAR_END_KINDS:
        return None
    project_id = evaluation.project_id if campaign.kind == EvaluationKind.PROJECT else None
    if campaign.kind == EvaluationKind.PROJECT and project_id is None:
        return None  # a project evaluation made before the register: nothing to bind to
    in_force = targets_in_force(
        unit_id=evaluation.unit_id, year=campaign.year, project_id=project_id
    )
    if in_force is None:
        return None
    try:
        declaration = declaration_from_data(in_force.data)
        ruleset = get_ruleset(campaign.ruleset_ref)
    except (ValidationError, InputError):
        return None  # an approved declaration is valid; never let a stored fault block the save
    if project_id is not None:
        project = evaluation.project
        title = f"{campaign.year}年度「{project.name if project else ''}」项目绩效目标"
    else:
        title = f"{campaign.year}年度部门整体绩效目标"
    adjustment = in_force.adjustment
    basis: dict[str, Any] = {
        "title": title,
        "approved_by": in_force.declaration.campaign.bureau.name,
        "approved_on": _approved_on(in_force.declaration),
        "adjustment": adjustment.number if adjustment else None,
        "adjustment_approved_on": _local_date(adjustment.bureau_decided_at) if adjustment else None,
        "sha256": _digest(in_force.data),
    }
    return Binding(
        rows=bind_targets(declaration, ruleset), basis=basis, versions=list(in_force.versions)
    )


def bound_rows(binding: Binding, unit_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The binding's rows with the unit's own fields taken from ``unit_rows`` (same code)."""
    by_code = {str(row.get("code")): row for row in unit_rows if isinstance(row, dict)}
    codes = set(binding.codes)
    out = []
    for row in binding.rows:
        merged = dict(row)
        mine = by_code.get(str(row["code"]), {})
        for name in UNIT_FIELDS:
            if name in mine:
                merged[name] = mine[name]
        if merged.get("part_of") and merged["part_of"] not in codes:
            merged["part_of"] = None  # a 其中 link to a target that is no longer approved
        out.append(merged)
    return out


def apply_binding(data: dict[str, Any], binding: Binding | None) -> dict[str, Any]:
    """``data`` with its targets bound (a copy); unchanged without a binding."""
    if binding is None:
        return data
    out = dict(data)
    out["targets"] = bound_rows(binding, list(data.get("targets") or []))
    out["targets_basis"] = dict(binding.basis)
    return out


def is_bound(data: dict[str, Any]) -> bool:
    return bool(data.get("targets_basis"))


def is_bound_path(path: str, data: dict[str, Any]) -> bool:
    """Whether a dotted path (``targets.1.target``) is a bound field of ``data``: for importers
    that offer fields one by one (prefill from a report), so they do not offer what the save
    would refuse."""
    if not is_bound(data):
        return False
    keys = path.split(".")
    if keys[0] == "targets_basis":
        return True
    return keys[0] == "targets" and len(keys) > 2 and keys[2] in (*BOUND_FIELDS, "code")


def same_value(a: Any, b: Any) -> bool:
    """Whether two stored values say the same (numbers compared as numbers, blank as blank)."""
    if a in (None, "") and b in (None, ""):
        return True
    try:
        return Decimal(str(a).strip()) == Decimal(str(b).strip())
    except (InvalidOperation, ValueError):
        return str(a).strip() == str(b).strip()


BOUND_MESSAGE = _lazy("以批复的绩效目标为准，单位不能修改；如需调整，请申请绩效目标调整")
ADDED_MESSAGE = _lazy("「{name}」不在批复的绩效目标中：新增绩效目标须经目标调整批准")
REMOVED_MESSAGE = _lazy("批复的绩效目标「{name}」不能删除；如需调整，请申请绩效目标调整")
BASIS_MESSAGE = _lazy("绩效目标依据由系统按批复的绩效目标填写，单位不能修改")


def enforce_bound_targets(
    *,
    evaluation: Evaluation,
    posted: dict[str, Any],
    result: dict[str, Any],
    problems: list[tuple[str, str]],
) -> None:
    """Make ``result``'s targets the approved ones (in place), appending a problem for every
    attempt to change a bound field, add a target or remove one (see ownership)."""
    stored = evaluation.data or {}
    binding = binding_for(evaluation)
    server_basis = dict(binding.basis) if binding else None
    if "targets_basis" in posted:
        given = posted.get("targets_basis")
        if given not in (None, {}, "") and not (
            _same_basis(given, server_basis) or _same_basis(given, stored.get("targets_basis"))
        ):
            problems.append(("targets_basis", str(BASIS_MESSAGE)))
    if binding is None:
        result.pop("targets_basis", None)
        return
    result["targets_basis"] = server_basis
    if "targets" not in posted:  # not said: the stored rows, following the version in force
        result["targets"] = bound_rows(binding, list(stored.get("targets") or []))
        return
    rows = [r for r in (result.get("targets") or []) if isinstance(r, dict)]
    bound = {str(row["code"]): row for row in binding.rows}
    before = {str(r.get("code")): r for r in stored.get("targets") or [] if isinstance(r, dict)}
    posted_codes = set()
    for index, row in enumerate(rows):
        code = str(row.get("code"))
        posted_codes.add(code)
        if code not in bound:
            if code not in before:  # kept rows a later adjustment removed are dropped silently
                problems.append(
                    (f"targets.{index}", str(ADDED_MESSAGE).format(name=row.get("name") or code))
                )
            continue
        for name in BOUND_FIELDS:
            value = row.get(name)
            if value in (None, ""):
                continue  # not said (a disabled form field, a partial document): the server's
            if not (
                same_value(value, bound[code].get(name))
                or same_value(value, before.get(code, {}).get(name))
            ):
                problems.append((f"targets.{index}.{name}", str(BOUND_MESSAGE)))
    for code, row in before.items():
        if code in bound and code not in posted_codes:
            problems.append(("targets", str(REMOVED_MESSAGE).format(name=row.get("name") or code)))
    # Rows of the version in force that neither the post nor the stored data has yet (a new
    # target of an adjustment approved since the page was opened) come in with nothing entered.
    unit_rows = rows + [r for c, r in before.items() if c not in posted_codes]
    result["targets"] = bound_rows(binding, unit_rows)


def _same_basis(a: Any, b: Any) -> bool:
    if not isinstance(a, dict) or not isinstance(b, dict):
        return a in (None, {}, "") and b in (None, {}, "")
    return all(same_value(a.get(k), b.get(k)) for k in set(a) | set(b))


# --- the reviewer's comparison ------------------------------------------------------------------


@dataclass(frozen=True)
class TargetComparison:
    """Declared, adjusted and evaluated targets side by side (the reviewer's view)."""

    basis: str  # 绩效目标依据, as the report states it
    columns: list[str]  # 申报（批复）, 调整1 …, 自评
    rows: list[TargetDifference]
    stale: bool  # the evaluation does not follow the version in force (submitted before it)

    @property
    def differs(self) -> bool:
        return self.stale or any(row.differs for row in self.rows)


def target_comparison(evaluation: Evaluation) -> TargetComparison | None:
    """The comparison for a bound evaluation, or None when it is not bound to approved targets.

    Shown to everyone who may see the evaluation; the reviewer reads it before approving."""
    data = evaluation.data or {}
    if not is_bound(data):
        return None
    binding = binding_for(evaluation)
    if binding is None:
        return None
    versions: list[TargetDeclaration] = []
    columns: list[str] = []
    for label, version in binding.versions:
        try:
            versions.append(declaration_from_data(version))
        except ValidationError:
            continue
        columns.append("申报（批复）" if label == "申报" else label)
    columns.append("自评")
    rows = target_differences(versions, list(data.get("targets") or []))
    stale = not _same_basis(data.get("targets_basis"), binding.basis)
    return TargetComparison(
        basis=basis_sentence(data["targets_basis"]), columns=columns, rows=rows, stale=stale
    )
