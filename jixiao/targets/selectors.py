"""Which targets are in force: the approved declaration and its approved adjustments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jixiao.campaigns.models import EvaluationKind
from jixiao.evaluations.models import Evaluation, Status
from jixiao.targets.models import AdjustmentStatus, TargetAdjustment

APPROVED_STATUSES = (Status.APPROVED, Status.PUBLISHED)


@dataclass(frozen=True)
class TargetsInForce:
    """The approved declaration for a unit (and project) and year, and the version in force.

    ``data`` is the declaration JSON in force (``scoring.targets.TargetDeclaration`` shape): the
    latest approved adjustment's, or the declaration's own when none was approved.
    ``versions`` lists every version in order: ("申报", declaration data), then ("调整N", data) for
    each approved adjustment, for the side-by-side view.
    """

    declaration: Evaluation
    data: dict[str, Any]
    adjustment: TargetAdjustment | None
    versions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def targets_in_force(*, unit_id: int, year: int, project_id: int | None) -> TargetsInForce | None:
    """The targets approved for ``unit_id``'s ``year`` (its 部门整体 targets when ``project_id`` is
    None, else that project's), or None when nothing was approved (a bureau's first year)."""
    declaration = (
        Evaluation.objects.filter(
            campaign__kind=EvaluationKind.TARGETS,
            campaign__year=year,
            unit_id=unit_id,
            status__in=APPROVED_STATUSES,
        )
        .filter(**({"project__isnull": True} if project_id is None else {"project_id": project_id}))
        .select_related("campaign")
        .order_by("-campaign__created_at", "-id")
        .first()
    )
    if declaration is None:
        return None
    approved = list(
        TargetAdjustment.objects.filter(
            declaration=declaration, status=AdjustmentStatus.APPROVED
        ).order_by("number")
    )
    return _in_force(declaration, approved)


def targets_in_force_of_units(
    *, unit_ids: list[int], year: int
) -> dict[tuple[int, int | None], TargetsInForce]:
    """targets_in_force for every (unit, project or None) of ``unit_ids``' ``year`` that has
    approved targets, in two queries: a background job prefilling a batch of reports asked one
    report at a time (two queries each, 250,000 reports to a 监控 round)."""
    latest: dict[tuple[int, int | None], Evaluation] = {}
    for declaration in (
        Evaluation.objects.filter(
            campaign__kind=EvaluationKind.TARGETS,
            campaign__year=year,
            unit_id__in=unit_ids,
            status__in=APPROVED_STATUSES,
        )
        .select_related("campaign")
        .order_by("-campaign__created_at", "-id")
    ):
        latest.setdefault((declaration.unit_id, declaration.project_id), declaration)
    approved: dict[int, list[TargetAdjustment]] = {}
    for adjustment in TargetAdjustment.objects.filter(
        declaration__in=[d.pk for d in latest.values()], status=AdjustmentStatus.APPROVED
    ).order_by("number"):
        approved.setdefault(adjustment.declaration_id, []).append(adjustment)
    return {
        key: _in_force(declaration, approved.get(declaration.pk, []))
        for key, declaration in latest.items()
    }


def _in_force(declaration: Evaluation, approved: list[TargetAdjustment]) -> TargetsInForce:
    """The version in force of ``declaration`` given its approved adjustments (by number)."""
    versions: list[tuple[str, dict[str, Any]]] = [("申报", declaration.data)]
    versions += [(f"调整{a.number}", a.data) for a in approved]
    latest = approved[-1] if approved else None
    return TargetsInForce(
        declaration=declaration,
        data=latest.data if latest else declaration.data,
        adjustment=latest,
        versions=versions,
    )


def get_declaration(*, user: Any, declaration_id: int) -> Evaluation:
    """A target declaration the user may see (scoped like every evaluation); Http404 otherwise,
    and for an evaluation that is not a declaration."""
    from django.http import Http404

    from jixiao.evaluations.selectors import evaluations_visible_to

    declaration = (
        evaluations_visible_to(user=user)
        .filter(pk=declaration_id, campaign__kind=EvaluationKind.TARGETS)
        .select_related("project")
        .first()
    )
    if declaration is None:
        raise Http404
    return declaration


def latest_return_comments(*, user: Any, declaration: Evaluation) -> dict[str, Any] | None:
    """The reviewer's latest return while the declaration is being fixed: the transition, and its
    comments by part and by target code (``target-T3`` → T3)."""
    if declaration.status != Status.RETURNED:
        return None
    from jixiao.reviews.selectors import history_for

    returns = [h for h in history_for(user=user, evaluation=declaration) if h.is_return]
    if not returns:
        return None
    latest = returns[-1]
    comments = latest.transition.section_comments or {}
    return {
        "transition": latest.transition,
        "parts": [c for c in latest.section_comments if not c.key.startswith("target-")],
        "by_target": {
            key.removeprefix("target-"): text
            for key, text in comments.items()
            if key.startswith("target-") and text
        },
    }


# --- 绩效目标调整 (target adjustments) -------------------------------------------------------------


# 调整审核's order: newest request first. ``requested_at`` is stamped when the row is created, so
# the id gives the same order, and as a unique key it pages with a plain keyset.
ADJUSTMENT_ORDER = (("id", True),)


def adjustments_visible_to(*, user: Any) -> Any:
    """Every adjustment of a declaration the user may see (unit: its own; department: its units';
    bureau: all), newest first. The scope is on the declaration's unit column (unit_fk_scope_q):
    no join with every organisation; the declarations' and adjustments' documents stay unread."""
    from jixiao.organisations.selectors import unit_fk_scope_q

    return (
        TargetAdjustment.objects.filter(unit_fk_scope_q(user, "declaration__unit"))
        .select_related(
            "declaration",
            "declaration__unit",
            "declaration__unit__parent",
            "declaration__campaign",
            "requested_by",
        )
        .defer("data", "base_data", "declaration__data")
        .order_by("-pk")
    )


def adjustment_queue(*, user: Any, status: str = "") -> Any:
    """调整审核: what waits for this user (a department: requests; the bureau: requests its
    departments agreed to; a unit: its own open requests), or every adjustment in scope with
    ``status`` given ("all" for every state)."""
    from jixiao.organisations.models import Role

    shown = adjustments_visible_to(user=user)
    if status == "all":
        return shown
    if status in AdjustmentStatus.values:
        return shown.filter(status=status)
    if user.role == Role.DEPARTMENT_REVIEWER:
        return shown.filter(status=AdjustmentStatus.REQUESTED)
    if user.role in (Role.BUREAU_REVIEWER, Role.BUREAU_ADMIN):
        return shown.filter(status=AdjustmentStatus.DEPARTMENT_APPROVED)
    return shown.filter(
        status__in=(AdjustmentStatus.REQUESTED, AdjustmentStatus.DEPARTMENT_APPROVED)
    )


def adjustment_page(*, user: Any, status: str = "", cursor: str | None, size: int) -> Any:
    """One keyset page (jixiao.web.keyset) of ``adjustment_queue``: the same few queries on the
    first page and the thousandth, and no count of every adjustment in the city."""
    from jixiao.web.keyset import paginate

    return paginate(
        adjustment_queue(user=user, status=status), ADJUSTMENT_ORDER, cursor=cursor, size=size
    )


def get_adjustment(*, user: Any, adjustment_id: int) -> TargetAdjustment:
    from django.http import Http404

    from jixiao.organisations.selectors import unit_scope_q

    adjustment = (
        TargetAdjustment.objects.filter(unit_scope_q(user, "declaration__unit"), pk=adjustment_id)
        .select_related(
            "declaration",
            "declaration__unit",
            "declaration__campaign",
            "declaration__project",
            "requested_by",
            "department_decided_by",
            "bureau_decided_by",
        )
        .first()
    )
    if adjustment is None:
        raise Http404
    return adjustment


@dataclass(frozen=True)
class VersionCell:
    text: str
    state: str  # same | changed | added | removed | absent


@dataclass(frozen=True)
class VersionRow:
    label: str
    cells: list[VersionCell]


_SIGNS = {">=": "≥", "<=": "≤", "=": "="}


def _value_text(row: dict[str, Any]) -> str:
    value, high = row.get("value"), row.get("value_high")
    if value in (None, ""):
        return str(row.get("value_text") or "")
    if row.get("direction") == "range":
        return f"{value}–{high if high not in (None, '') else ''}"
    return f"{_SIGNS.get(str(row.get('direction')), '')}{value}"


def _target_text(row: dict[str, Any]) -> str:
    parts = [
        f"{row.get('level2') or ''} {row.get('name') or ''}".strip(),
        f"{_value_text(row)}{row.get('unit') or ''}",
        f"权重 {row.get('weight')}" if row.get("weight") not in (None, "") else "",
        str(row.get("criteria") or ""),
    ]
    return "\n".join(p for p in parts if p)


def version_rows(versions: list[tuple[str, dict[str, Any]]]) -> list[VersionRow]:
    """Every version side by side (申报, 调整1, 调整2 …): the amount, the overall goal and each
    target by its code, each cell marked against the version before it (changed, added, removed)."""
    rows: list[VersionRow] = []

    def row(label: str, texts: list[str | None]) -> VersionRow:
        cells = []
        for index, text in enumerate(texts):
            before = texts[index - 1] if index else text
            if text is None:
                state = "removed" if before is not None else "absent"
                cells.append(VersionCell("", state))
            elif before is None:
                cells.append(VersionCell(text, "added"))
            else:
                cells.append(VersionCell(text, "same" if text == before else "changed"))
        return VersionRow(label, cells)

    rows.append(row("申报金额（万元）", [str(d.get("amount") or "") for _l, d in versions]))
    rows.append(row("总体目标", [str(d.get("overall_goal") or "") for _l, d in versions]))
    codes: list[str] = []
    for _label, data in versions:
        for target in data.get("targets") or []:
            code = str(target.get("code") or "")
            if code and code not in codes:
                codes.append(code)
    for code in codes:
        texts: list[str | None] = []
        for _label, data in versions:
            found = next((t for t in data.get("targets") or [] if str(t.get("code")) == code), None)
            texts.append(_target_text(found) if found is not None else None)
        rows.append(row(code, texts))
    return rows
