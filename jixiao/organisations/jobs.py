"""批量导入单位 as a background job, for workbooks too large to check inside a request.

The request stores the upload and enqueues ``organisations.import``; the handler runs the same
all-or-nothing import as the page (``services.import_units``). When nothing was written the row
problems are the job's failure list (第 N 行 · 列 → 问题); when everything was, the counts.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler

IMPORT_KIND = "organisations.import"
# Workbooks up to this size are imported inside the request (a few thousand rows); larger ones go
# to a job.
INLINE_MAX_BYTES = 256 * 1024
MAX_REPORTED_PROBLEMS = 1000


@job_handler(IMPORT_KIND)
def import_units_job(job: Job, progress: JobProgress) -> None:
    from jixiao.organisations import services
    from jixiao.organisations.unit_import import UnitImportFileError

    path = str(job.params.get("path", ""))
    if not path or not default_storage.exists(path):
        raise JobFailed(_("上传的文件已不在，请重新上传"))
    if job.requested_by is None:
        raise JobFailed(_("发起人账号已不存在"))
    with default_storage.open(path, "rb") as stored:
        data = stored.read()
    try:
        outcome = services.import_units(user=job.requested_by, data=data)
    except UnitImportFileError as exc:
        raise JobFailed(str(exc)) from None
    finally:
        default_storage.delete(path)
    problems = outcome.check.problems
    if problems:
        progress.set_total(len(outcome.check.rows) + len(problems))
        for problem in problems[:MAX_REPORTED_PROBLEMS]:
            progress.item_failed(
                _("第 {row} 行 · {column}").format(row=problem.row, column=problem.column),
                problem.message,
            )
        raise JobFailed(
            _("发现 {n} 处问题，未导入任何数据；请按下表改正后重新上传整个文件").format(
                n=len(problems)
            )
        )
    if not outcome.written:
        raise JobFailed(_("文件中没有可导入的单位"))
    written = len(outcome.created) + len(outcome.updated)
    progress.set_total(written)
    progress.done = written - 1
    progress.item_done()  # one write for all: the import itself was one transaction
