"""The jobs of 绩效运行监控 (registered by MonitoringConfig.ready): the large warning-list export,
and the round's warnings computed again after its settings change."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from jixiao.evaluations.list_export import EXPORT_LIMIT
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.monitoring.export import EXPORT_KIND, warnings_workbook
from jixiao.monitoring.selectors import WarningFilter, export_rows
from jixiao.monitoring.services import RECOMPUTE_KIND, recompute_round


@job_handler(EXPORT_KIND)
def export_warnings(job: Job, progress: JobProgress) -> None:
    user = job.requested_by
    if user is None or not user.is_active or user.organisation_id != job.organisation_id:
        raise JobFailed(_("发起人已不在原单位，不能导出"))
    p = job.params
    filters = WarningFilter(
        campaign_id=p.get("campaign_id"),
        department_id=p.get("department_id"),
        level=p.get("level"),
        reason=p.get("reason") or "",
        sort=p.get("sort") or "level",
    )
    rows = export_rows(user=user, filters=filters, limit=EXPORT_LIMIT + 1)
    content = warnings_workbook(rows[:EXPORT_LIMIT], more=len(rows) > EXPORT_LIMIT)
    progress.save_result(f"{_('监控预警')}.xlsx", io.BytesIO(content))
    progress.item_done()


@job_handler(RECOMPUTE_KIND)
def recompute_warnings(job: Job, progress: JobProgress) -> None:
    user = job.requested_by
    if user is None or not user.is_active or not user.is_bureau_user:
        raise JobFailed(_("发起人已不是财政局的在职用户，未重新计算"))
    recompute_round(campaign_id=int(job.params["campaign_id"]), user=user, progress=progress)
