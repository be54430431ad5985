"""Reads of 整改, scoped by the user (unit: its own tasks; department: its units'; bureau: all)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import User
from jixiao.organisations.selectors import unit_fk_scope_q, unit_scope_q
from jixiao.rectification.models import (
    UNIT_PENDING,
    RectificationEvidence,
    RectificationTask,
    TaskStatus,
)

PAGE_SIZE = 50


def overdue_q(today: dt.date | None = None) -> Q:
    """Past its deadline with the unit still to act (open or reopened)."""
    return Q(status__in=UNIT_PENDING, deadline__lt=today or timezone.localdate())


def tasks_visible_to(*, user: User) -> QuerySet[RectificationTask]:
    """The tasks of the units the user may see, scoped on the task's own unit column
    (unit_fk_scope_q: no join with every organisation, which the bureau's list paid for)."""
    return RectificationTask.objects.filter(unit_fk_scope_q(user, "unit"))


@dataclass(frozen=True)
class TaskFilters:
    status: str = ""
    overdue: bool = False
    department: int | None = None
    year: int | None = None

    @classmethod
    def from_query(cls, query: Any) -> TaskFilters:
        """A malformed value is ignored, never an error page."""

        def number(name: str) -> int | None:
            raw = str(query.get(name, "")).strip()
            return int(raw) if raw.isdigit() and len(raw) < 12 else None

        status = str(query.get("status", "")).strip()
        return cls(
            status=status if status in TaskStatus.values else "",
            overdue=str(query.get("overdue", "")) == "1",
            department=number("department"),
            year=number("year"),
        )


@dataclass(frozen=True)
class TaskPage:
    rows: list[RectificationTask]
    next_after: str  # "" on the last page: the keyset of the next page, "<deadline>_<id>"


def task_page(*, user: User, filters: TaskFilters, after: str = "") -> TaskPage:
    """One page of tasks ordered by deadline, then id, read with a keyset (no OFFSET)."""
    qs = tasks_visible_to(user=user).select_related("unit", "department")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.overdue:
        qs = qs.filter(overdue_q())
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.year:
        qs = qs.filter(year=filters.year)
    deadline, _sep, pk = after.partition("_")
    try:
        last = (dt.date.fromisoformat(deadline), int(pk))
    except ValueError:
        last = None
    if last is not None:
        qs = qs.filter(Q(deadline__gt=last[0]) | Q(deadline=last[0], pk__gt=last[1]))
    rows = list(qs.order_by("deadline", "pk")[: PAGE_SIZE + 1])
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return TaskPage(
        rows=rows,
        next_after=f"{rows[-1].deadline.isoformat()}_{rows[-1].pk}" if more else "",
    )


@dataclass(frozen=True)
class DepartmentCount:
    department_id: int | None
    department_name: str
    total: int
    pending: int
    reported: int
    confirmed: int
    overdue: int


def counts_by_department(*, user: User) -> list[DepartmentCount]:
    """Per supervising department: tasks, still to act, awaiting confirmation, confirmed and
    overdue — one aggregate query over the stored columns."""
    today = timezone.localdate()
    rows = (
        tasks_visible_to(user=user)
        .values("department_id", "department__name")
        .annotate(
            total=Count("pk"),
            pending=Count("pk", filter=Q(status__in=UNIT_PENDING)),
            reported=Count("pk", filter=Q(status=TaskStatus.REPORTED)),
            confirmed=Count("pk", filter=Q(status=TaskStatus.CONFIRMED)),
            overdue=Count("pk", filter=overdue_q(today)),
        )
        .order_by("-overdue", "department__name")
    )
    return [
        DepartmentCount(
            r["department_id"],
            r["department__name"] or "",
            r["total"],
            r["pending"],
            r["reported"],
            r["confirmed"],
            r["overdue"],
        )
        for r in rows
    ]


def get_task(*, user: User, task_id: int) -> RectificationTask:
    task = (
        tasks_visible_to(user=user)
        .filter(pk=task_id)
        .select_related("unit", "department", "evaluation__campaign", "raised_by")
        .first()
    )
    if task is None:
        raise Http404
    return task


def get_evidence(*, user: User, evidence_id: int) -> RectificationEvidence:
    item = (
        RectificationEvidence.objects.filter(unit_scope_q(user, "task__unit"), pk=evidence_id)
        .select_related("task__unit")
        .first()
    )
    if item is None:
        raise Http404
    return item


def previous_year_tasks(*, user: User, evaluation: Evaluation) -> list[RectificationTask]:
    """What a unit's self-evaluation for year Y shows in 存在问题/改进措施 and to its reviewers:
    the unit's tasks of year Y−1, and any older task not yet confirmed. The caller has checked
    that the user may see the evaluation; the scope is applied again."""
    year = evaluation.campaign.year
    return list(
        tasks_visible_to(user=user)
        .filter(unit_id=evaluation.unit_id)
        .filter(
            Q(year=year - 1) | Q(year__lt=year - 1, status__in=[*UNIT_PENDING, TaskStatus.REPORTED])
        )
        .order_by("-year", "deadline", "pk")
    )


def tasks_from_source(*, user: User, kind: str, source_id: str) -> list[RectificationTask]:
    """Tasks already raised from one source (the source page shows them, so none is raised twice
    by mistake)."""
    return list(
        tasks_visible_to(user=user).filter(source_kind=kind, source_id=source_id).order_by("pk")
    )
