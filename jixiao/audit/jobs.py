"""The 报告审查 jobs: audit each uploaded file (``audit.upload``), or each evaluation's own
generated report (``audit.campaign``, 审查全部已提交), in a resource-limited child process.

One file at a time (the budget is per file, so twenty hostile files cost twenty budgets, none of
them in a web worker). A file that could not be audited — unreadable, over its budget, or the
auditor failing — is a failed item with the reason the user reads; the others are done, whatever
they found. Safe to run again (a retry): files already audited are counted, not redone.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from jixiao.audit import summary  # noqa: F401  (registers the 汇总 export's job)
from jixiao.audit.isolated import AuditFailed, audit_isolated
from jixiao.audit.models import AuditedFile
from jixiao.audit.readers import SUFFIXES, UnreadableReport
from jixiao.audit.services import (
    CAMPAIGN_KIND,
    EVALUATION_FORMAT,
    KIND,
    campaign_submissions,
    drop_old_kept_uploads,
    store_report,
    store_unreadable,
    write_evaluation_rows,
)
from jixiao.campaigns.rulesets import get_ruleset
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler
from scoring.loading import InputError
from scoring.ruleset import RuleSet

logger = logging.getLogger(__name__)

ACCEPTED_SUFFIXES = (*SUFFIXES, ".doc")  # the reader explains why .doc is refused


@job_handler(KIND)
def audit_uploads(job: Job, progress: JobProgress) -> None:
    drop_old_kept_uploads()  # housekeeping, cheap: files kept for 重新审查 past their time
    _audit_rows(job, progress, audit_row)


@job_handler(CAMPAIGN_KIND)
def audit_evaluations(job: Job, progress: JobProgress) -> None:
    if job.params.get("list_submissions") and not AuditedFile.objects.filter(job=job).exists():
        # 审查全部已提交: the rows are listed here, in the requester's scope as it is now (a
        # retry after this finds them and goes on auditing).
        user = job.requested_by
        if user is None or not user.is_active or user.organisation_id != job.organisation_id:
            raise JobFailed(_("发起人已不在原单位，不能审查"))
        with transaction.atomic():
            write_evaluation_rows(
                job=job,
                user=user,
                evaluations=campaign_submissions(user=user, campaign_id=job.params["campaign_id"]),
            )
    _audit_rows(job, progress, audit_evaluation_row)


# The rows are read this many at a time (a campaign's job has 100,000), not all held at once.
READ_BATCH = 500


def _audit_rows(job: Job, progress: JobProgress, audit: Callable[..., None]) -> None:
    ids = list(
        AuditedFile.objects.filter(job=job).order_by("position").values_list("pk", flat=True)
    )
    progress.set_total(len(ids))
    ruleset = chosen_ruleset(job)
    for start in range(0, len(ids), READ_BATCH):
        chunk = ids[start : start + READ_BATCH]
        found = AuditedFile.objects.in_bulk(chunk)
        for pk in chunk:
            row = found.get(pk)
            if row is None:
                continue
            if row.status == AuditedFile.Status.QUEUED:
                audit(row, ruleset=ruleset)
            if row.status == AuditedFile.Status.AUDITED:
                progress.item_done()
            else:
                progress.item_failed(row.name, row.reason)


def chosen_ruleset(job: Job) -> RuleSet | None:
    """The rule-set the user picked on the form (``params["ruleset"]``, a ref the form offered);
    None: the one each report names, else the default for its kind."""
    ref = str(job.params.get("ruleset") or "")
    if not ref:
        return None
    try:
        return get_ruleset(ref)
    except InputError:  # removed since the upload: audit as if none was picked, and say so
        logger.warning("audit job %s: rule-set %s not found, using the default", job.pk, ref)
        return None


def audit_row(row: AuditedFile, *, ruleset: RuleSet | None = None) -> None:
    """Audit one stored upload, write its result to the row and drop the stored file."""
    suffix = "." + row.name.rsplit(".", 1)[-1].lower() if "." in row.name else ""
    try:
        if suffix not in ACCEPTED_SUFFIXES:
            raise UnreadableReport(_("不支持的文件格式：仅支持 txt、docx 和 pdf"))
        if not row.upload:
            raise AuditFailed("stored upload missing")
        with row.upload.open("rb") as stored:
            data = stored.read()
        report = audit_isolated(data, row.name, ruleset=ruleset)
    except UnreadableReport as exc:
        store_unreadable(
            row,
            AuditedFile.Status.TOO_COMPLEX if exc.too_complex else AuditedFile.Status.UNREADABLE,
            exc.reason,
        )
    except (AuditFailed, OSError) as exc:
        logger.error("audit of uploaded file %s (row %s) failed: %s", row.name, row.pk, exc)
        store_unreadable(row, AuditedFile.Status.FAILED, _("审查时出错，无法读取该文件"))
    else:
        store_report(row, report)
        if row.evaluation_id is None:
            row.unit_organisation_id = _unit_named(row)
    if row.upload:
        row.upload.delete(save=False)
    row.save()


def _unit_named(row: AuditedFile) -> int | None:
    """The 预算单位 (in the requester's scope) whose exact name the report states, for the
    list's unit filter; None when there is none or the requester is gone."""
    from jixiao.organisations.selectors import units_visible_to

    if not row.unit or row.requested_by is None:
        return None
    return (
        units_visible_to(user=row.requested_by)
        .filter(name=row.unit)
        .values_list("pk", flat=True)
        .first()
    )


def audit_evaluation_row(row: AuditedFile, *, ruleset: RuleSet | None = None) -> None:
    """Render the evaluation's own report (jixiao.documents, as the unit downloads it) and audit
    it under the evaluation's own rule-set; the requester's scope is checked again now."""
    from jixiao.documents.package import render_document
    from jixiao.evaluations.scoring_bridge import score_data
    from jixiao.evaluations.selectors import evaluations_visible_to

    evaluation = (
        evaluations_visible_to(user=row.requested_by).filter(pk=row.evaluation_id).first()
        if row.requested_by is not None and row.evaluation_id is not None
        else None
    )
    try:
        if evaluation is None:
            raise UnreadableReport(_("已不在您的查看范围内，或已被删除"))
        scored = score_data(evaluation.data)
        if scored.evaluation is None or scored.result is None:
            raise UnreadableReport("；".join(scored.problems) or _("自评内容无法评分"))
        try:
            content = render_document(
                scored.evaluation, scored.result, EVALUATION_FORMAT, ruleset=scored.ruleset
            )
        except Exception as exc:  # one unit's renderer failure must not stop the batch
            logger.exception("rendering evaluation %s for its audit failed", row.evaluation_id)
            raise UnreadableReport(
                _("生成文件出错（{error}）").format(error=type(exc).__name__)
            ) from exc
        row.size = len(content)
        row.sha256 = hashlib.sha256(content).hexdigest()
        report = audit_isolated(content, row.name, ruleset=scored.ruleset or ruleset)
    except UnreadableReport as exc:
        store_unreadable(
            row,
            AuditedFile.Status.TOO_COMPLEX if exc.too_complex else AuditedFile.Status.UNREADABLE,
            exc.reason,
        )
    except AuditFailed as exc:
        logger.error("audit of evaluation %s failed: %s", row.evaluation_id, exc)
        store_unreadable(row, AuditedFile.Status.FAILED, _("审查时出错，无法读取该文件"))
    else:
        store_report(row, report)
    row.save()
