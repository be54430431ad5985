"""报告审查 writes: start audits as background jobs, and store what an audit found.

Nothing is audited inside the request: the view stores the files and creates a job
(jixiao.jobs); the handler (jixiao.audit.jobs) audits each file in a resource-limited child
process (jixiao.audit.isolated) and writes the result to its row (``store_report``).

A file whose bytes (SHA-256) were audited before, in a result the requester may see, is not
audited again unless asked (``again``): its row shows the earlier result and keeps the upload,
so that ``request_reaudit`` can audit it on request. ``request_campaign_audit`` (审查全部已提交)
audits each submitted evaluation's own generated report, one row per evaluation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text
from jixiao.audit.models import AuditedFile
from jixiao.audit.selectors import earlier_result, is_reviewer
from jixiao.jobs.models import Job
from jixiao.jobs.services import create_job
from jixiao.organisations.models import User

KIND = "audit.upload"
CAMPAIGN_KIND = "audit.campaign"
# The columns a repeated file copies from the earlier result it shows.
RESULT_FIELDS = (
    "status", "reason", "errors", "warnings", "infos", "unit", "year", "score", "grade",
    "filled_on", "findings", "extracted", "level", "unit_organisation_id", "audited_at",
)  # fmt: skip


def level_of(row: AuditedFile) -> str:
    """The list's 级别 of a row from its status and counts."""
    if row.status == AuditedFile.Status.QUEUED:
        return AuditedFile.Level.QUEUED
    if row.status != AuditedFile.Status.AUDITED:
        return AuditedFile.Level.UNREADABLE
    if row.errors:
        return AuditedFile.Level.ERROR
    if row.warnings:
        return AuditedFile.Level.WARNING
    return AuditedFile.Level.CLEAN


def store_report(row: AuditedFile, report: Any) -> None:
    """Write an audit's findings, summary columns and extracted data (with quotes) to ``row``
    (not saved). ``report`` is a ``jixiao.audit.AuditReport`` (from the child, with its prefill)."""
    findings = [f.to_dict() for f in report.findings]
    extracted = report.extracted
    row.status = AuditedFile.Status.AUDITED
    row.reason = ""
    row.findings = findings
    row.errors = sum(f["severity"] == "error" for f in findings)
    row.warnings = sum(f["severity"] == "warning" for f in findings)
    row.infos = sum(f["severity"] == "info" for f in findings)
    row.unit = str(extracted.get("unit_name") or "")[:200]
    row.year = str(extracted.get("year") or "")[:10]
    row.score = str(extracted.get("total_score") or "")[:20]
    row.grade = str(extracted.get("grade") or "")[:10]
    row.filled_on = str(extracted.get("filled_on") or "")[:20]
    # each field with the quote and location it was read from (the child sends its prefill)
    row.extracted = {"values": extracted, "fields": report.prefill.get("fields", {})}
    row.level = level_of(row)
    row.audited_at = timezone.now()


def store_unreadable(row: AuditedFile, status: str, reason: str) -> None:
    row.status = status
    row.reason = reason
    row.level = level_of(row)
    row.audited_at = timezone.now()


def _job_title(names: Sequence[str]) -> str:
    if len(names) > 1:
        return _("报告审查：{first}等 {n} 份").format(first=names[0], n=len(names))
    return _("报告审查：{first}").format(first=names[0])


@transaction.atomic
def request_upload_audit(
    *, user: User, uploads: Sequence[Any], ruleset: str = "", again: bool = False
) -> Job:
    """Store the uploaded files and queue their audit; the job starts after the commit.

    Each upload gets a row (in the order given) holding the file until its audit ends. A file in
    a format the auditor does not read is kept too: its row then says why it was not audited.
    ``ruleset``: the ``id@version`` the user picked (one the form offered), or "" for the one
    each report names, else the default for its kind.
    A file audited before (same SHA-256, a result the user may see) gets that result, unless
    ``again``; its upload is kept for a later 重新审查.
    """
    names = [str(upload.name or _("（无文件名）"))[:255] for upload in uploads]
    job = create_job(
        kind=KIND,
        title=_job_title(names),
        requested_by=user,
        total=len(names),
        params={"ruleset": ruleset} if ruleset else None,
    )
    stored: list[AuditedFile] = []
    repeated: list[int] = []
    try:
        for position, (upload, name) in enumerate(zip(uploads, names, strict=True)):
            digest = hashlib.sha256()
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
            row = AuditedFile(
                job=job, position=position, name=name, size=int(upload.size or 0),
                sha256=digest.hexdigest(), requested_by=user,
                organisation_id=user.organisation_id,
            )  # fmt: skip
            earlier = (
                None if again else earlier_result(user=user, sha256=row.sha256, ruleset=ruleset)
            )
            if earlier is not None:
                for name_ in RESULT_FIELDS:
                    setattr(row, name_, getattr(earlier, name_))
                row.earlier = earlier
                row.evaluation_id = earlier.evaluation_id
                row.campaign_id = earlier.campaign_id
                repeated.append(earlier.pk)
            # streamed to storage under a neutral name: the user's file name never is a path
            row.upload.save(f"job-{job.pk}-{position}.bin", File(upload), save=False)
            stored.append(row)
            row.save()
    except BaseException:
        for row in stored:  # the transaction rolls back; the files it stored go with it
            row.upload.delete(save=False)
        raise
    record_event(
        actor=user,
        action="audit.upload",
        target=job,
        summary=log_text("上传 {n} 份报告进行审查", n=len(names)),
        details={
            "files": names,
            "again": again,
            "earlier": repeated,
            **({"ruleset": ruleset} if ruleset else {}),
        },
    )
    return job


class ReauditRefused(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


@transaction.atomic
def request_reaudit(*, user: User, row: AuditedFile) -> Job:
    """重新审查: audit a result's file again as a new job (the caller has scoped ``row``).

    An evaluation's result renders the evaluation's report anew; an upload that was shown an
    earlier result is audited from the file it kept (the new row takes it over). An upload whose
    file is gone (audited files are not kept) must be uploaded again.
    """
    if not is_reviewer(user):
        raise ReauditRefused(_("只有审核人员可以审查报告"))
    locked = AuditedFile.objects.select_for_update().get(pk=row.pk)
    if locked.evaluation_id is not None and not locked.upload:
        job = request_evaluation_audit(
            user=user, evaluation_ids=[locked.evaluation_id], title=_job_title([locked.name])
        )
        if not job.total:
            raise ReauditRefused(_("该自评已不在您的查看范围内"))
    elif not locked.upload:
        raise ReauditRefused(_("该文件审查后未保留，请重新上传并勾选“重新审查”"))
    else:
        ruleset = str((locked.job.params or {}).get("ruleset") or "")
        job = create_job(
            kind=KIND,
            title=_job_title([locked.name]),
            requested_by=user,
            total=1,
            params={"ruleset": ruleset} if ruleset else None,
        )
        AuditedFile.objects.create(
            job=job, position=0, name=locked.name, size=locked.size, sha256=locked.sha256,
            upload=locked.upload.name, requested_by=user, organisation_id=user.organisation_id,
            evaluation_id=locked.evaluation_id, campaign_id=locked.campaign_id,
        )  # fmt: skip
        locked.upload = ""  # the new row owns the stored file now
        locked.save(update_fields=["upload"])
    record_event(
        actor=user,
        action="audit.reaudit",
        target=job,
        summary=log_text("重新审查报告：{name}", name=locked.name),
        details={"result": locked.pk},
    )
    return job


# The statuses of an evaluation handed in (报送) and not sent back: 审查全部已提交 audits these.
def submitted_statuses() -> tuple[str, ...]:
    from jixiao.evaluations.models import Status

    return (Status.SUBMITTED, Status.DEPARTMENT_APPROVED, Status.APPROVED, Status.PUBLISHED)


def request_evaluation_audit(
    *, user: User, evaluation_ids: Sequence[int], title: str, campaign: Any = None
) -> Job:
    """Queue the audit of evaluations' own generated reports (those ``user`` may see), one row
    each, as one job with progress. For a few evaluations (one report, a re-audit): a campaign's
    are listed by the job itself (request_campaign_audit)."""
    from jixiao.evaluations.selectors import evaluations_visible_to

    chosen = evaluations_visible_to(user=user).filter(pk__in=list(evaluation_ids))
    with transaction.atomic():
        job = create_job(
            kind=CAMPAIGN_KIND,
            title=title,
            requested_by=user,
            subject=campaign,
            params={"campaign_id": getattr(campaign, "pk", None)},
            total=0,
        )
        job.total = write_evaluation_rows(job=job, user=user, evaluations=chosen)
        job.save(update_fields=["total"])
    return job


# The rows of an evaluation audit are written this many at a time, from the stored names: a
# province campaign has 100,000 handed-in evaluations, whose content (6 KB each) is never read
# here.
ROW_BATCH = 2000


def write_evaluation_rows(*, job: Job, user: User, evaluations: Any) -> int:
    """One queued row per evaluation of ``evaluations`` (already scoped to ``user``), in the
    order of department, unit and project; how many were written."""
    listed = (
        evaluations.order_by("department_name", "unit_name", "project_name", "pk")
        .values_list("pk", "campaign_id", "unit_id", "unit_name", "project_name", "campaign_year")
        .iterator(chunk_size=ROW_BATCH)
    )
    written = 0
    batch: list[AuditedFile] = []
    for pk, campaign_id, unit_id, unit_name, project_name, year in listed:
        batch.append(
            AuditedFile(
                job=job,
                position=written,
                name=report_name(unit_name, project_name),
                requested_by=user,
                organisation_id=user.organisation_id,
                evaluation_id=pk,
                campaign_id=campaign_id,
                unit_organisation_id=unit_id,
                year=str(year),
            )
        )
        written += 1
        if len(batch) == ROW_BATCH:
            AuditedFile.objects.bulk_create(batch)
            batch = []
    AuditedFile.objects.bulk_create(batch)
    return written


EVALUATION_FORMAT = "docx"  # what units hand in; the auditor reads its tables cell by cell


def evaluation_report_name(evaluation: Any) -> str:
    return report_name(evaluation.unit.name, evaluation.project_name)


def report_name(unit_name: str, project_name: str) -> str:
    name = unit_name
    if project_name:
        name += f" {project_name}"
    return f"{name} {_('自评报告')}.{EVALUATION_FORMAT}"[:255]


class NothingToAudit(Exception):
    pass


@transaction.atomic
def request_campaign_audit(*, user: User, campaign: Any) -> Job:
    """审查全部已提交: every submitted evaluation of the campaign in ``user``'s scope, one job.

    The request counts them (for the title) and queues the job; the job lists them (one row
    each, audit_evaluations) — a province campaign's 100,000 rows are no request's work."""
    from jixiao.campaigns.models import EvaluationKind

    if not is_reviewer(user) or campaign.kind not in (
        EvaluationKind.DEPARTMENT,
        EvaluationKind.PROJECT,
    ):
        raise NothingToAudit  # declarations and monitoring reports are no self-evaluation reports
    count = campaign_submissions(user=user, campaign_id=campaign.pk).count()
    if not count:
        raise NothingToAudit
    with transaction.atomic():
        job = create_job(
            kind=CAMPAIGN_KIND,
            title=_("审查全部已提交：{title}（{n} 份）").format(title=campaign.title, n=count),
            requested_by=user,
            subject=campaign,
            params={"campaign_id": campaign.pk, "list_submissions": True},
            total=count,
        )
        record_event(
            actor=user,
            action="audit.campaign",
            target=campaign,
            summary=log_text(
                "审查自评工作“{title}”的全部已提交自评报告（{n} 份）", title=campaign.title, n=count
            ),
            details={"job": job.pk, "evaluations": count},
        )
    return job


def campaign_submissions(*, user: User, campaign_id: int) -> Any:
    """The campaign's handed-in evaluations (submitted_statuses) that ``user`` may see."""
    from jixiao.evaluations.selectors import evaluations_visible_to

    return evaluations_visible_to(user=user).filter(
        campaign_id=campaign_id, status__in=submitted_statuses()
    )


@transaction.atomic
def request_one_evaluation_audit(*, user: User, evaluation: Any) -> Job:
    """审查本报告: one handed-in evaluation's own report (the caller has scoped ``evaluation``)."""
    if not is_reviewer(user) or evaluation.status not in submitted_statuses():
        raise NothingToAudit
    job = request_evaluation_audit(
        user=user,
        evaluation_ids=[evaluation.pk],
        title=_job_title([evaluation_report_name(evaluation)]),
        campaign=evaluation.campaign,
    )
    if not job.total:
        raise NothingToAudit
    record_event(
        actor=user,
        action="audit.evaluation",
        target=evaluation,
        summary=log_text("审查自评报告：{name}", name=evaluation_report_name(evaluation)),
        details={"job": job.pk},
    )
    return job


# A repeated upload keeps its file for 重新审查; after this many days it is dropped (the result
# stays; auditing it again then needs the file uploaded again).
KEEP_REPEATED_UPLOAD_DAYS = 30


def drop_old_kept_uploads(*, now: Any = None) -> int:
    """Delete the files repeated uploads kept for 重新审查 once they are older than
    ``KEEP_REPEATED_UPLOAD_DAYS``; one 操作日志 entry with the count. Run by each upload job."""
    from datetime import timedelta

    now = now or timezone.now()
    old = list(
        AuditedFile.objects.filter(
            earlier__isnull=False, created_at__lt=now - timedelta(days=KEEP_REPEATED_UPLOAD_DAYS)
        )
        .exclude(upload="")
        .only("pk", "upload")[:500]
    )
    for row in old:
        row.upload.delete(save=False)
        AuditedFile.objects.filter(pk=row.pk).update(upload="")
    if old:
        record_event(
            actor=None,
            action="audit.drop_uploads",
            target=None,
            target_type="audit.auditedfile",
            target_label="报告审查重复上传文件",
            summary=log_text(
                "删除 {n} 份超过 {days} 天的重复上传文件（审查结果保留）",
                n=len(old),
                days=KEEP_REPEATED_UPLOAD_DAYS,
            ),
            details={"results": [row.pk for row in old]},
        )
    return len(old)
