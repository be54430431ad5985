"""截止提醒: 7, 3 and 1 days before an open evaluation's deadline, its unit's people are told once.

The job runs daily (Celery beat, or ``manage.py notifications_tick`` from cron). For each open task
(填报中 or 已退回) due within 7 days it picks the nearest threshold the deadline has passed into —
6 days left is the 7-day reminder, 2 days left the 3-day one — so a job that starts late, or runs
twice, or misses a day still sends each reminder at most once (the key names the threshold and the
deadline; an extended deadline starts its own reminders).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation

from jixiao.activity.texts import log_text
from jixiao.evaluations.models import EDITABLE_STATUSES, Evaluation
from jixiao.notifications import kinds
from jixiao.notifications.events import unit_people
from jixiao.notifications.retention import horizon_days
from jixiao.notifications.services import (
    WRITE_BATCH,
    Message,
    clip,
    deliver_due,
    store_messages,
)
from scoring.messages import N_


@dataclass(frozen=True)
class ReminderRun:
    tasks: int  # open tasks due within the largest threshold
    messages: int  # notifications asked for (existing keys are skipped when stored)
    sent: int  # deliveries sent by this run


def threshold_for(days_left: float) -> int | None:
    """The reminder a deadline ``days_left`` away is due for: the smallest threshold it is within."""
    due = [d for d in kinds.REMINDER_DAYS if days_left <= d]
    return min(due) if due else None


def remind_deadlines(*, now: datetime | None = None, send: bool = True) -> ReminderRun:
    """Store the reminders due at ``now`` and (``send``) send every due delivery in this process.
    Without ``send`` the sender (beat's every-minute run, or the next tick) sends them."""
    now = now or timezone.now()
    horizon = now + timedelta(days=max(kinds.REMINDER_DAYS))
    with translation.override(settings.LANGUAGE_CODE):
        tasks = list(
            Evaluation.objects.filter(status__in=EDITABLE_STATUSES)
            .annotate(due=Coalesce(F("deadline_override"), F("campaign__deadline")))
            .filter(due__gt=now, due__lte=horizon)
            .order_by("pk")
            .values_list("pk", "unit_id", "due", "project_name", "campaign__title")
        )
        by_unit: dict[int, list[tuple[int, datetime, str, str]]] = {}
        for pk, unit_id, due, project_name, campaign_title in tasks:
            by_unit.setdefault(unit_id, []).append((pk, due, project_name, campaign_title))
        people = unit_people(by_unit)
        messages: list[Message] = []
        titles: dict[tuple[int, int], str] = {}
        count = 0
        for uid, unit_id in people:
            for pk, due, project_name, campaign_title in by_unit[unit_id]:
                days = threshold_for((due - now).total_seconds() / 86400)
                if days is None:
                    continue
                local_due = timezone.localtime(due)
                title = titles.get((pk, days))
                if title is None:  # once per task and threshold, not once per person
                    name = f"{campaign_title}{(' · ' + project_name) if project_name else ''}"
                    title = titles[(pk, days)] = clip(
                        log_text(
                            "{name}：距报送截止不足 {days} 天（{deadline}）",
                            name=name,
                            days=days,
                            deadline=f"{local_due:%Y-%m-%d %H:%M}",
                        ),
                        200,
                    )
                messages.append(
                    Message(
                        recipient_id=uid,
                        kind=kinds.DEADLINE_KINDS[days],
                        key=f"deadline:{days}:evaluation:{pk}:{local_due:%Y%m%d%H%M}",
                        title=title,
                        url=reverse("evaluations:detail", args=[pk]),
                        target_type="evaluations.evaluation",
                        target_id=str(pk),
                    )
                )
                if len(messages) >= WRITE_BATCH:
                    store_messages(messages, now=now, dispatch=False)
                    count += len(messages)
                    messages = []
        if messages:
            store_messages(messages, now=now, dispatch=False)
            count += len(messages)
    sent = deliver_due(now=now) if send else 0
    return ReminderRun(tasks=len(tasks), messages=count, sent=sent)


def remind_rectification(*, now: datetime | None = None) -> int:
    """整改 due and overdue: a task the unit still has to carry out (待整改, 重新整改) is announced
    once when its deadline is 3 days away or less (to the unit) and once when it has passed (to
    the unit and its department's reviewers). Keyed by task and deadline, so a moved deadline is
    announced again. Returns the notifications asked for."""
    from django.apps import apps

    if not apps.is_installed("jixiao.rectification"):
        return 0
    from jixiao.organisations.models import Role, User
    from jixiao.rectification.models import UNIT_PENDING, RectificationTask

    now = now or timezone.now()
    today = timezone.localdate(now)
    pending = RectificationTask.objects.filter(
        status__in=UNIT_PENDING, deadline__lte=today + timedelta(days=3)
    )
    if horizon := horizon_days():
        # Not asked again once its notification may have been deleted (retention.py): a task
        # overdue for longer than the retention is on the 工作台 and the overdue list, not re-sent.
        pending = pending.filter(deadline__gt=today - timedelta(days=horizon))
    tasks = list(
        pending.order_by("pk").values_list(
            "pk", "unit_id", "unit__parent_id", "deadline", "problem"
        )
    )
    people = unit_people({unit_id for _pk, unit_id, _d, _dl, _p in tasks})
    by_unit: dict[int, list[int]] = {}
    for uid, unit_id in people:
        by_unit.setdefault(unit_id, []).append(uid)
    departments = {dept for _pk, _u, dept, _dl, _p in tasks if dept}
    reviewers: dict[int, list[int]] = {}
    for uid, dept_id in User.objects.filter(
        role=Role.DEPARTMENT_REVIEWER, organisation_id__in=departments, is_active=True
    ).values_list("pk", "organisation_id"):
        if dept_id is not None:
            reviewers.setdefault(dept_id, []).append(uid)
    messages: list[Message] = []
    with translation.override(settings.LANGUAGE_CODE):
        for pk, unit_id, dept, deadline, problem in tasks:
            overdue = deadline < today
            short = problem.strip().splitlines()[0][:60] if problem.strip() else ""
            if overdue:
                kind = kinds.RECTIFICATION_OVERDUE
                recipients = by_unit.get(unit_id, []) + (reviewers.get(dept, []) if dept else [])
                template = N_("整改已逾期（期限 {deadline}）：{problem}")
            else:
                kind = kinds.RECTIFICATION_DUE
                recipients = by_unit.get(unit_id, [])
                template = N_("整改即将到期（期限 {deadline}）：{problem}")
            title = clip(log_text(template, deadline=f"{deadline:%Y-%m-%d}", problem=short), 200)
            for uid in recipients:
                messages.append(
                    Message(
                        recipient_id=uid,
                        kind=kind,
                        key=f"{kind}:{pk}:{deadline:%Y%m%d}",
                        title=title,
                        url=reverse("rectification:detail", args=[pk]),
                        target_type="rectification.rectificationtask",
                        target_id=str(pk),
                    )
                )
    store_messages(messages, now=now, dispatch=False)
    return len(messages)
