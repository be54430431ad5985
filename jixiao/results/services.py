"""Writes of 结果应用: the advice table, an override with its reason, the refresh of the stored
rows (a job). Each logged in the 操作日志."""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.activity.services import changed_fields, record_event
from jixiao.activity.texts import log_text
from jixiao.campaigns.models import EvaluationKind
from jixiao.evaluations.models import Evaluation, Status
from jixiao.jobs.models import Job
from jixiao.jobs.progress import retry_locked
from jixiao.jobs.services import create_job
from jixiao.organisations.models import Role, User
from jixiao.results.models import AdviceOverride, AdviceRule
from scoring.rounding import format_decimal

logger = logging.getLogger(__name__)

REFRESH_KIND = "results.refresh"
GRADES = ("优", "良", "中", "差")
SELF_EVALUATION_KINDS = (EvaluationKind.DEPARTMENT, EvaluationKind.PROJECT)
# Evaluations whose result counts: the bureau has approved them.
RESULT_STATUSES = (Status.APPROVED, Status.PUBLISHED)


class ResultsRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("；".join(problems))


def advice_text(rule: AdviceRule | None) -> str:
    """How a rule reads in the table: 压减 10% when it names a percentage."""
    if rule is None:
        return ""
    if rule.cut_percent is not None:
        return _("{advice}（压减 {n}%）").format(
            advice=rule.advice, n=format_decimal(rule.cut_percent)
        )
    return rule.advice


def set_rules(*, user: User, rules: dict[str, tuple[str, Decimal | None]]) -> None:
    """The bureau admin sets the advice per grade (all four at once)."""
    if user.role != Role.BUREAU_ADMIN:
        raise Http404
    problems = []
    for grade in GRADES:
        advice, cut = rules.get(grade, ("", None))
        if not advice.strip():
            problems.append(_("请填写“{grade}”的建议").format(grade=grade))
        if cut is not None and not (Decimal(0) <= cut <= Decimal(100)):
            problems.append(_("“{grade}”的压减比例须在 0 到 100 之间").format(grade=grade))
    if problems:
        raise ResultsRefused(problems)
    with transaction.atomic():
        before = {r.grade: [r.advice, str(r.cut_percent)] for r in AdviceRule.objects.all()}
        for grade in GRADES:
            advice, cut = rules[grade]
            AdviceRule.objects.update_or_create(
                grade=grade,
                defaults={"advice": advice.strip(), "cut_percent": cut, "updated_by": user},
            )
        after = {g: [rules[g][0].strip(), str(rules[g][1])] for g in GRADES}
        record_event(
            actor=user,
            action="results.rules_update",
            target=None,
            target_type="results.advicerule",
            target_label=_("结果应用规则"),
            summary=log_text("修改结果应用规则"),
            details={"changes": changed_fields(before, after)},
        )


def override_advice(
    *, user: User, evaluation_id: int, advice: str, reason: str
) -> AdviceOverride | None:
    """The bureau's own advice for one evaluation, with a reason; an empty advice removes it."""
    if not user.is_bureau_user:
        raise Http404
    evaluation = (
        Evaluation.objects.filter(pk=evaluation_id, status__in=RESULT_STATUSES)
        .select_related("unit")
        .first()
    )
    if evaluation is None:
        raise Http404
    if advice.strip() and not reason.strip():
        raise ResultsRefused([_("调整建议须填写理由")])
    with transaction.atomic():
        current = AdviceOverride.objects.filter(evaluation=evaluation).first()
        before = {"advice": current.advice, "reason": current.reason} if current else {}
        if not advice.strip():
            if current is not None:
                current.delete()
            override = None
        else:
            override, _created = AdviceOverride.objects.update_or_create(
                evaluation=evaluation,
                defaults={"advice": advice.strip(), "reason": reason.strip(), "updated_by": user},
            )
        record_event(
            actor=user,
            action="results.override",
            target=evaluation,
            summary=log_text("调整预算安排建议：{evaluation}", evaluation=evaluation),
            details={
                "changes": changed_fields(
                    before, {"advice": advice.strip(), "reason": reason.strip()} if override else {}
                )
            },
        )
    return override


def request_refresh(*, user: User, year: int) -> Job:
    """Rebuild the stored rows of one year in a job (it reads every approved evaluation's content)."""
    if not user.is_bureau_user:
        raise Http404
    return create_job(
        kind=REFRESH_KIND,
        title=_("刷新结果应用表：{year} 年度").format(year=year),
        requested_by=user,
        params={"year": year},
    )


def request_assessment(*, user: User, year: int) -> Job:
    """Compute the year's 部门绩效管理工作考核 in a job (it reads every review step, audit and
    recheck of the year); the page then shows what it stored."""
    from jixiao.results.assessment import ASSESSMENT_KIND

    if not user.is_bureau_user:
        raise Http404
    return create_job(
        kind=ASSESSMENT_KIND,
        title=_("计算部门绩效管理工作考核：{year} 年度").format(year=year),
        requested_by=user,
        params={"year": year},
    )


def _task_counts(unit_ids: Any = None) -> dict[int, tuple[int, int]]:
    """unit id → (open 整改 tasks, overdue ones), in one aggregate."""
    from jixiao.rectification.models import UNIT_PENDING, RectificationTask
    from jixiao.rectification.selectors import overdue_q

    tasks = RectificationTask.objects.filter(status__in=UNIT_PENDING)
    if unit_ids is not None:
        tasks = tasks.filter(unit_id__in=unit_ids)
    return {
        unit_id: (pending, overdue)
        for unit_id, pending, overdue in tasks.values("unit_id")
        .annotate(
            pending=Count("pk"),
            overdue=Count("pk", filter=overdue_q(timezone.localdate())),
        )
        .values_list("unit_id", "pending", "overdue")
    }


def _warning_counts(year: int, unit_ids: Any = None) -> dict[int, tuple[int, int]]:
    """unit id → (monitoring warnings of the year, red ones), in one aggregate."""
    from jixiao.monitoring.models import MonitoringWarning, WarningLevel

    warnings = MonitoringWarning.objects.filter(campaign__year=year)
    if unit_ids is not None:
        warnings = warnings.filter(unit_id__in=unit_ids)
    return {
        unit_id: (n, red)
        for unit_id, n, red in warnings.values("unit_id")
        .annotate(n=Count("pk"), red=Count("pk", filter=Q(level=WarningLevel.RED)))
        .values_list("unit_id", "n", "red")
    }


def _store_entry(
    evaluation: Evaluation,
    year: int,
    tasks: dict[int, tuple[int, int]],
    warnings: dict[int, tuple[int, int]],
    now: Any,
) -> Any:
    from jixiao.evaluations.scoring_bridge import score_data
    from jixiao.results.models import ResultEntry

    scored = score_data(evaluation.data)
    rate = scored.result.ratios.execution_rate if scored.result is not None else None
    met, targets = scored.result.targets_met if scored.result is not None else (None, None)
    unit = evaluation.unit
    pending, overdue = tasks.get(unit.pk, (0, 0))
    entry, _created = ResultEntry.objects.update_or_create(
        evaluation=evaluation,
        defaults={
            "year": year,
            "unit": unit,
            "department": unit.parent,
            "unit_name": unit.name,
            "department_name": unit.parent.name if unit.parent else "",
            "project_name": evaluation.project_name,
            "total": evaluation.total,
            "grade": evaluation.grade,
            "execution_rate": rate,
            "targets_met": met,
            "targets_total": targets,
            "warnings": warnings.get(unit.pk, (0, 0))[0],
            "red_warnings": warnings.get(unit.pk, (0, 0))[1],
            "open_tasks": pending,
            "overdue_tasks": overdue,
            "refreshed_at": now,
        },
    )
    return entry


def refresh_year(year: int, progress: Any = None) -> int:
    """Store one ResultEntry per approved evaluation of ``year`` (and drop those no longer
    approved); returns how many. The execution rate is the scoring core's (score_data)."""
    from jixiao.results.models import ResultEntry

    now = timezone.now()
    evaluations = (
        Evaluation.objects.filter(
            campaign__year=year,
            campaign__kind__in=SELF_EVALUATION_KINDS,  # not target declarations or monitoring
            status__in=RESULT_STATUSES,
        )
        .select_related("unit", "unit__parent")
        .order_by("pk")
    )
    tasks = _task_counts()
    warnings = _warning_counts(year)
    if progress is not None:
        progress.set_total(evaluations.count())
    kept = 0
    for evaluation in evaluations.iterator(chunk_size=200):
        _store_entry(evaluation, year, tasks, warnings, now)
        kept += 1
        if progress is not None and kept % 200 == 0:
            progress.items_done(200)  # one write per batch, not per row (70,000 rows a year)
    if progress is not None and kept % 200:
        progress.items_done(kept % 200)
    # Every row stored above carries ``now`` (a review step meanwhile stores a later time): what
    # is older is no longer approved. Not "exclude(pk__in=every kept id)": 70,000 parameters,
    # past SQLite's limit.
    ResultEntry.objects.filter(year=year, refreshed_at__lt=now).delete()
    return kept


def refresh_evaluation(evaluation_id: int) -> None:
    """Keep one evaluation's stored row current after a review step (approved, published,
    withdrawn, returned): stored when it is approved, dropped when it no longer is. Four small
    queries, so the table follows each approval without anyone pressing 刷新."""
    from jixiao.results.models import ResultEntry

    evaluation = (
        Evaluation.objects.filter(pk=evaluation_id, campaign__kind__in=SELF_EVALUATION_KINDS)
        .select_related("unit", "unit__parent", "campaign")
        .first()
    )
    if evaluation is None:
        return
    if evaluation.status not in RESULT_STATUSES:
        ResultEntry.objects.filter(evaluation=evaluation).delete()
        return
    year = evaluation.campaign.year
    unit_ids = [evaluation.unit_id]
    _store_entry(
        evaluation, year, _task_counts(unit_ids), _warning_counts(year, unit_ids), timezone.now()
    )


def after_review_step(evaluation_id: int) -> None:
    """The after-commit hook of reviews.services.transition: the result table is derived data, so
    a failure here is logged (the year's 刷新 catches up) and never undoes the step."""
    try:
        retry_locked(lambda: refresh_evaluation(evaluation_id))
    except Exception:
        logger.exception("result row not refreshed for evaluation %s", evaluation_id)


def set_advice_publication(*, user: User, year: int, publish: bool) -> None:
    """The bureau admin publishes (or withdraws) the year's advice in the 结果公开 table."""
    from jixiao.results.models import PublishedAdvice

    if user.role != Role.BUREAU_ADMIN:
        raise Http404
    with transaction.atomic():
        if publish:
            PublishedAdvice.objects.get_or_create(year=year, defaults={"published_by": user})
        else:
            PublishedAdvice.objects.filter(year=year).delete()
        record_event(
            actor=user,
            action="results.publish_advice",
            target=None,
            target_type="results.publishedadvice",
            target_label=str(year),
            summary=(
                log_text("公开 {year} 年度预算安排建议", year=year)
                if publish
                else log_text("不再公开 {year} 年度预算安排建议", year=year)
            ),
            details={"year": year, "publish": publish},
        )
