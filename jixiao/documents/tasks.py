"""Celery tasks of the documents app (eager in-process without a broker; Redis in production)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone


@shared_task
def build_package_job(job_id: int) -> int:
    from jixiao.documents.batch import build_job
    from jixiao.documents.models import PackageJob

    try:
        return build_job(job_id).pk
    except Exception as exc:
        # The job row tells the user it failed; the worker log keeps the traceback.
        PackageJob.objects.filter(pk=job_id).update(
            state=PackageJob.State.FAILED, problems=[str(exc)], finished_at=timezone.now()
        )
        raise
