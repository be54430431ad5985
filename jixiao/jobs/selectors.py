"""Reading jobs. A job is its requester's: it holds what their organisation's scope let them see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from jixiao.jobs.models import Job
from jixiao.organisations.models import User


def jobs_visible_to(*, user: User) -> QuerySet[Job]:
    # Same organisation as when asked: someone moved to another unit loses the old unit's files.
    if user.organisation_id is None:
        return Job.objects.filter(requested_by_id=user.pk, organisation__isnull=True)
    return Job.objects.filter(requested_by_id=user.pk, organisation_id=user.organisation_id)


def job_for(*, user: User, job_id: int) -> Job:
    job = jobs_visible_to(user=user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def latest_job(*, kind: str, subject: str) -> Job | None:
    """The newest job of ``kind`` about ``subject`` (``services.subject_of``); the caller scopes."""
    return Job.objects.filter(kind=kind, subject=subject).order_by("-created_at", "-pk").first()


def export_requester(job: Job) -> User:
    """The person an export job works for, if they still may: active and in the organisation
    they asked from (their scope then); otherwise the job fails saying why."""
    from django.utils.translation import gettext as _

    from jixiao.jobs.progress import JobFailed

    user = job.requested_by
    if user is None or not user.is_active or user.organisation_id != job.organisation_id:
        raise JobFailed(_("发起人已不在原单位，不能导出"))
    return user
