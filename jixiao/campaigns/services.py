"""Writes of the campaigns app: create a campaign with its units' tasks, store an uploaded rule-set.

Only bureau users (财政复核人, 财政管理员) may write here; anyone else gets Http404 (the pages do not
exist for them). Every write runs in one transaction: a campaign never exists without its tasks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jixiao.activity.services import changed_fields, record_event
from jixiao.activity.texts import log_text
from jixiao.campaigns.models import UNSCORED_KINDS, Campaign, EvaluationKind, StoredRuleSet
from jixiao.campaigns.rulesets import available_rulesets
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.services import create_project_tasks, create_tasks
from jixiao.organisations.models import Organisation, OrganisationKind, User
from jixiao.projects.selectors import CampaignScope, projects_in_scope
from scoring.loading import InputError, InputProblem
from scoring.ruleset_sheet import import_sheet, ruleset_to_yaml


class CampaignRefused(Exception):
    """A bureau user asked for something the rules do not allow; nothing was written."""


def _notify_new_tasks(tasks: list[Evaluation]) -> None:
    """自评工作下达: the units' people are told after the commit (jixiao.notifications)."""
    from jixiao.notifications.events import after_tasks_created

    ids = [t.pk for t in tasks]
    if ids:
        transaction.on_commit(partial(after_tasks_created, ids))


def require_bureau_user(user: Any) -> User:
    if not (
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_bureau_user
        and user.organisation_id is not None
    ):
        raise Http404
    return user  # type: ignore[no-any-return]


CAMPAIGN_FIELDS = (
    "year",
    "title",
    "notice_title",
    "notice_number",
    "kind",
    "ruleset_ref",
    "deadline",
)


@transaction.atomic
def create_campaign(
    *,
    user: User,
    values: dict[str, Any],
    units: Iterable[Organisation],
    project_name: str = "",
    project_scope: CampaignScope | None = None,
) -> tuple[Campaign, list[Evaluation]]:
    """下达自评任务: the campaign and a prefilled task for every active unit in scope — or, for a
    project campaign with a ``project_scope``, one task per registered project in scope (项目库)
    among those units."""
    require_bureau_user(user)
    chosen = [u for u in units if u.kind == OrganisationKind.UNIT and u.is_active]
    if not chosen:
        raise CampaignRefused(_("没有选中任何启用中的预算单位"))
    monitoring = values.get("kind") == EvaluationKind.MONITORING
    if values.get("kind") in UNSCORED_KINDS:
        # 绩效目标申报: nothing is scored by a rule-set (the declaration checks apply instead).
        values = {**values, "ruleset_ref": ""}
    elif not monitoring and values.get("ruleset_ref") not in available_rulesets():
        raise CampaignRefused(_("找不到所选的评分规则集"))
    if project_scope is not None and values.get("kind") not in ("project", "targets"):
        raise CampaignRefused(_("只有项目支出绩效自评和绩效目标申报可以按项目库下达"))
    if project_scope is not None and not projects_in_scope(project_scope, units=chosen).exists():
        raise CampaignRefused(_("项目库中没有符合所选范围的项目"))
    assert user.organisation is not None
    campaign = Campaign.objects.create(
        bureau=user.organisation,
        created_by=user,
        project_scope=project_scope.as_json() if project_scope is not None else None,
        **{name: values[name] for name in CAMPAIGN_FIELDS},
    )
    # The settings the tasks are made with are stored here, in the request, whether the tasks
    # are made now or by the job: a refused setting refuses the campaign, and the job reads them.
    if monitoring:
        from jixiao.monitoring.services import MonitoringRefused, store_round
        from scoring.monitoring import Thresholds

        try:
            store_round(
                campaign=campaign,
                as_of=values["monitoring_as_of"],
                thresholds=Thresholds(**{k: values[k] for k in THRESHOLD_FIELDS}),
            )
        except MonitoringRefused as exc:
            raise CampaignRefused(str(exc)) from None
    elif campaign.kind in UNSCORED_KINDS and "cost_threshold" in values:
        from jixiao.targets.models import TargetCampaignSettings

        TargetCampaignSettings.objects.create(
            campaign=campaign, cost_threshold=values["cost_threshold"]
        )
    if _in_background(len(chosen)):
        record_event(
            actor=user,
            action="campaign.create",
            target=campaign,
            summary=_(
                "下达自评工作：{title}（{number}，{count} 个单位，任务由后台任务生成）"
            ).format(title=campaign.title, number=campaign.notice_number, count=len(chosen)),
        )
        queue_tasks(user=user, campaign=campaign, units=chosen, project_name=project_name)
        return campaign, []
    tasks = make_tasks(user=user, campaign=campaign, units=chosen, project_name=project_name)
    # Counted as the sentence says: a 监控 round or a 目标申报 has a task per unit and per
    # project, so neither the units nor the projects are the number of tasks.
    count = (
        sum(1 for t in tasks if t.project_id is not None)
        if project_scope is not None
        else len({t.unit_id for t in tasks})
    )
    record_event(
        actor=user,
        action="campaign.create",
        target=campaign,
        summary=(
            _("下达自评工作：{title}（{number}，{count} 个项目）")
            if project_scope is not None
            else _("下达自评工作：{title}（{number}，{count} 个单位）")
        ).format(title=campaign.title, number=campaign.notice_number, count=count),
    )
    _notify_new_tasks(tasks)
    return campaign, tasks


@dataclass(frozen=True)
class RuleSetUpload:
    """A stored rule-set and what the import assumed (warnings), or why nothing was stored."""

    stored: StoredRuleSet | None
    warnings: tuple[InputProblem, ...] = ()
    problems: tuple[InputProblem, ...] = ()


def store_ruleset_sheet(*, user: User, data: bytes, filename: str) -> RuleSetUpload:
    """Read a bureau's Excel scoring sheet, validate it and keep it as YAML under its id@version.

    An existing id@version is never replaced: scores keep the rule-set they were computed under,
    so a changed table must carry a new version.
    """
    require_bureau_user(user)
    try:
        imported = import_sheet(data, source=filename)
    except InputError as exc:
        return RuleSetUpload(stored=None, problems=exc.problems)
    ruleset = imported.ruleset
    ref = f"{ruleset.id}@{ruleset.version}"
    if ref in available_rulesets():
        problem = InputProblem(
            filename,
            None,
            "",
            _(
                "规则集 {ref} 已存在。已使用的规则集不能覆盖，请在“规则集”工作表中改用新的版本号"
            ).format(ref=ref),
        )
        return RuleSetUpload(stored=None, problems=(problem,), warnings=tuple(imported.warnings))
    with transaction.atomic():
        stored = StoredRuleSet.objects.create(
            ref=ref, name=ruleset.name, yaml=ruleset_to_yaml(ruleset), uploaded_by=user
        )
        record_event(
            actor=user,
            action="ruleset.upload",
            target=stored,
            summary=log_text("上传评分规则集：{ref} {name}", ref=ref, name=ruleset.name),
        )
        # 指标库: the new rule-set's leaves become 共性指标 once it is stored.
        from jixiao.indicators.services import sync_common_indicators

        transaction.on_commit(lambda: sync_common_indicators(), robust=True)
    return RuleSetUpload(stored=stored, warnings=tuple(imported.warnings))


# Above this many units a campaign's tasks are made by a background job (jobs.make_campaign_tasks),
# not in the request: prefilling a task takes ~10 ms, a province's 50,000 units (and a 监控 round's
# or a 目标申报's report per project, 250,000) minutes.
TASKS_IN_REQUEST = 300

THRESHOLD_FIELDS = ("execution_yellow", "execution_red", "target_yellow", "target_red")


def _in_background(units: int) -> bool:
    """Whether the tasks for ``units`` units go to a background job (any kind of campaign)."""
    return units > TASKS_IN_REQUEST


def tasks_noun(campaign: Campaign) -> Any:
    """What a campaign's tasks are called in its messages (lazy: a log entry translates it)."""
    if campaign.kind == EvaluationKind.MONITORING:
        return gettext_lazy("监控任务")
    if campaign.kind in UNSCORED_KINDS:
        return gettext_lazy("目标申报任务")
    return gettext_lazy("自评任务")


def queue_tasks(
    *, user: User, campaign: Campaign, units: list[Organisation], project_name: str = ""
) -> Any:
    """Queue the job that makes ``units``' tasks in ``campaign`` (jobs.make_campaign_tasks)."""
    from jixiao.campaigns.jobs import TASKS_KIND
    from jixiao.jobs.services import create_job

    return create_job(
        kind=TASKS_KIND,
        title=_("{title}：生成{tasks}").format(title=campaign.title, tasks=tasks_noun(campaign)),
        requested_by=user,
        params={
            "campaign_id": campaign.pk,
            "unit_ids": [u.pk for u in units],
            "project_name": project_name,
        },
        subject=campaign,
        total=len(units),
    )


def make_tasks(
    *, user: User, campaign: Campaign, units: list[Organisation], project_name: str = ""
) -> list[Evaluation]:
    """The tasks of ``units`` in ``campaign``, by its kind; units that already have theirs are
    skipped, so a second call (a retried job, a double submit) creates nothing twice."""
    chosen = units
    if campaign.kind == EvaluationKind.MONITORING:
        from jixiao.monitoring.services import create_tasks as create_monitoring_tasks

        tasks = create_monitoring_tasks(user=user, campaign=campaign, units=chosen)
    elif campaign.kind in UNSCORED_KINDS:
        from jixiao.targets.declarations import create_declaration_tasks

        scoped = (
            list(projects_in_scope(CampaignScope.from_json(campaign.project_scope), units=chosen))
            if campaign.project_scope
            else None
        )
        tasks = create_declaration_tasks(
            user=user, campaign=campaign, units=chosen, projects=scoped
        )
    elif campaign.project_scope:
        # A campaign drawn from the 项目库: the units' projects in its scope (also those
        # registered since it went out), each its own task.
        scope = CampaignScope.from_json(campaign.project_scope)
        tasks = create_project_tasks(
            user=user, campaign=campaign, projects=projects_in_scope(scope, units=chosen)
        )
    else:
        tasks = create_tasks(user=user, campaign=campaign, units=chosen, project_name=project_name)
    return tasks


@transaction.atomic
def add_units(
    *, user: User, campaign: Campaign, units: Iterable[Organisation], project_name: str = ""
) -> list[Evaluation]:
    """追加单位: tasks for units that were left out or created after the campaign went out.

    Units that already have a task in this campaign are skipped (create_tasks), so a double
    submit creates nothing twice.
    """
    require_bureau_user(user)
    if campaign.bureau_id != user.organisation_id:
        raise Http404
    chosen = [u for u in units if u.kind == OrganisationKind.UNIT and u.is_active]
    if not chosen:
        raise CampaignRefused(_("没有选中任何启用中的预算单位"))
    if _in_background(len(chosen)):
        record_event(
            actor=user,
            action="campaign.add_units",
            target=campaign,
            summary=log_text(
                "追加单位：{title}，{count} 个单位的任务由后台任务生成",
                title=campaign.title,
                count=len(chosen),
            ),
        )
        queue_tasks(user=user, campaign=campaign, units=chosen, project_name=project_name)
        return []
    tasks = make_tasks(user=user, campaign=campaign, units=chosen, project_name=project_name)
    record_event(
        actor=user,
        action="campaign.add_units",
        target=campaign,
        summary=log_text(
            "追加单位：{title}，新增 {count} 个任务", title=campaign.title, count=len(tasks)
        ),
        details={"units": list(dict.fromkeys(t.unit.name for t in tasks))},
    )
    _notify_new_tasks(tasks)
    return tasks


@transaction.atomic
def update_campaign(*, user: User, campaign_id: int, title: str, deadline: Any) -> Campaign:
    """Rename a campaign or move its common deadline (统一延期). Units given their own deadline
    keep it; the notice, year, kind and rule-set are fixed once tasks were prefilled from them."""
    require_bureau_user(user)
    campaign = (
        Campaign.objects.select_for_update()
        .filter(pk=campaign_id, bureau_id=user.organisation_id)
        .first()
    )
    if campaign is None:
        raise Http404
    before = {"title": campaign.title, "deadline": campaign.deadline}
    campaign.title = title
    campaign.deadline = deadline
    campaign.save(update_fields=["title", "deadline"])
    record_event(
        actor=user,
        action="campaign.update",
        target=campaign,
        summary=log_text("修改自评工作：{title}", title=campaign.title),
        details={"changes": changed_fields(before, {"title": title, "deadline": deadline})},
    )
    return campaign
