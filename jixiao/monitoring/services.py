"""Writes of 绩效运行监控: open a round with its tasks, save a report (and its warnings), import one.

A report is an ``Evaluation`` in a campaign of kind ``monitoring``; its state changes (submit,
approve, return) go through jixiao.reviews.services.transition like any other. Saving here takes
the same row lock and optimistic version check as a self-evaluation save, validates the data as a
``scoring.monitoring.MonitoringReport`` and rewrites the report's warnings in the same transaction.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.activity.services import changed_fields, record_event
from jixiao.activity.texts import log_text
from jixiao.campaigns.models import Campaign, EvaluationKind
from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.services import EvaluationConflict, _locked_for_edit
from jixiao.evaluations.summary import apply_summary
from jixiao.monitoring.models import MonitoringRound, MonitoringWarning
from jixiao.organisations.models import Organisation, OrganisationKind, User
from jixiao.projects.models import BudgetLine, Project
from scoring.loading import InputError, validate_data

if TYPE_CHECKING:
    from jixiao.jobs.models import Job
from scoring.monitoring import (
    Level,
    MonitoringReport,
    MonitoringResult,
    Reason,
    Thresholds,
    evaluate,
    warning_text,
)
from scoring.monitoring import submission_problems as report_submission_problems

KIND = "monitoring"


class MonitoringRefused(Exception):
    """The data or the request is refused; ``problems`` lists why, in Chinese; nothing changed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("；".join(problems))


def is_monitoring(evaluation: Evaluation) -> bool:
    return (evaluation.data or {}).get("kind") == KIND


# --- rounds and tasks ----------------------------------------------------------------------------


def default_as_of(year: int) -> dt.date:
    """The usual mid-year round: data as of 31 July (1-7月)."""
    return dt.date(year, 7, 31)


def round_of(campaign: Campaign) -> MonitoringRound:
    """The round's settings; an unsaved default (31 July, default thresholds) if none was stored."""
    found = MonitoringRound.objects.filter(campaign=campaign).first()
    return found or MonitoringRound(campaign=campaign, as_of=default_as_of(campaign.year))


def store_round(*, campaign: Campaign, as_of: dt.date, thresholds: Thresholds) -> None:
    """The round's settings (data as of, warning thresholds), refused with the reasons when the
    thresholds are out of order. Stored before any report is made: the reports, made now or by
    the campaign's background job, are prefilled and warned by them."""
    problems = thresholds.problems()
    if problems:
        raise MonitoringRefused(problems)
    MonitoringRound.objects.update_or_create(
        campaign=campaign,
        defaults={
            "as_of": as_of,
            "execution_yellow": thresholds.execution_yellow,
            "execution_red": thresholds.execution_red,
            "target_yellow": thresholds.target_yellow,
            "target_red": thresholds.target_red,
        },
    )


def open_round(
    *,
    user: User,
    campaign: Campaign,
    as_of: dt.date,
    thresholds: Thresholds,
    units: Iterable[Organisation],
) -> list[Evaluation]:
    """定期监控下发 in one go (demo and test data): the round's settings, then every unit's 部门整体
    report and one report per active project of the year (项目库). The campaign form goes through
    campaigns.services.create_campaign, which sends many units to a background job."""
    store_round(campaign=campaign, as_of=as_of, thresholds=thresholds)
    return create_tasks(user=user, campaign=campaign, units=units)


def task_name(project: Project | None) -> str:
    """The task's ``project_name``: one task per project even when two share a name."""
    return f"{project.name}（{project.code}）" if project is not None else ""


def create_tasks(
    *, user: User, campaign: Campaign, units: Iterable[Organisation]
) -> list[Evaluation]:
    """A prefilled report per unit (部门整体) and per active project of the campaign's year,
    skipping what already has one (so 追加单位 twice creates nothing twice)."""
    if not user.is_bureau_user:
        raise PermissionError(_("只有财政局可以下达监控任务"))
    chosen = [u for u in units if u.kind == OrganisationKind.UNIT]
    projects: dict[int, list[Project]] = {}
    for project in Project.objects.filter(
        unit__in=chosen, year=campaign.year, is_active=True
    ).order_by("code"):
        projects.setdefault(project.unit_id, []).append(project)
    # Only these units' reports: a job's batch would otherwise read the whole round's each time.
    existing = set(
        Evaluation.objects.filter(campaign=campaign, unit__in=chosen).values_list(
            "unit_id", "project_name"
        )
    )
    known = PrefillSources.of_units(campaign=campaign, unit_ids=[u.pk for u in chosen])
    created = []
    for unit in chosen:
        for task_project in [None, *projects.get(unit.pk, [])]:
            name = task_name(task_project)
            if (unit.pk, name) in existing:
                continue
            evaluation = Evaluation.objects.create(
                campaign=campaign,
                unit=unit,
                project=task_project,
                project_name=name,
                status=Status.DRAFT,
                ruleset_ref="",
                data=prefill(campaign=campaign, unit=unit, project=task_project, known=known),
            )
            created.append(evaluation)
    return created


@dataclass(frozen=True)
class PrefillSources:
    """What the reports of some units are prefilled from, read once for all of them: their budget
    lines and their targets in force, by (unit, project or None). One report at a time was three
    queries a report, most of a 250,000-report round's time in its background job."""

    lines: dict[tuple[int, int | None], list[BudgetLine]]
    in_force: dict[tuple[int, int | None], Any]

    @classmethod
    def of_units(cls, *, campaign: Campaign, unit_ids: list[int]) -> PrefillSources:
        from jixiao.targets.selectors import targets_in_force_of_units

        lines: dict[tuple[int, int | None], list[BudgetLine]] = {}
        for line in BudgetLine.objects.filter(unit_id__in=unit_ids, year=campaign.year).order_by(
            "source", "pk"
        ):
            lines.setdefault((line.unit_id, line.project_id), []).append(line)
        in_force = targets_in_force_of_units(unit_ids=unit_ids, year=campaign.year)
        return cls(lines=lines, in_force=in_force)


def prefill(
    *,
    campaign: Campaign,
    unit: Organisation,
    project: Project | None,
    known: PrefillSources | None = None,
) -> dict[str, Any]:
    """A new report: the budget by fund source from the 项目库 (adjusted budget and executed so
    far), and the targets in force (approved declaration and adjustments) with the figures to fill.
    ``known``: the sources read for a batch of units that includes ``unit``."""
    if known is None:
        known = PrefillSources.of_units(campaign=campaign, unit_ids=[unit.pk])
    key = (unit.pk, project.pk if project is not None else None)
    lines = known.lines.get(key, [])
    budget: list[dict[str, Any]] = [
        {"source": line.source, "adjusted": str(line.adjusted), "executed": str(line.executed)}
        for line in lines
    ]
    if not budget and project is not None and project.adjusted_total:
        budget = [
            {
                "source": _("合计"),
                "adjusted": str(project.adjusted_total),
                "executed": str(project.executed_total),
            }
        ]
    if not budget:
        budget = [{"source": _("财政拨款"), "adjusted": None, "executed": None}]
    in_force = known.in_force.get(key)
    targets = []
    for target in (in_force.data.get("targets") or []) if in_force else []:
        targets.append(
            {
                "code": str(target.get("code") or ""),
                "level1": str(target.get("level1") or ""),
                "level2": str(target.get("level2") or ""),
                "name": str(target.get("name") or ""),
                "direction": target.get("direction") or ">=",
                "value": target.get("value"),
                "value_high": target.get("value_high"),
                "value_text": str(target.get("value_text") or ""),
                "unit": str(target.get("unit") or ""),
                "approved": True,
            }
        )
    return {
        "kind": KIND,
        "year": campaign.year,
        "unit_name": unit.name,
        "project_name": project.name if project else "",
        "project_code": project.code if project else "",
        "budget": budget,
        "targets": targets,
    }


# --- saving a report -----------------------------------------------------------------------------

# Fields of an approved target the unit cannot change in a report (they come from the approval).
APPROVED_FIELDS = (
    "code",
    "level1",
    "level2",
    "name",
    "direction",
    "value",
    "value_high",
    "value_text",
    "unit",
    "approved",
)
SERVER_OWNED = ("kind", "year", "unit_name", "project_name", "project_code")


def with_server_owned(stored: dict[str, Any], posted: dict[str, Any]) -> dict[str, Any]:
    """``posted`` with what is not the unit's to change taken from ``stored``: the report's header
    and every approved target (kept, in its place, whatever was posted for it besides figures)."""
    out = {k: v for k, v in copy.deepcopy(posted).items() if k not in SERVER_OWNED}
    for key in SERVER_OWNED:
        out[key] = stored.get(key, "" if key != "year" else 2000)
    out["kind"] = KIND
    posted_rows = [r for r in out.get("targets") or [] if isinstance(r, dict)]
    by_code = {str(r.get("code")): r for r in posted_rows if r.get("code")}
    approved = [r for r in stored.get("targets") or [] if r.get("approved")]
    approved_codes = {str(r.get("code")) for r in approved}
    rows = []
    for row in approved:
        mine = by_code.get(str(row.get("code")), {})
        figures = {k: v for k, v in mine.items() if k not in APPROVED_FIELDS}
        rows.append({**figures, **{k: row[k] for k in APPROVED_FIELDS if k in row}})
    used = set(approved_codes)
    for row in posted_rows:
        if row.get("approved") or str(row.get("code") or "") in approved_codes:
            continue
        row = dict(row)
        row["approved"] = False
        if not str(row.get("code") or "").strip():
            row["code"] = _next_code(used)
        used.add(str(row["code"]))
        rows.append(row)
    out["targets"] = rows
    return out


def _next_code(used: set[str]) -> str:
    n = 1
    while f"M{n}" in used:
        n += 1
    return f"M{n}"


FIELD_LABELS = {
    "source": "资金来源",
    "adjusted": "全年预算数",
    "executed": "执行数",
    "name": "指标名称",
    "value": "指标值",
    "value_high": "区间上限",
    "to_date": "截至监控时点完成值",
    "expected": "全年预计完成值",
    "likelihood": "完成目标可能性",
    "cause": "偏差原因",
    "measures": "纠偏措施",
    "direction": "指标方向",
    "budget_cause": "预算执行偏差原因",
    "budget_measures": "预算执行纠偏措施",
    "summary": "总体情况说明",
    "filled_on": "填报日期",
}


def describe(field: str) -> str:
    """``targets[2].expected`` → 绩效目标第 2 行 · 全年预计完成值 (the message a unit reads)."""
    match = re.fullmatch(r"(budget|targets)\[(\d+)\]\.(\w+)", field)
    if match:
        part = "预算执行情况" if match.group(1) == "budget" else "绩效目标"
        name = FIELD_LABELS.get(match.group(3), match.group(3))
        return f"{part}第 {match.group(2)} 行 · {name}"
    return FIELD_LABELS.get(field, field)


def validate(data: dict[str, Any]) -> MonitoringReport:
    """The report, or MonitoringRefused naming every faulty field in Chinese."""
    try:
        return validate_data(MonitoringReport, data, "监控报告")
    except InputError as exc:
        raise MonitoringRefused(
            [f"{describe(p.field)}：{p.message}" if p.field else p.message for p in exc.problems]
        ) from None


def result_of(evaluation: Evaluation, report: MonitoringReport | None = None) -> MonitoringResult:
    """Every figure and warning of a stored report, at its round's date and thresholds."""
    report = report or validate(evaluation.data)
    settings = round_of(evaluation.campaign)
    return evaluate(report, as_of=settings.as_of, thresholds=settings.thresholds)


def save_report(
    *,
    user: User,
    evaluation_id: int,
    expected_version: int,
    data: dict[str, Any],
    summary: str = "",
    action: str = "monitoring.save",
) -> Evaluation:
    """Save a whole report based on ``expected_version``: refused (EvaluationConflict) when someone
    saved since, so nobody's figures are overwritten; the warnings are rewritten with it."""
    with transaction.atomic():
        evaluation = _locked_for_edit(user=user, evaluation_id=evaluation_id)
        if not is_monitoring(evaluation):
            raise MonitoringRefused([_("这不是绩效运行监控报告")])
        if evaluation.version != expected_version:
            raise EvaluationConflict(evaluation)
        report = validate(with_server_owned(evaluation.data, data))
        stored = report.model_dump(mode="json")
        if stored == evaluation.data:
            return evaluation
        before = evaluation.data
        evaluation.data = stored
        evaluation.version += 1
        evaluation.updated_by = user
        evaluation.total = None
        evaluation.grade = ""
        apply_summary(evaluation, problems=0, result=None)  # not scored
        if evaluation.first_saved_at is None:
            evaluation.first_saved_at = timezone.now()
        evaluation.save()
        result = result_of(evaluation, report)
        raised = rewrite_warnings(evaluation, report, result)
        _notify_after_commit(raised, user)
        record_event(
            actor=user,
            action=action,
            target=evaluation,
            summary=summary
            or _("保存了监控报告：{evaluation}（第 {version} 版）").format(
                evaluation=evaluation, version=evaluation.version
            ),
            details={
                "version": evaluation.version,
                "changes": changed_fields(
                    {k: before.get(k) for k in ("budget", "targets", "budget_cause")},
                    {k: stored.get(k) for k in ("budget", "targets", "budget_cause")},
                ),
                "level": result.level.key,
                "warnings": len(result.warnings),
            },
        )
    return evaluation


def _dec(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(places))


def _notify_after_commit(warning_ids: list[int], user: User) -> None:
    """The unit hears of the warnings just raised once the transaction that raised them commits
    (jixiao.notifications.events.after_warnings_raised: once per warning)."""
    if not warning_ids:
        return
    from jixiao.notifications.events import after_warnings_raised

    actor_id = user.pk
    transaction.on_commit(lambda: after_warnings_raised(warning_ids, actor_id))


def rewrite_warnings(
    evaluation: Evaluation, report: MonitoringReport, result: MonitoringResult
) -> list[int]:
    """Make the warnings table say what ``result`` says for this report: rows still raised are
    updated in place (their ids stay), new ones are added, the rest deleted. Returns the ids of
    the new rows (the warnings raised by this save, which the unit is told of)."""
    unit = evaluation.unit
    rows = {r.code: r for r in report.targets}
    existing = {
        (w.reason, w.target_code): w
        for w in MonitoringWarning.objects.filter(evaluation=evaluation)
    }
    keep = []
    updated: list[int] = []
    for warning in result.warnings:
        f = warning.figures
        row = rows.get(warning.target_code)
        if warning.target_code:
            completion = f.get("completion")
            shortfall = Decimal(100) - completion if completion is not None else Decimal(0)
            cause, measures = (row.cause, row.measures) if row else ("", "")
        else:
            gap = f.get("gap")
            shortfall = gap if warning.reason == Reason.EXECUTION_BEHIND and gap else Decimal(0)
            if warning.reason == Reason.OVER_BUDGET and f.get("execution_progress") is not None:
                shortfall = f["execution_progress"] - Decimal(100)  # type: ignore[operator]
            cause, measures = report.budget_cause, report.budget_measures
        values = {
            "campaign_id": evaluation.campaign_id,
            "unit_id": unit.pk,
            "department_id": unit.parent_id,
            "project_id": evaluation.project_id,
            "unit_name": unit.name[:200],
            "department_name": (unit.parent.name if unit.parent else "")[:200],
            "project_name": report.project_name[:200],
            "target_name": warning.target_name[:200],
            "level": int(warning.level),
            "shortfall": _dec(shortfall) or Decimal(0),
            "time_progress": _dec(f.get("time_progress") or result.time_progress),
            "execution_progress": _dec(f.get("execution_progress")),
            "target_value": _dec(f.get("value"), "0.0001"),
            "expected_value": _dec(f.get("expected"), "0.0001"),
            "completion": _dec(f.get("completion")),
            "text": warning_text(warning)[:300],
            "has_cause": bool(cause.strip()),
            "has_measures": bool(measures.strip()),
        }
        key = (str(warning.reason), warning.target_code)
        found = existing.pop(key, None)
        if found is None:
            keep.append(
                MonitoringWarning(
                    evaluation=evaluation,
                    reason=str(warning.reason),
                    target_code=warning.target_code,
                    **values,
                )
            )
        else:
            for name, value in values.items():
                setattr(found, name, value)
            found.save()
            updated.append(found.pk)
    if existing:
        MonitoringWarning.objects.filter(pk__in=[w.pk for w in existing.values()]).delete()
    if not keep:
        return []
    MonitoringWarning.objects.bulk_create(keep)
    raised = [w.pk for w in keep if w.pk is not None]
    if len(raised) < len(keep):  # a backend that returns no ids from a bulk insert
        raised = list(
            MonitoringWarning.objects.filter(evaluation=evaluation)
            .exclude(pk__in=updated)
            .values_list("pk", flat=True)
        )
    return raised


def report_problems(evaluation: Evaluation) -> list[str]:
    """The 缺项清单 of a monitoring report: what the submission refuses (red → 纠偏措施)."""
    try:
        report = validate(evaluation.data)
    except MonitoringRefused as exc:
        return exc.problems
    return report_submission_problems(report, result_of(evaluation, report))


def level_of(evaluation: Evaluation) -> Level:
    try:
        return result_of(evaluation).level
    except MonitoringRefused:
        return Level.NONE


def campaign_is_monitoring(campaign: Campaign) -> bool:
    return campaign.kind == EvaluationKind.MONITORING


RECOMPUTE_KIND = "monitoring.recompute_round"
RECOMPUTE_BATCH = 500


def update_round(
    *, user: User, campaign: Campaign, as_of: dt.date, thresholds: Thresholds
) -> tuple[MonitoringRound, Job]:
    """Change a round's as-of date or thresholds, and start the job that computes every report's
    warnings again (a round covers every unit and project of the city: 250,000 reports at
    province scale, minutes of work, never a request's). A report saved meanwhile is already
    judged by the new settings (save_report reads them)."""
    from jixiao.jobs.services import create_job

    problems = thresholds.problems()
    if problems:
        raise MonitoringRefused(problems)
    with transaction.atomic():
        settings = round_of(campaign)
        before = {
            "as_of": settings.as_of.isoformat() if settings.as_of else "",
            **{k: str(v) for k, v in vars(settings.thresholds).items()},
        }
        settings.as_of = as_of
        settings.execution_yellow = thresholds.execution_yellow
        settings.execution_red = thresholds.execution_red
        settings.target_yellow = thresholds.target_yellow
        settings.target_red = thresholds.target_red
        settings.save()
        after = {"as_of": as_of.isoformat(), **{k: str(v) for k, v in vars(thresholds).items()}}
        record_event(
            actor=user,
            action="monitoring.round_update",
            target=campaign,
            summary=log_text("修改监控批次设置：{campaign}", campaign=campaign),
            details={"changes": changed_fields(before, after)},
        )
        job = create_job(
            kind=RECOMPUTE_KIND,
            title=_("按新设置重新计算监控预警：{campaign}").format(campaign=campaign.title),
            requested_by=user,
            params={"campaign_id": campaign.pk},
            subject=campaign,
        )
    return settings, job


def recompute_round(*, campaign_id: int, user: User, progress: Any = None) -> int:
    """Every report of the round judged again by its settings, RECOMPUTE_BATCH reports to a
    transaction (the units hear of new warnings as each batch commits); returns how many
    reports. A report whose content does not validate keeps its warnings, as on a save."""
    ids = list(
        Evaluation.objects.filter(campaign_id=campaign_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if progress is not None:
        progress.set_total(len(ids))
    for start in range(0, len(ids), RECOMPUTE_BATCH):
        batch = ids[start : start + RECOMPUTE_BATCH]
        with transaction.atomic():
            raised: list[int] = []
            for evaluation in Evaluation.objects.filter(pk__in=batch).select_related(
                "unit__parent", "campaign"
            ):
                try:
                    report = validate(evaluation.data)
                except MonitoringRefused:
                    continue
                raised += rewrite_warnings(evaluation, report, result_of(evaluation, report))
            _notify_after_commit(raised, user)
        if progress is not None:
            progress.items_done(len(batch))
    return len(ids)
