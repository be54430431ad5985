"""报送进度 Excel as a background job when the table is large (jixiao.jobs).

The workbook itself is scale work (selectors.progress_export_rows streams the stored columns,
progress_export.progress_workbook_file writes it row by row to a temporary file); this module only
moves it out of the request when there are more than ``JIXIAO_PROGRESS_XLSX_JOB_ROWS`` rows.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.campaigns import selectors
from jixiao.campaigns.models import Campaign
from jixiao.campaigns.progress_export import progress_workbook_file
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.jobs.services import create_job, subject_of
from jixiao.organisations.models import User

KIND = "campaigns.progress_xlsx"
FILTER_KEYS = ("department", "state", "grade", "q")
BEAT_EVERY = 2000


def request_progress_export(*, user: User, campaign: Campaign, query: Any) -> Job:
    """Queue the export of the progress table (``query``: the page's filters); the person's
    export of the same table that is still queued or running is returned instead of a second one."""
    filters = {key: str(query.get(key, "") or "")[:80] for key in FILTER_KEYS}
    for job in Job.objects.filter(
        kind=KIND,
        requested_by=user,
        subject=subject_of(campaign),
        state__in=(Job.State.QUEUED, Job.State.RUNNING),
    ):
        if job.params.get("filters") == filters:
            return job
    return create_job(
        kind=KIND,
        title=_("{title}：报送进度 Excel").format(title=campaign.title),
        requested_by=user,
        params={"campaign_id": campaign.pk, "filters": filters},
        subject=campaign,
        total=1,
    )


@job_handler(KIND)
def build_progress_export(job: Job, progress: JobProgress) -> None:
    user = job.requested_by
    if user is None:
        raise JobFailed(_("发起人的账号已不存在，无法确定可导出的范围"))
    try:  # the scope is checked again now: access lost since the request is access lost
        campaign = selectors.get_campaign(user=user, campaign_id=job.params["campaign_id"])
    except Http404:
        raise JobFailed(_("该项工作已不在您的查看范围内，或已被删除")) from None
    filters = selectors.ProgressFilters.from_query(job.params.get("filters", {}))
    rows, count = selectors.progress_export_rows(user=user, campaign=campaign, filters=filters)
    progress.set_total(1)

    def beating(items: Any) -> Any:
        for n, row in enumerate(items, start=1):
            if n % BEAT_EVERY == 0:
                progress.beat()
            yield row

    with progress_workbook_file(campaign, beating(rows), count) as workbook:
        progress.item_done()
        progress.save_result(f"{campaign.title}-报送进度.xlsx", workbook)


TASKS_KIND = "campaigns.tasks"
TASKS_BATCH = 200  # units per transaction: the units' people are told as each batch commits


@job_handler(TASKS_KIND)
def make_campaign_tasks(job: Job, progress: JobProgress) -> None:
    """下达 / 追加单位 for many units (services.TASKS_IN_REQUEST): each unit's prefilled tasks (a
    self-evaluation, or a 监控 round's or a 目标申报's report for the unit and each of its
    projects), TASKS_BATCH units to a transaction, with progress. A retry starts again from the
    first batch and skips what already exists (services.make_tasks); the round's or the
    declaration's settings were stored by the request."""
    from django.db import transaction

    from jixiao.activity.services import record_event
    from jixiao.activity.texts import log_text
    from jixiao.campaigns import services
    from jixiao.organisations.models import Organisation, OrganisationKind

    user = job.requested_by
    if user is None or not user.is_active or not user.is_bureau_user:
        raise JobFailed(_("发起人的账号已停用或已不在财政局，任务未生成"))
    campaign = Campaign.objects.filter(
        pk=job.params["campaign_id"], bureau_id=user.organisation_id
    ).first()
    if campaign is None:
        raise JobFailed(_("该项工作已不存在，或不属于发起人的财政局"))
    ids: list[int] = list(job.params.get("unit_ids", []))
    progress.set_total(len(ids))
    created = 0
    for start in range(0, len(ids), TASKS_BATCH):
        batch = ids[start : start + TASKS_BATCH]
        with transaction.atomic():
            # Units made inactive (or no longer units) since the request get no task.
            units = list(
                Organisation.objects.filter(
                    pk__in=batch, kind=OrganisationKind.UNIT, is_active=True
                )
                .select_related("parent")  # each new task carries its department's name
                .order_by("pk")
            )
            tasks = services.make_tasks(
                user=user,
                campaign=campaign,
                units=units,
                project_name=str(job.params.get("project_name", "")),
            )
            services._notify_new_tasks(tasks)
        created += len(tasks)
        progress.items_done(len(batch))
    record_event(
        actor=user,
        action="campaign.tasks_created",
        target=campaign,
        summary=log_text(
            "{tasks}已由后台任务生成：{title}，新增 {count} 个任务",
            tasks=services.tasks_noun(campaign),
            title=campaign.title,
            count=created,
        ),
    )
