"""报告审查汇总: a job's findings as the batch auditor's workbook (汇总 + 全部问题), built in the
request for a few files and by a background job for more (a 审查全部已提交 of a province has
100,000 files). Registered by AuditConfig.ready through jixiao.audit.jobs."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.audit.models import AuditedFile
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.jobs.selectors import export_requester, job_for
from jixiao.jobs.services import create_job
from jixiao.organisations.models import User

SUMMARY_KIND = "audit.summary_xlsx"
# Up to this many audited files the workbook is written in the request (each file is a row of
# 汇总 and one of 全部问题 per finding: about a millisecond a file).
SUMMARY_INLINE_FILES = 300
READ_BATCH = 500


def location_text(location: dict[str, Any]) -> str:
    """Where a finding is, as the reader counts: 第 n 页第 m 行, or 全文."""
    parts = []
    if location.get("page"):
        parts.append(_("第 {n} 页").format(n=location["page"]))
    if location.get("line"):
        parts.append(_("第 {n} 行").format(n=location["line"]))
    return "".join(parts) or _("全文")


def summary_workbook_of(audit_job: Job) -> bytes:
    """The workbook of the job's finished files, in the job's order (the caller scoped the job;
    the rows are read 500 at a time, without what was extracted)."""
    from jixiao.audit.batch import (
        STATUS_AUDITED,
        STATUS_FAILED,
        STATUS_UNREADABLE,
        FileResult,
        FindingRow,
        summary_workbook,
    )

    status = {
        AuditedFile.Status.AUDITED: STATUS_AUDITED,
        AuditedFile.Status.FAILED: STATUS_FAILED,
    }
    rows = (
        AuditedFile.objects.filter(job=audit_job)
        .exclude(status=AuditedFile.Status.QUEUED)
        .defer("extracted")
        .order_by("position")
        .iterator(chunk_size=READ_BATCH)
    )
    results = [
        FileResult(
            path=Path(row.name),
            name=row.name,
            status=status.get(row.status, STATUS_UNREADABLE),  # type: ignore[call-overload]
            reason=row.reason,
            unit=row.unit,
            year=row.year,
            score=row.score,
            grade=row.grade,
            findings=tuple(
                FindingRow(
                    f["severity"],
                    f["code"],
                    f["message"],
                    f.get("quote", ""),
                    location_text(f.get("location") or {}),
                )
                for f in row.findings
            ),
        )
        for row in rows
    ]
    return summary_workbook(results)


def request_summary_export(*, user: User, audit_job: Job) -> Job:
    """Queue the workbook of ``audit_job`` (which ``user`` may see)."""
    return create_job(
        kind=SUMMARY_KIND,
        title=_("报告审查汇总：{title}").format(title=audit_job.title),
        requested_by=user,
        params={"audit_job_id": audit_job.pk},
        total=1,
    )


@job_handler(SUMMARY_KIND)
def build_summary(job: Job, progress: JobProgress) -> None:
    user = export_requester(job)
    try:  # the audit job is the requester's still (jobs.selectors.jobs_visible_to)
        audit_job = job_for(user=user, job_id=job.params["audit_job_id"])
    except Http404:
        raise JobFailed(_("该审查任务已不在您的查看范围内")) from None
    content = summary_workbook_of(audit_job)
    progress.save_result(f"{_('报告审查汇总')}.xlsx", io.BytesIO(content))
    progress.item_done()
