"""Who is told what when the workflow moves: called after the commit of a review step
(jixiao.reviews.services.transition) and of a campaign's tasks (jixiao.campaigns.services).

Titles are stored in the source language with their catalogue template (log_text, like the 操作日志's
summaries), whoever acted, so each reader sees them in their own language.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from jixiao.activity.texts import log_text
from jixiao.evaluations.models import Evaluation
from jixiao.notifications import kinds
from jixiao.notifications.services import Message, clip, notify, object_ref, store_messages
from jixiao.organisations.models import BUREAU_ROLES, UNIT_ROLES, Role, User

logger = logging.getLogger(__name__)


def unit_people(unit_ids: Iterable[int]) -> list[tuple[int, int]]:
    """(user id, unit id) of every active 填报人 and 负责人 of the units."""
    return list(
        User.objects.filter(
            organisation_id__in=list(unit_ids), role__in=UNIT_ROLES, is_active=True
        ).values_list("pk", "organisation_id")
    )


def _reviewers_of(evaluation: Evaluation, *, bureau: bool) -> list[int]:
    if bureau:
        who = Q(role__in=BUREAU_ROLES, organisation_id=evaluation.campaign.bureau_id)
    else:
        who = Q(role=Role.DEPARTMENT_REVIEWER, organisation_id=evaluation.unit.parent_id)
    return list(User.objects.filter(who, is_active=True).values_list("pk", flat=True))


def _work_name(campaign_kind: str) -> Promise:
    """What the workflow carried, as a title names it (the same workflow carries all four): a
    catalogue word, translated for each reader."""
    from jixiao.campaigns.models import EvaluationKind

    names: dict[str, Promise] = {
        EvaluationKind.TARGETS.value: gettext_lazy("绩效目标申报"),
        EvaluationKind.MONITORING.value: gettext_lazy("绩效运行监控报告"),
    }
    return names.get(str(campaign_kind), gettext_lazy("绩效自评"))


def after_transition(transition_id: int) -> None:
    """Tell the next person in line (submitted → reviewers) or the unit (returned, approved,
    published, withdrawn, returned for correction). Never raises: the step is committed; a
    failure here is logged."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _after_transition(transition_id)
    except Exception:
        logger.exception("notifying transition %s failed", transition_id)


def _after_transition(transition_id: int) -> None:
    from jixiao.reviews import workflow
    from jixiao.reviews.models import Transition

    step = (
        Transition.objects.select_related("evaluation__campaign", "evaluation__unit", "actor")
        .filter(pk=transition_id)
        .first()
    )
    if step is None:
        return
    evaluation = step.evaluation
    unit = evaluation.unit
    year = evaluation.campaign.year
    name = f"{unit.name}{(' · ' + evaluation.project_name) if evaluation.project_name else ''}"
    url = reverse("evaluations:detail", args=[evaluation.pk])
    comment = step.comment
    what = _work_name(evaluation.campaign.kind)
    if step.action == workflow.SUBMIT:
        kind = kinds.EVALUATION_SUBMITTED
        recipients = _reviewers_of(evaluation, bureau=False)
        title = log_text("{unit}报送了{year}年度{what}，待审核", unit=name, year=year, what=what)
    elif step.action == workflow.DEPARTMENT_APPROVE:
        kind = kinds.EVALUATION_SUBMITTED
        recipients = _reviewers_of(evaluation, bureau=True)
        title = log_text(
            "{unit}的{year}年度{what}已经主管部门审核，待财政复核", unit=name, year=year, what=what
        )
    elif step.action in (workflow.DEPARTMENT_RETURN, workflow.BUREAU_RETURN):
        kind = kinds.EVALUATION_RETURNED
        recipients = [uid for uid, _unit in unit_people([unit.pk])]
        title = log_text("{year}年度{what}被退回修改：{unit}", year=year, unit=name, what=what)
    elif step.action == workflow.BUREAU_APPROVE:
        kind = kinds.EVALUATION_APPROVED
        recipients = [uid for uid, _unit in unit_people([unit.pk])]
        title = log_text("{year}年度{what}已由财政审定：{unit}", year=year, unit=name, what=what)
    elif step.action == workflow.PUBLISH:
        kind = kinds.EVALUATION_PUBLISHED
        recipients = [uid for uid, _unit in unit_people([unit.pk])]
        title = log_text("{year}年度{what}已公开：{unit}", year=year, unit=name, what=what)
    elif step.action == workflow.WITHDRAW:
        # News of the publication, as 公开 is: the unit hears why its report left the portal.
        kind = kinds.EVALUATION_PUBLISHED
        recipients = [uid for uid, _unit in unit_people([unit.pk])]
        title = log_text("{year}年度{what}已撤回公开：{unit}", year=year, unit=name, what=what)
    elif step.action == workflow.CORRECTION_RETURN:
        kind = kinds.EVALUATION_RETURNED
        recipients = [uid for uid, _unit in unit_people([unit.pk])]
        title = log_text(
            "{year}年度{what}撤回公开后退回更正：{unit}", year=year, unit=name, what=what
        )
    else:
        return
    recipients = [uid for uid in recipients if uid != step.actor_id]
    if not comment:
        body = ""
    elif step.action == workflow.WITHDRAW:
        body = log_text("撤回原因：{comment}", comment=comment)
    else:
        body = log_text("意见：{comment}", comment=comment)
    notify(
        kind=kind,
        recipients=recipients,
        obj=evaluation,
        title=title,
        body=body,
        url=url,
        key=f"transition:{step.pk}",
    )


def after_tasks_created(evaluation_ids: list[int]) -> None:
    """自评工作下达: each unit's people hear of their new task (once per task, also when units
    are added later)."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _after_tasks_created(evaluation_ids)
    except Exception:
        logger.exception("notifying new tasks %s failed", evaluation_ids[:5])


def _after_tasks_created(evaluation_ids: list[int]) -> None:
    tasks = list(
        Evaluation.objects.filter(pk__in=evaluation_ids)
        .select_related("campaign")
        .only("pk", "unit_id", "project_name", "deadline_override", "campaign")
    )
    by_unit: dict[int, list[Evaluation]] = {}
    for task in tasks:
        by_unit.setdefault(task.unit_id, []).append(task)
    # One title and body per task (the same for each of its unit's people).
    texts = {}
    for task in tasks:
        campaign = task.campaign
        deadline = timezone.localtime(task.deadline).strftime("%Y-%m-%d %H:%M")
        texts[task.pk] = (
            clip(
                log_text(
                    "新的自评工作：{title}，{deadline}前报送",
                    title=campaign.title,
                    deadline=deadline,
                ),
                200,
            ),
            log_text(
                "{notice}（{number}）",
                notice=campaign.notice_title,
                number=campaign.notice_number,
            ),
        )
    messages = []
    for uid, unit_id in unit_people(by_unit):
        for task in by_unit[unit_id]:
            target_type, target_id = object_ref(task)
            title, body = texts[task.pk]
            messages.append(
                Message(
                    recipient_id=uid,
                    kind=kinds.CAMPAIGN_OPENED,
                    key=f"campaign_opened:evaluation:{task.pk}",
                    title=title,
                    body=body,
                    url=reverse("evaluations:detail", args=[task.pk]),
                    target_type=target_type,
                    target_id=target_id,
                )
            )
    store_messages(messages)


def after_rectification_step(task_id: int, event: str, actor_id: int | None) -> None:
    """整改: assigned / confirmed / reopened go to the unit's people; reported goes to whoever
    raised the task and the department's reviewers (who confirm). Called after the step's commit
    (jixiao.rectification.hooks); never raises."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _after_rectification_step(task_id, event, actor_id)
    except Exception:
        logger.exception("notifying rectification %s %s failed", event, task_id)


def _after_rectification_step(task_id: int, event: str, actor_id: int | None) -> None:
    from jixiao.rectification.models import RectificationTask

    task = RectificationTask.objects.select_related("unit").filter(pk=task_id).first()
    if task is None:
        return
    problem = task.problem.strip().splitlines()[0][:60] if task.problem.strip() else ""
    deadline = f"{task.deadline:%Y-%m-%d}"
    unit_ids = [uid for uid, _unit in unit_people([task.unit_id])]
    if event == "assigned":
        kind, recipients = kinds.RECTIFICATION_ASSIGNED, unit_ids
        title = log_text(
            "整改任务：{problem}（{deadline}前完成）", problem=problem, deadline=deadline
        )
    elif event == "confirmed":
        kind, recipients = kinds.RECTIFICATION_CONFIRMED, unit_ids
        title = log_text("整改已确认：{problem}", problem=problem)
    elif event == "reopened":
        kind, recipients = kinds.RECTIFICATION_REOPENED, unit_ids
        title = log_text("整改被退回，请重新整改：{problem}", problem=problem)
    elif event == "reported":
        kind = kinds.RECTIFICATION_REPORTED
        reviewers = User.objects.filter(
            role=Role.DEPARTMENT_REVIEWER,
            organisation_id__in=[task.unit.parent_id] if task.unit.parent_id else [],
            is_active=True,
        ).values_list("pk", flat=True)
        recipients = [*reviewers, task.raised_by_id]
        title = log_text(
            "{unit}报送了整改情况，待确认：{problem}", unit=task.unit.name, problem=problem
        )
    else:
        return
    steps = task.steps.order_by("-pk").values_list("pk", flat=True)[:1]
    step_id = steps[0] if steps else "0"
    notify(
        kind=kind,
        recipients=[uid for uid in recipients if uid != actor_id],
        obj=task,
        title=title,
        body=task.decision_comment if event in ("confirmed", "reopened") else "",
        url=reverse("rectification:detail", args=[task.pk]),
        key=f"rectification:{task.pk}:{event}:{step_id}",
    )


def after_warnings_raised(warning_ids: list[int], actor_id: int | None) -> None:
    """监控预警: the unit's 填报人 and 负责人 hear of each warning newly raised on their report
    that waits for an answer (no 偏差原因, or red without 纠偏措施) while they can still edit it
    (the 待办's rule). Called after the commit of the save (or of a round's new thresholds) that
    raised them (jixiao.monitoring.services); once per warning (its key), so a re-save that keeps
    the warning notifies nobody, and a warning raised again after it went is a new row and a new
    notice. The person who saved is not told. Never raises."""
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _after_warnings_raised(warning_ids, actor_id)
    except Exception:
        logger.exception("notifying monitoring warnings %s failed", warning_ids[:5])


def _after_warnings_raised(warning_ids: list[int], actor_id: int | None) -> None:
    from jixiao.evaluations.models import EDITABLE_STATUSES
    from jixiao.monitoring.models import MonitoringWarning, WarningLevel, WarningReason

    unanswered = Q(has_cause=False) | Q(level=WarningLevel.RED, has_measures=False)
    warnings = list(
        MonitoringWarning.objects.filter(
            unanswered, pk__in=warning_ids, evaluation__status__in=EDITABLE_STATUSES
        ).order_by("pk")
    )
    people: dict[int, list[int]] = {}
    for uid, unit_id in unit_people({w.unit_id for w in warnings}):
        if uid != actor_id:
            people.setdefault(unit_id, []).append(uid)
    messages = []
    for warning in warnings:
        report = warning.project_name or warning.unit_name
        title = clip(
            log_text(
                "{level}：{report}（{reason}），请填写偏差原因和纠偏措施",
                level=WarningLevel(warning.level).label,
                report=report,
                reason=WarningReason(warning.reason).label,
            ),
            200,
        )
        target_type, target_id = object_ref(warning)
        for uid in people.get(warning.unit_id, []):
            messages.append(
                Message(
                    recipient_id=uid,
                    kind=kinds.MONITORING_WARNING,
                    key=f"monitoring_warning:{warning.pk}",
                    title=title,
                    body=warning.text,
                    url=reverse("monitoring:warning", args=[warning.pk]),
                    target_type=target_type,
                    target_id=target_id,
                )
            )
    store_messages(messages)
