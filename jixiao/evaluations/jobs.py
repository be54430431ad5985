"""The 绩效自评列表's Excel export as a background job when the filter keeps more rows than a
request should write (list_export.INLINE_ROWS). Registered by EvaluationsConfig.ready."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from jixiao.evaluations.list_export import EXPORT_LIMIT, capped, evaluations_workbook
from jixiao.evaluations.selectors import filtered_evaluations
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.jobs.selectors import export_requester
from jixiao.jobs.services import create_job
from jixiao.organisations.models import User

LIST_EXPORT_KIND = "evaluations.list_xlsx"


def request_list_export(*, user: User, year: str, status: str, q: str) -> Job:
    """Queue the export of the list as filtered (the scope is the requester's when it runs)."""
    return create_job(
        kind=LIST_EXPORT_KIND,
        title=_("导出绩效自评列表"),
        requested_by=user,
        params={"year": year, "status": status, "q": q},
        total=1,
    )


@job_handler(LIST_EXPORT_KIND)
def build_list_export(job: Job, progress: JobProgress) -> None:
    user = export_requester(job)
    p = job.params
    shown = filtered_evaluations(
        user=user, year=p.get("year", ""), status=p.get("status", ""), q=p.get("q", "")
    )
    rows, more = capped(shown[: EXPORT_LIMIT + 1])
    content = evaluations_workbook(_("绩效自评列表"), rows, more=more)
    progress.save_result(f"{_('绩效自评列表')}.xlsx", io.BytesIO(content))
    progress.item_done()
