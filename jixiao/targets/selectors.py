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
            project_id=project_id,
            status__in=APPROVED_STATUSES,
        )
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
