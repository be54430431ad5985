"""The write path of background jobs: create and enqueue after commit, run, finish, retry, sweep.

Where a job runs is ``settings.JIXIAO_JOBS_RUNNER`` (see ``runner()``): a Celery worker when a broker
is configured, else a background thread of the web process with its own database connection, or
(tests) synchronously right after the commit. Never inside the request that asked for it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text
from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobAbandoned, JobFailed, JobProgress, retry_locked
from jixiao.jobs.registry import handler_for
from jixiao.organisations.models import User

logger = logging.getLogger(__name__)

# The reasons a user reads when the job itself could not run. Stored in Chinese (the source
# language, like every stored reason) and translated when shown.
QUEUE_UNAVAILABLE = gettext_noop("任务队列不可用，请稍后重试")
QUEUE_FALLBACK = gettext_noop(
    "任务队列暂时不可用，本任务改由网站服务直接运行，进度照常显示；如网站服务重启，任务会显示为失败，可重试"
)
INTERRUPTED = gettext_noop("服务中断，任务未完成，请重新发起")
NEVER_STARTED = gettext_noop("任务长时间未能开始（任务队列或服务中断），请重新发起")
INTERNAL_ERROR = gettext_noop("任务出错（{error}），未完成，请重试或联系系统管理员")
ALL_FAILED = gettext_noop("全部 {count} 项均未能完成，原因见下表")

RUNNERS = ("sync", "thread", "celery")


def runner() -> str:
    """``auto`` (the default) is Celery with a broker, a thread without one."""
    chosen = getattr(settings, "JIXIAO_JOBS_RUNNER", "auto")
    if chosen == "auto":
        return "celery" if settings.CELERY_BROKER_URL else "thread"
    if chosen not in RUNNERS:
        raise ValueError(f"JIXIAO_JOBS_RUNNER must be auto, {', '.join(RUNNERS)}: {chosen!r}")
    return str(chosen)


def subject_of(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def create_job(
    *,
    kind: str,
    title: str,
    requested_by: User | None,
    params: dict[str, Any] | None = None,
    subject: models.Model | None = None,
    total: int = 0,
) -> Job:
    """Record a job and hand it to the runner once the caller's transaction commits.

    Call it inside the transaction that makes the job necessary: if that rolls back, no job runs.
    """
    handler_for(kind)  # an unknown kind fails here, in the request, not later in a worker
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[:200],
            requested_by=requested_by,
            organisation_id=getattr(requested_by, "organisation_id", None),
            subject=subject_of(subject) if subject is not None else "",
            params=params or {},
            total=total,
        )
        record_event(
            actor=requested_by,
            action="job.create",
            target=job,
            summary=log_text("发起后台任务：{title}", title=job.title),
            details={"kind": kind, "total": total},
        )
        transaction.on_commit(partial(enqueue, job.pk))
    return job


def enqueue(job_id: int) -> None:
    """Start the job on the configured runner. A broker that cannot be reached ends it failed."""
    how = runner()
    if how == "sync":
        run_job(job_id)
    elif how == "thread":
        from jixiao.jobs.threads import start_in_thread

        start_in_thread(job_id)
    else:
        from jixiao.jobs.tasks import run_job_task

        try:
            # No publish retries: the broker's connect and socket timeouts (settings) bound this.
            run_job_task.apply_async(args=[job_id], retry=False)
        except Exception:
            logger.exception("could not enqueue job %s", job_id)
            if settings.JIXIAO_JOBS_BROKER_FALLBACK != "thread":
                fail_job(job_id=job_id, reason=QUEUE_UNAVAILABLE, states=(Job.State.QUEUED,))
                return
            # The broker is down: the job is not lost, it runs in this process's thread runner
            # (same progress page, same heartbeat) and its page says why.
            from jixiao.jobs.threads import start_in_thread

            retry_locked(
                lambda: Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
                    notice=QUEUE_FALLBACK
                )
            )
            start_in_thread(job_id)


def run_job(job_id: int, *, heartbeat: bool | None = None) -> Job | None:
    """Claim the queued job and run its handler; None when someone else has it (or it is over).

    The claim is one conditional UPDATE, so a job delivered twice runs once. The handler runs in the
    source language whoever asked, so what it stores (reasons, file names) reads the same for all.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _run_job(job_id, heartbeat=heartbeat)


def _run_job(job_id: int, *, heartbeat: bool | None) -> Job | None:
    job = retry_locked(lambda: _claim(job_id))
    if job is None:
        return None
    progress = JobProgress(job)
    if heartbeat is None:
        heartbeat = runner() != "sync"
    ticker = None
    if heartbeat:
        from jixiao.jobs.threads import Heartbeat

        ticker = Heartbeat(job.pk, job.attempts)
        ticker.start()
    try:
        handler_for(job.kind)(job, progress)
    except JobAbandoned:
        logger.warning("job %s was taken from this runner (attempt %s)", job.pk, job.attempts)
        return None
    except JobFailed as exc:
        return _finish(job, progress, failed_reason=exc.reason)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        return _finish(
            job,
            progress,
            failed_reason=_(INTERNAL_ERROR).format(error=type(exc).__name__),
        )
    finally:
        if ticker is not None:
            ticker.stop()
    return _finish(job, progress, failed_reason=None)


def _claim(job_id: int) -> Job | None:
    with transaction.atomic():
        now = timezone.now()
        claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING,
            attempts=F("attempts") + 1,
            started_at=now,
            heartbeat_at=now,
        )
        if not claimed:
            return None
        job = Job.objects.get(pk=job_id)
        record_event(
            actor=job.requested_by,
            action="job.start",
            target=job,
            summary=log_text("后台任务开始：{title}", title=job.title),
            details={"attempt": job.attempts},
        )
    return job


def _finish(job: Job, progress: JobProgress, *, failed_reason: str | None) -> Job | None:
    if failed_reason is None and progress.failed and not progress.done:
        failed_reason = _(ALL_FAILED).format(count=progress.failed)
    return retry_locked(lambda: _store_end(job, progress, failed_reason))


def _store_end(job: Job, progress: JobProgress, failed_reason: str | None) -> Job | None:
    state = Job.State.DONE if failed_reason is None else Job.State.FAILED
    with transaction.atomic():
        updated = Job.objects.filter(
            pk=job.pk, state=Job.State.RUNNING, attempts=progress.attempt
        ).update(
            state=state,
            done_count=progress.done,
            failed_count=progress.failed,
            failures=progress.failures,
            error=failed_reason or "",
            finished_at=timezone.now(),
            heartbeat_at=timezone.now(),
        )
        if not updated:
            return None
        job.refresh_from_db()
        if state == Job.State.DONE:
            summary = _("后台任务完成：{title}（成功 {done} 项，失败 {failed} 项）").format(
                title=job.title, done=job.done_count, failed=job.failed_count
            )
        else:
            summary = _("后台任务失败：{title}：{reason}").format(title=job.title, reason=job.error)
        record_event(
            actor=job.requested_by,
            action="job.done" if state == Job.State.DONE else "job.fail",
            target=job,
            summary=summary,
            details={
                "done": job.done_count,
                "failed": job.failed_count,
                "total": job.total,
                "error": job.error,
            },
        )
    return job


def fail_job(*, job_id: int, reason: str, states: tuple[str, ...], **conditions: Any) -> bool:
    """End a job that is in one of ``states`` (and meets ``conditions``) as failed with ``reason``
    (one of the constants above, stored untranslated)."""
    return retry_locked(lambda: _fail(job_id, reason, states, conditions))


def _fail(job_id: int, reason: str, states: tuple[str, ...], conditions: dict[str, Any]) -> bool:
    with transaction.atomic():
        now = timezone.now()
        updated = Job.objects.filter(pk=job_id, state__in=states, **conditions).update(
            state=Job.State.FAILED, error=reason, finished_at=now
        )
        if updated:
            job = Job.objects.get(pk=job_id)
            record_event(
                actor=None,
                action="job.fail",
                target=job,
                summary=log_text(
                    "后台任务失败：{title}：{reason}", title=job.title, reason=_(reason)
                ),
                details={"error": reason, "done": job.done_count, "total": job.total},
            )
    return bool(updated)


def sweep_stale_jobs(*, now: Any = None) -> int:
    """Fail running jobs whose runner stopped beating, and queued jobs nothing ever started.

    Cheap (two indexed queries); run when a job page opens, by Celery beat and by
    ``manage.py sweep_jobs``. The conditional update keeps a live runner's job untouched.
    """
    now = now or timezone.now()
    stale = now - timedelta(seconds=settings.JIXIAO_JOBS_STALE_SECONDS)
    never = now - timedelta(seconds=settings.JIXIAO_JOBS_QUEUE_TIMEOUT_SECONDS)
    swept = 0
    # The reads retry too: with SQLite's shared-cache test database a read of a table the runner
    # thread is writing answers "table is locked" at once, and this runs when a page opens.
    running = retry_locked(
        lambda: list(
            Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=stale).values_list(
                "pk", flat=True
            )[:500]
        )
    )
    queued = retry_locked(
        lambda: list(
            Job.objects.filter(state=Job.State.QUEUED, created_at__lt=never).values_list(
                "pk", flat=True
            )[:500]
        )
    )
    for job_id in running:
        # The condition is checked again in the UPDATE: the runner may have beaten since.
        swept += fail_job(
            job_id=job_id, reason=INTERRUPTED, states=(Job.State.RUNNING,), heartbeat_at__lt=stale
        )
    for job_id in queued:
        swept += fail_job(
            job_id=job_id, reason=NEVER_STARTED, states=(Job.State.QUEUED,), created_at__lt=never
        )
    return swept


class RetryRefused(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def retry_job(*, user: User, job: Job) -> Job:
    """Run a failed job (or one with failed items) again, as the same job: its new attempt replaces
    everything the earlier one wrote. The caller has checked that ``user`` may see the job."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if not (
            locked.state == Job.State.FAILED
            or (locked.state == Job.State.DONE and locked.failed_count)
        ):
            raise RetryRefused(_("只有失败或部分失败的任务可以重试"))
        previous = {"error": locked.error, "failed": locked.failed_count, "state": locked.state}
        from jixiao.jobs.parts import reopen_failed_parts

        reopen_failed_parts(locked)  # parts done without failures are kept, not redone
        locked.state = Job.State.QUEUED
        locked.done_count = 0
        locked.failed_count = 0
        locked.failures = []
        locked.error = ""
        locked.started_at = None
        locked.heartbeat_at = None
        locked.finished_at = None
        locked.created_at = timezone.now()  # the queue timeout counts from the retry
        locked.save()
        record_event(
            actor=user,
            action="job.retry",
            target=locked,
            summary=log_text("重试后台任务：{title}", title=locked.title),
            details=previous,
        )
        transaction.on_commit(partial(enqueue, locked.pk))
    return locked
