"""The 报告审查 job: audit each uploaded file in a resource-limited child process.

One file at a time (the budget is per file, so twenty hostile files cost twenty budgets, none of
them in a web worker). A file that could not be audited — unreadable, over its budget, or the
auditor failing — is a failed item with the reason the user reads; the others are done, whatever
they found. Safe to run again (a retry): files already audited are counted, not redone.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _

from jixiao.audit.isolated import AuditFailed, audit_isolated
from jixiao.audit.models import AuditedFile
from jixiao.audit.readers import SUFFIXES, UnreadableReport
from jixiao.audit.services import KIND
from jixiao.campaigns.rulesets import get_ruleset
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobProgress
from jixiao.jobs.registry import job_handler
from scoring.loading import InputError
from scoring.ruleset import RuleSet

logger = logging.getLogger(__name__)

ACCEPTED_SUFFIXES = (*SUFFIXES, ".doc")  # the reader explains why .doc is refused


@job_handler(KIND)
def audit_uploads(job: Job, progress: JobProgress) -> None:
    rows = list(AuditedFile.objects.filter(job=job).order_by("position"))
    progress.set_total(len(rows))
    ruleset = chosen_ruleset(job)
    for row in rows:
        if row.status == AuditedFile.Status.QUEUED:
            audit_row(row, ruleset=ruleset)
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
        row.status = (
            AuditedFile.Status.TOO_COMPLEX if exc.too_complex else AuditedFile.Status.UNREADABLE
        )
        row.reason = exc.reason
    except (AuditFailed, OSError) as exc:
        logger.error("audit of uploaded file %s (row %s) failed: %s", row.name, row.pk, exc)
        row.status = AuditedFile.Status.FAILED
        row.reason = _("审查时出错，无法读取该文件")
    else:
        findings = [f.to_dict() for f in report.findings]
        extracted = report.extracted
        row.status = AuditedFile.Status.AUDITED
        row.findings = findings
        row.errors = sum(f["severity"] == "error" for f in findings)
        row.warnings = sum(f["severity"] == "warning" for f in findings)
        row.infos = sum(f["severity"] == "info" for f in findings)
        row.unit = str(extracted.get("unit_name") or "")[:200]
        row.year = str(extracted.get("year") or "")[:10]
        row.score = str(extracted.get("total_score") or "")[:20]
        row.grade = str(extracted.get("grade") or "")[:10]
        row.filled_on = str(extracted.get("filled_on") or "")[:20]
    if row.upload:
        row.upload.delete(save=False)
    row.save()
