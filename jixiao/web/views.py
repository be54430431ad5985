"""The home page (工作台), which shows each role what needs doing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.selectors import days_left, evaluations_visible_to, status_counts_kept
from jixiao.notifications.todo import todo_for

# What each role is expected to act on (工作台 待办).
WAITING_STATUSES = {
    "unit_editor": (Status.DRAFT, Status.RETURNED),
    "unit_head": (Status.DRAFT, Status.RETURNED),
    "department_reviewer": (Status.SUBMITTED,),
    "bureau_reviewer": (Status.DEPARTMENT_APPROVED, Status.APPROVED),
    "bureau_admin": (Status.DEPARTMENT_APPROVED, Status.APPROVED),
}


WAITING_ROWS = 50
RECENT_ROWS = 15


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台: what waits for this user from every app (待办 registry), counts by status, the
    evaluations to act on, and the latest ones — a fixed number of queries at any size of city
    (issue 14: 2.3 s for the bureau at 50,000 units, every evaluation joined and sorted twice)."""
    user = request.user
    visible = evaluations_visible_to(user=user).defer("data")  # type: ignore[arg-type]
    with status_counts_kept(user) as per_campaign:  # type: ignore[arg-type]
        todo = todo_for(user)  # the reviewers' 待办 counts are these counts
    counts: dict[str, int] = {}
    for (_campaign, status), n in per_campaign.items():
        counts[status] = counts.get(status, 0) + n
    waiting_statuses = WAITING_STATUSES.get(user.role, ())  # type: ignore[union-attr]
    waiting = _waiting(visible, per_campaign, waiting_statuses)
    for evaluation in waiting:
        evaluation.days_left = (  # type: ignore[attr-defined]
            days_left(evaluation.deadline) if evaluation.is_editable else None
        )
    # The newest first through the evaluation_recent index: it stops after RECENT_ROWS.
    recent = list(
        visible.exclude(status__in=waiting_statuses).order_by("-updated_at", "-id")[:RECENT_ROWS]
    )
    tiles = [
        (status, label, counts.get(status, 0))
        for status, label in Status.choices
        if counts.get(status, 0) or status in waiting_statuses
    ]
    return render(
        request,
        "web/home.html",
        {
            "todo": todo,
            "waiting": waiting,
            "recent": recent,
            "tiles": tiles,
            "total": sum(counts.values()),
        },
    )


def _waiting(
    visible: QuerySet[Evaluation],
    per_campaign: dict[tuple[int, str], int],
    statuses: tuple[str, ...],
) -> list[Evaluation]:
    """Up to WAITING_ROWS evaluations in ``statuses``, the campaign due first, then in the
    progress table's order. The counts say which campaigns have any, so only those are read —
    each through its (campaign, department, unit, project) index, stopping when the page is
    full: one query when the first campaign fills it, never a sort of every waiting row."""
    if not statuses:
        return []
    ids = {campaign for (campaign, status), n in per_campaign.items() if status in statuses and n}
    campaigns = (
        Campaign.objects.filter(pk__in=ids).order_by("deadline", "pk").values_list("pk", flat=True)
    )
    waiting: list[Evaluation] = []
    for campaign_id in campaigns:
        waiting += visible.filter(campaign_id=campaign_id, status__in=statuses).order_by(
            "department_name", "unit_name", "project_name", "id"
        )[: WAITING_ROWS - len(waiting)]
        if len(waiting) >= WAITING_ROWS:
            break
    return waiting
