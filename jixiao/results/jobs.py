"""The jobs of the 结果应用 table (registered by ResultsConfig.ready): the refresh of a year's
stored rows, and the xlsx of a table too large to write in a request."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from jixiao.evaluations.list_export import EXPORT_LIMIT
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.results.assessment import ASSESSMENT_KIND, compute_snapshot
from jixiao.results.export import EXPORT_KIND, results_workbook
from jixiao.results.services import REFRESH_KIND, refresh_year


@job_handler(REFRESH_KIND)
def refresh_results(job: Job, progress: JobProgress) -> None:
    year = int(job.params["year"])
    refresh_year(year, progress)
    # The year's 部门考核 reads the same steps and results: kept as current as the table.
    compute_snapshot(year=year, user=job.requested_by)


@job_handler(ASSESSMENT_KIND)
def compute_assessment(job: Job, progress: JobProgress) -> None:
    user = job.requested_by
    if user is None or not user.is_active or not user.is_bureau_user:
        raise JobFailed(_("发起人已不是财政局的用户，不能计算部门考核"))
    progress.set_total(1)
    compute_snapshot(year=int(job.params["year"]), user=user)
    progress.item_done()


@job_handler(EXPORT_KIND)
def export_results(job: Job, progress: JobProgress) -> None:
    from jixiao.results import selectors

    user = job.requested_by
    if user is None or not user.is_active or user.organisation_id != job.organisation_id:
        raise JobFailed(_("发起人已不在原单位，不能导出"))
    if not user.is_bureau_user:
        raise JobFailed(_("只有财政局可以导出结果应用表"))
    filters = selectors.ResultFilters.from_query(
        {k: "" if v is None else str(int(v) if isinstance(v, bool) else v)
         for k, v in job.params.items()}
    )  # fmt: skip
    found = list(selectors.entries(user=user, filters=filters)[: EXPORT_LIMIT + 1])
    content = results_workbook(
        selectors.export_title(filters),
        selectors.rows_of(found[:EXPORT_LIMIT]),
        more=len(found) > EXPORT_LIMIT,
        limit=EXPORT_LIMIT,
    )
    progress.save_result(f"{_('结果应用表')}.xlsx", io.BytesIO(content))
    progress.item_done()
