"""The 操作日志's Excel export as a background job when the filter keeps more entries than a
request should write. Registered by ActivityConfig.ready."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _

from jixiao.activity.export import EXPORT_LIMIT, event_workbook
from jixiao.activity.forms import EventFilterForm
from jixiao.activity.selectors import filtered_events
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.jobs.selectors import export_requester
from jixiao.jobs.services import create_job
from jixiao.organisations.models import User

LOG_EXPORT_KIND = "activity.log_xlsx"


def request_log_export(*, user: User, query: dict[str, str]) -> Job:
    """Queue the export of the log as filtered (``query``: the filter form's fields)."""
    return create_job(
        kind=LOG_EXPORT_KIND,
        title=_("导出操作日志"),
        requested_by=user,
        params={"filters": query},
        total=1,
    )


@job_handler(LOG_EXPORT_KIND)
def build_log_export(job: Job, progress: JobProgress) -> None:
    user = export_requester(job)
    form = EventFilterForm(job.params.get("filters") or {})
    events = filtered_events(user=user, filters=form.event_filter())
    rows = list(events.select_related("unit").order_by("-at", "-pk")[: EXPORT_LIMIT + 1])
    content = event_workbook(rows[:EXPORT_LIMIT], more=len(rows) > EXPORT_LIMIT)
    progress.save_result(f"{_('操作日志')}.xlsx", io.BytesIO(content))
    progress.item_done()
