"""The home page (工作台), which shows each role what needs doing."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.evaluations.models import Status
from jixiao.evaluations.selectors import days_left, evaluations_visible_to
from jixiao.notifications.todo import todo_for

# What each role is expected to act on (工作台 待办).
WAITING_STATUSES = {
    "unit_editor": (Status.DRAFT, Status.RETURNED),
    "unit_head": (Status.DRAFT, Status.RETURNED),
    "department_reviewer": (Status.SUBMITTED,),
    "bureau_reviewer": (Status.DEPARTMENT_APPROVED, Status.APPROVED),
    "bureau_admin": (Status.DEPARTMENT_APPROVED, Status.APPROVED),
}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """工作台: what waits for this user from every app (待办 registry), counts by status, the
    evaluations to act on, and the latest ones."""
    user = request.user
    visible = evaluations_visible_to(user=user).defer("data")  # type: ignore[arg-type]
    counts = dict(
        visible.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    waiting_statuses = WAITING_STATUSES.get(user.role, ())  # type: ignore[union-attr]
    waiting = list(visible.filter(status__in=waiting_statuses).order_by("campaign__deadline")[:50])
    for evaluation in waiting:
        evaluation.days_left = (  # type: ignore[attr-defined]
            days_left(evaluation.deadline) if evaluation.is_editable else None
        )
    recent = list(visible.exclude(status__in=waiting_statuses).order_by("-updated_at")[:15])
    tiles = [
        (status, label, counts.get(status, 0))
        for status, label in Status.choices
        if counts.get(status, 0) or status in waiting_statuses
    ]
    return render(
        request,
        "web/home.html",
        {
            "todo": todo_for(user),
            "waiting": waiting,
            "recent": recent,
            "tiles": tiles,
            "total": sum(counts.values()),
        },
    )
