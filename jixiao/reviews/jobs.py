"""The freeze job (审定文件): render an approved evaluation's documents after the approval commits.

Registered with the job core (jixiao.jobs.registry) by ReviewsConfig.ready. Safe to run again: it
replaces whatever an earlier attempt stored, and leaves no partial set behind when it fails.
"""

from __future__ import annotations

import hashlib
import io

from django.utils.translation import gettext as _

from jixiao.evaluations.models import Evaluation, Status
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.jobs.selectors import export_requester
from jixiao.jobs.services import create_job
from jixiao.organisations.models import User
from jixiao.reviews.models import FrozenDocument
from jixiao.reviews.services import FREEZE_KIND, TransitionRefused, freeze_documents


@job_handler(FREEZE_KIND)
def render_frozen_documents(job: Job, progress: JobProgress) -> None:
    evaluation = (
        Evaluation.objects.select_related("campaign", "unit")
        .filter(pk=job.params["evaluation_id"])
        .first()
    )
    if evaluation is None:
        raise JobFailed(_("自评已被删除"))
    if evaluation.status != Status.APPROVED:
        # Published already means its files exist; anything else was never meant to be frozen.
        raise JobFailed(
            _("自评当前为“{status}”，不生成审定文件").format(status=evaluation.get_status_display())
        )
    if evaluation.version != job.params.get("version"):
        raise JobFailed(_("自评内容在审定后发生了变化，请退回后重新审定"))
    name = str(evaluation)
    try:
        freeze_documents(evaluation)
        _check_stored(evaluation)
    except (TransitionRefused, JobFailed) as refused:
        # Never leave a partial set: publication needs all of them, and a retry starts clean.
        FrozenDocument.objects.filter(evaluation=evaluation).delete()
        reason = (
            "；".join(refused.problems)
            if isinstance(refused, TransitionRefused)
            else refused.reason
        )
        progress.item_failed(name, reason)
        raise JobFailed(reason) from refused
    except Exception:
        FrozenDocument.objects.filter(evaluation=evaluation).delete()
        raise
    progress.item_done()


def _check_stored(evaluation: Evaluation) -> None:
    """Read every stored file back and hash its bytes: the digests published (SHA-256, SM3) are
    those of what the portal will serve, not of what the renderer meant to write."""
    from jixiao.documents.digests import sm3_hex

    for document in FrozenDocument.objects.filter(evaluation=evaluation):
        stored = bytes(document.content)
        if (
            hashlib.sha256(stored).hexdigest() != document.sha256
            or (document.sm3 and sm3_hex(stored) != document.sm3)
            or len(stored) != document.size
        ):
            raise JobFailed(
                _("审定文件“{name}”存储后校验不一致，请重新生成").format(name=document.filename)
            )


QUEUE_EXPORT_KIND = "reviews.queue_xlsx"


def request_queue_export(*, user: User, group: str, campaign_id: int | None, q: str) -> Job:
    """Queue the export of one pile of the 审核待办 as filtered (the requester's scope when run)."""
    return create_job(
        kind=QUEUE_EXPORT_KIND,
        title=_("导出审核待办"),
        requested_by=user,
        params={"group": group, "campaign_id": campaign_id, "q": q},
        total=1,
    )


@job_handler(QUEUE_EXPORT_KIND)
def build_queue_export(job: Job, progress: JobProgress) -> None:
    from jixiao.evaluations.list_export import EXPORT_LIMIT, capped, evaluations_workbook
    from jixiao.reviews.selectors import queue_export_rows

    user = export_requester(job)
    p = job.params
    current, found = queue_export_rows(
        user=user,
        group=p.get("group") or None,
        campaign_id=p.get("campaign_id"),
        q=p.get("q") or "",
        limit=EXPORT_LIMIT + 1,
    )
    rows, more = capped(found)
    title = _("审核待办") + (f"（{current.label}）" if current else "")
    content = evaluations_workbook(title, rows, last_step=True, more=more)
    progress.save_result(f"{_('审核待办')}.xlsx", io.BytesIO(content))
    progress.item_done()
