"""The 项目库 import as a background job, for files too large to check inside a request; and the
项目库 Excel export of more than INLINE_EXPORT_PROJECTS projects (issue 14: the whole register of a
province is 200,000 projects).

The request stores the upload and enqueues ``projects.import``; the handler runs the same
all-or-nothing import as the page (``services.import_projects``). The row report is the job's
failure list (行号 · 列 → 问题) when nothing was written, and a result workbook (行号, 项目编码,
项目名称, 结果) when everything was.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from openpyxl import Workbook

from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler
from scoring.sheet_cells import append_row

IMPORT_KIND = "projects.import"
# Files up to this size are imported inside the request (a few thousand rows, about a second);
# larger ones go to a job.
INLINE_MAX_BYTES = 256 * 1024
MAX_REPORTED_PROBLEMS = 1000

RESULT_LABELS = {"created": "新增", "updated": "更新", "unit": "部门整体预算"}


@job_handler(IMPORT_KIND)
def import_projects_job(job: Job, progress: JobProgress) -> None:
    from jixiao.projects import services
    from jixiao.projects.project_import import ProjectImportFileError

    path = str(job.params.get("path", ""))
    if not path or not default_storage.exists(path):
        raise JobFailed(_("上传的文件已不在，请重新上传"))
    with default_storage.open(path, "rb") as stored:
        data = stored.read()
    if job.requested_by is None:
        raise JobFailed(_("发起人账号已不存在"))
    try:
        outcome = services.import_projects(user=job.requested_by, data=data)
    except ProjectImportFileError as exc:
        default_storage.delete(path)
        raise JobFailed(str(exc)) from None
    default_storage.delete(path)
    progress.set_total(outcome.rows)
    if outcome.problems:
        for problem in outcome.problems[:MAX_REPORTED_PROBLEMS]:
            progress.item_failed(
                _("第 {row} 行 · {column}").format(row=problem.row, column=problem.column),
                problem.message,
            )
        raise JobFailed(
            _("发现 {n} 处问题，未导入任何数据；请按下表改正后重新上传整个文件").format(
                n=len(outcome.problems)
            )
        )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "导入结果"
    append_row(sheet, ["行号", "项目编码", "项目名称", "结果"])
    for row, code, name, result in outcome.row_results:
        append_row(sheet, [row, code, name, RESULT_LABELS.get(result, result)])
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    progress.done = outcome.rows
    progress.save_result("项目库导入结果.xlsx", out)


EXPORT_KIND = "projects.export_xlsx"
# Up to this many projects the export is answered inside the request (about a third of a second
# on the 2-core server); more are written by a job.
INLINE_EXPORT_PROJECTS = 500


def request_export(*, user: Any, query: Any, count: int) -> Job:
    """Queue the export of the filtered register (``query``: the list's filters); the person's
    same export still queued or running is returned instead of a second one."""
    from jixiao.jobs.services import create_job
    from jixiao.projects.selectors import FILTER_KEYS

    filters = {key: str(query.get(key, "") or "")[:100] for key in FILTER_KEYS}
    for job in Job.objects.filter(
        kind=EXPORT_KIND, requested_by=user, state__in=(Job.State.QUEUED, Job.State.RUNNING)
    ):
        if job.params.get("filters") == filters:
            return job
    return create_job(
        kind=EXPORT_KIND,
        title=_("导出项目库（{n} 个项目）").format(n=count),
        requested_by=user,
        params={"filters": filters},
        total=1,
    )


@job_handler(EXPORT_KIND)
def export_projects_job(job: Job, progress: JobProgress) -> None:
    """The same workbook as the page's export, of the requester's scope as it is now."""
    from django.http import QueryDict

    from jixiao.projects import register_export, selectors
    from jixiao.projects.project_import import export_workbook_file

    user = job.requested_by
    if user is None or not selectors.can_see_register(user):
        raise JobFailed(_("发起人的账号已不存在或已无权查看项目库，无法导出"))
    query = QueryDict(mutable=True)
    for key, value in (job.params.get("filters") or {}).items():
        if value:
            query[key] = value
    projects = selectors.filtered_projects(user=user, filters=selectors.filters_from_query(query))
    progress.set_total(1)
    rows, more = register_export.capped(register_export.export_rows(projects, beat=progress.beat))

    def note() -> str:
        if not more():
            return ""
        return _("仅导出前 {n} 行（Excel 的行数上限）；请按年度或主管部门筛选后分批导出。").format(
            n=register_export.SHEET_ROWS
        )

    with export_workbook_file(
        columns=register_export.mapping_columns(user), rows=rows, note=note
    ) as workbook:
        progress.item_done()
        progress.save_result("项目库.xlsx", workbook)
