"""The 待办 of the apps built before or beside the registry: evaluations (to fill, to submit,
returned, overdue), reviews (to review, to publish, samples to recheck), monitoring (warnings to
answer) and rectification (整改 due, overdue, to confirm). One aggregate query each. An app that
registers a provider under the same name in its own ready() (run after this one) replaces these."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.apps import apps
from django.db.models import Count, F, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.selectors import status_counts
from jixiao.notifications.todo import TodoItem, register_todo
from jixiao.organisations.models import Role
from jixiao.organisations.selectors import unit_fk_scope_q, unit_scope_q


def _list_url(status: str) -> str:
    return f"{reverse('evaluations:list')}?status={status}"


def evaluation_todo(user: Any, now: datetime) -> list[TodoItem]:
    """填报: what the unit's people have to fill, submit, correct, or are late with."""
    if not user.is_unit_user:
        return []
    open_ = Q(status__in=(Status.DRAFT, Status.RETURNED))
    late = Q(due__lt=now)
    row = (
        Evaluation.objects.filter(unit_scope_q(user, "unit"))
        .annotate(due=Coalesce(F("deadline_override"), F("campaign__deadline")))
        .aggregate(
            draft=Count("pk", filter=Q(status=Status.DRAFT) & ~late),
            draft_due=Min("due", filter=Q(status=Status.DRAFT) & ~late),
            returned=Count("pk", filter=Q(status=Status.RETURNED) & ~late),
            returned_due=Min("due", filter=Q(status=Status.RETURNED) & ~late),
            overdue=Count("pk", filter=open_ & late),
            overdue_due=Min("due", filter=open_ & late),
        )
    )
    fill_label = _("待审定报送") if user.role == Role.UNIT_HEAD else _("待填报")
    return [
        TodoItem(
            "evaluations.fill", fill_label, row["draft"], _list_url(Status.DRAFT), row["draft_due"]
        ),
        TodoItem(
            "evaluations.returned",
            _("被退回待修改"),
            row["returned"],
            _list_url(Status.RETURNED),
            row["returned_due"],
        ),
        TodoItem(
            "evaluations.overdue",
            _("已逾期未报送"),
            row["overdue"],
            reverse("evaluations:list"),
            row["overdue_due"],
            overdue=True,
        ),
    ]


def review_todo(user: Any, now: datetime) -> list[TodoItem]:
    """审核: a department reviews what its units submitted; the bureau reviews what departments
    passed on and publishes what it approved; the bureau rechecks its sample."""
    if not (user.is_department_user or user.is_bureau_user):
        return []
    from jixiao.reviews.models import Recheck

    # The 工作台's own counts per (campaign, status), read once per request (issue 14: this was a
    # second pass over every evaluation, joined with every organisation).
    counts = status_counts(user=user)

    def total(status: str) -> int:
        return sum(n for (_campaign, s), n in counts.items() if s == status)

    queue = reverse("reviews:queue")
    if user.is_department_user:
        return [TodoItem("reviews.department", _("待审核"), total(Status.SUBMITTED), queue)]
    row = {"review": total(Status.DEPARTMENT_APPROVED), "publish": total(Status.APPROVED)}
    rechecks = Recheck.objects.filter(reviewed_at__isnull=True).aggregate(n=Count("pk"))["n"]
    return [
        TodoItem("reviews.bureau", _("待财政复核"), row["review"], queue),
        TodoItem("reviews.publish", _("待公开"), row["publish"], _list_url(Status.APPROVED)),
        TodoItem("reviews.recheck", _("抽查待复核"), rechecks, reverse("reviews:samples")),
    ]


def monitoring_todo(user: Any, now: datetime) -> list[TodoItem]:
    """监控预警待回复: warnings on the unit's monitoring reports still open for editing that lack
    the cause (偏差原因), or, when red, the measures (纠偏措施)."""
    if not user.is_unit_user:
        return []
    from jixiao.evaluations.models import EDITABLE_STATUSES
    from jixiao.monitoring.models import MonitoringWarning, WarningLevel

    unanswered = Q(has_cause=False) | Q(level=WarningLevel.RED, has_measures=False)
    row = (
        MonitoringWarning.objects.filter(unit_scope_q(user, "unit"))
        .filter(unanswered, evaluation__status__in=EDITABLE_STATUSES)
        .aggregate(n=Count("pk"))
    )
    return [
        TodoItem(
            "monitoring.warnings", _("监控预警待回复"), row["n"], reverse("monitoring:warnings")
        )
    ]


def rectification_todo(user: Any, now: datetime) -> list[TodoItem]:
    """整改: the unit's tasks to carry out (and those past their deadline); for reviewers, the
    reports to confirm and the tasks overdue in their scope."""
    from django.utils import timezone

    from jixiao.rectification.models import UNIT_PENDING, RectificationTask, TaskStatus

    today = timezone.localdate(now)
    pending = Q(status__in=UNIT_PENDING)
    late = Q(deadline__lt=today)
    row = RectificationTask.objects.filter(unit_fk_scope_q(user, "unit")).aggregate(
        due=Count("pk", filter=pending & ~late),
        due_on=Min("deadline", filter=pending & ~late),
        overdue=Count("pk", filter=pending & late),
        overdue_on=Min("deadline", filter=pending & late),
        reported=Count("pk", filter=Q(status=TaskStatus.REPORTED)),
    )
    listing = reverse("rectification:list")

    # A task's deadline is a date: the 工作台 prints it as one (TodoItem.has_time).
    overdue = TodoItem(
        "rectification.overdue",
        _("整改已逾期"),
        row["overdue"],
        f"{listing}?overdue=1",
        row["overdue_on"],
        overdue=True,
    )
    if user.is_unit_user:
        return [
            TodoItem("rectification.due", _("待整改"), row["due"], listing, row["due_on"]),
            overdue,
        ]
    if user.is_department_user or user.is_bureau_user:
        return [
            TodoItem(
                "rectification.confirm",
                _("整改待确认"),
                row["reported"],
                f"{listing}?status={TaskStatus.REPORTED}",
            ),
            overdue,
        ]
    return []


def register_builtin_providers() -> None:
    register_todo("evaluations", evaluation_todo)
    register_todo("reviews", review_todo)
    if apps.is_installed("jixiao.monitoring"):
        register_todo("monitoring", monitoring_todo)
    if apps.is_installed("jixiao.rectification"):
        register_todo("rectification", rectification_todo)
