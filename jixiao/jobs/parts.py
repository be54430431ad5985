"""Jobs in parts: a long job cut into slices (批量生成: at most N units of one department each) that
runners claim one at a time, write to a temporary file, store, and mark done.

Why parts:
- a retry resumes: parts already done keep their stored file and are not redone;
- several Celery workers share one job: the job's own runner publishes helper tasks
  (``JIXIAO_JOBS_FANOUT``) that claim pending parts too, and it waits for the last one;
- a runner that died on a part is seen by the part's heartbeat going stale, and the part is redone
  whole by another runner (its half-written temporary file died with it: nothing half-written is
  ever stored).

A kind registers ``@part_worker(kind)``: ``do_part(job, part, progress, spool)`` writes the part's
output to ``spool`` (a temporary file) and reports each item through ``progress``. The kind's job
handler calls ``run_parts`` after planning with ``plan_parts``, then assembles the result from the
parts' files.
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import timedelta
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Func, IntegerField
from django.utils import timezone, translation

from jixiao.jobs.models import Job, JobPart
from jixiao.jobs.progress import MAX_REASON, JobAbandoned, JobProgress, retry_locked

logger = logging.getLogger(__name__)


class PartProgress:
    """What a runner reports while it does one part: each item counts on the job's page at once."""

    def __init__(self, part: JobPart, token: str, attempt: int) -> None:
        self.part = part
        self.token = token
        self.attempt = attempt
        self.done = 0
        self.failures: list[dict[str, str]] = []

    def _count(self, **fields: object) -> None:
        now = timezone.now()

        def write() -> None:
            with transaction.atomic():
                held = JobPart.objects.filter(
                    pk=self.part.pk, state=JobPart.State.RUNNING, claim=self.token
                ).update(heartbeat_at=now)
                alive = Job.objects.filter(
                    pk=self.part.job_id, state=Job.State.RUNNING, attempts=self.attempt
                ).update(heartbeat_at=now, **fields)
                if not (held and alive):
                    raise JobAbandoned(self.part.job_id)

        retry_locked(write)

    def item_done(self) -> None:
        self.done += 1
        self._count(done_count=F("done_count") + 1)

    def item_failed(self, item: str, reason: str) -> None:
        self.failures.append({"item": item[:200], "reason": reason[:MAX_REASON]})
        self._count(failed_count=F("failed_count") + 1)

    def beat(self) -> None:
        self._count()


PartWork = Callable[[Job, JobPart, PartProgress, IO[bytes]], None]
_PART_WORKERS: dict[str, PartWork] = {}


def part_worker(kind: str) -> Callable[[PartWork], PartWork]:
    def register(work: PartWork) -> PartWork:
        _PART_WORKERS[kind] = work
        return work

    return register


def plan_parts(job: Job, slices: Iterable[tuple[str, list[int]]]) -> list[JobPart]:
    """Cut the job into parts once; a retry keeps the existing plan (and what is done of it)."""
    existing = list(JobPart.objects.filter(job=job).order_by("index"))
    if existing:
        return existing
    parts = [
        JobPart(job=job, index=index, label=label[:200], items=list(items))
        for index, (label, items) in enumerate(slices)
    ]
    retry_locked(lambda: JobPart.objects.bulk_create(parts))
    return list(JobPart.objects.filter(job=job).order_by("index"))


def chunked(
    groups: Iterable[tuple[str, list[int]]], size: int, *, more: str
) -> list[tuple[str, list[int]]]:
    """Slices of at most ``size`` items; a group larger than that is cut into ``more``-labelled
    pieces ("{label}（{n}）")."""
    size = max(1, size)
    slices: list[tuple[str, list[int]]] = []
    for label, items in groups:
        for n, start in enumerate(range(0, len(items), size), start=1):
            slices.append(
                (label if n == 1 else more.format(label=label, n=n), items[start : start + size])
            )
    return slices


class ItemCount(Func):
    """How many items a part holds (the length of its JSON list), computed by the database."""

    function = "json_array_length"  # SQLite
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)


def _stale_before() -> object:
    return timezone.now() - timedelta(seconds=settings.JIXIAO_JOBS_STALE_SECONDS)


def claim_next(job_id: int, attempt: int) -> tuple[JobPart, str] | None:
    """Take the next pending part (or one whose runner stopped beating); None when none is left."""
    while True:
        if not Job.objects.filter(pk=job_id, state=Job.State.RUNNING, attempts=attempt).exists():
            raise JobAbandoned(job_id)
        # The largest pending part first: the runners then end on the small ones, so the last of
        # them finishes at most one small part after the others (in index order a department of
        # 100 units claimed last kept one worker busy alone for its whole length).
        candidate = (
            JobPart.objects.filter(job_id=job_id, state=JobPart.State.PENDING)
            .order_by(ItemCount("items").desc(), "index")
            .first()
        ) or (
            JobPart.objects.filter(
                job_id=job_id, state=JobPart.State.RUNNING, heartbeat_at__lt=_stale_before()
            )
            .order_by("index")
            .first()
        )
        if candidate is None:
            return None
        token = uuid.uuid4().hex
        taken = retry_locked(
            lambda c=candidate, t=token: JobPart.objects.filter(  # type: ignore[misc]
                pk=c.pk, state=c.state, claim=c.claim
            ).update(
                state=JobPart.State.RUNNING,
                claim=t,
                heartbeat_at=timezone.now(),
                runs=F("runs") + 1,
            )
        )
        if taken:
            candidate.refresh_from_db()
            return candidate, token


def _run_part(job: Job, part: JobPart, token: str, attempt: int) -> None:
    """Do one part into a temporary file and store it; on any error the part goes back to pending
    and nothing of it is kept."""
    work = _PART_WORKERS[job.kind]
    progress = PartProgress(part, token, attempt)
    storage = part.file.storage
    earlier = part.file.name or ""  # a part reopened by a retry replaces its file
    stored = ""
    try:
        with tempfile.TemporaryFile(suffix=".part") as spool:
            work(job, part, progress, spool)
            spool.seek(0)
            stored = storage.save(f"jobs/parts/job-{job.pk}-part-{part.index}.zip", File(spool))
        finished = retry_locked(
            lambda: JobPart.objects.filter(
                pk=part.pk, state=JobPart.State.RUNNING, claim=token
            ).update(
                state=JobPart.State.DONE,
                claim="",
                file=stored,
                done_count=progress.done,
                failures=progress.failures,
                heartbeat_at=timezone.now(),
            )
        )
        if not finished:
            raise JobAbandoned(job.pk)
    except BaseException:
        if stored:
            storage.delete(stored)
        _release(part, token, progress, attempt)
        raise
    if earlier and earlier != stored:
        storage.delete(earlier)


def _release(part: JobPart, token: str, progress: PartProgress, attempt: int) -> None:
    """Give the part back (to be redone whole) and take its items off the job's live counts. Best
    effort: with the database gone the part's heartbeat goes stale and the sweep does the rest."""
    try:
        with transaction.atomic():
            JobPart.objects.filter(pk=part.pk, claim=token).update(
                state=JobPart.State.PENDING, claim=""
            )
            Job.objects.filter(pk=part.job_id, state=Job.State.RUNNING, attempts=attempt).update(
                done_count=F("done_count") - progress.done,
                failed_count=F("failed_count") - len(progress.failures),
            )
    except Exception:
        logger.warning("could not release part %s of job %s", part.index, part.job_id)


def work_on(job: Job, attempt: int) -> int:
    """Claim and do parts of ``job`` until none is pending; how many this runner did."""
    count = 0
    while (claimed := claim_next(job.pk, attempt)) is not None:
        part, token = claimed
        _run_part(job, part, token, attempt)
        count += 1
    return count


def run_parts(job: Job, progress: JobProgress) -> list[JobPart]:
    """The job's own runner: resume the plan, share it with helpers, wait until every part is done.

    Returns the parts (all done), with the job's counts and failures set from them.
    """
    attempt = progress.attempt
    # Parts a runner of an earlier attempt held are redone; parts done stay done.
    retry_locked(
        lambda: JobPart.objects.filter(job=job, state=JobPart.State.RUNNING).update(
            state=JobPart.State.PENDING, claim=""
        )
    )
    _sum_into(progress, list(JobPart.objects.filter(job=job)))
    progress._update(done_count=progress.done, failed_count=progress.failed)
    pending = JobPart.objects.filter(job=job, state=JobPart.State.PENDING).count()
    _publish_helpers(job, attempt, min(pending - 1, settings.JIXIAO_JOBS_FANOUT))
    poll = 0.2
    try:
        while True:
            work_on(job, attempt)
            parts = list(JobPart.objects.filter(job=job).order_by("index"))
            if all(part.state == JobPart.State.DONE for part in parts):
                break
            progress.beat()  # a helper holds the rest: wait for it (or its heartbeat to go stale)
            time.sleep(poll)
            # Checked often: the assembly waits for this loop to see the helpers' last part.
            poll = min(0.5, poll * 1.5)
    except Exception:
        # The job ends failed: its counts say what the parts done hold (best effort).
        try:
            _sum_into(progress, list(JobPart.objects.filter(job=job)))
        except Exception:
            logger.warning("could not count the parts of job %s", job.pk)
        raise
    _sum_into(progress, parts)
    progress._update(
        done_count=progress.done, failed_count=progress.failed, failures=progress.failures
    )
    return parts


def _sum_into(progress: JobProgress, parts: list[JobPart]) -> None:
    done = [part for part in parts if part.state == JobPart.State.DONE]
    progress.done = sum(part.done_count for part in done)
    progress.failures = [failure for part in done for failure in part.failures]


def _publish_helpers(job: Job, attempt: int, count: int) -> None:
    from jixiao.jobs.services import runner

    if count <= 0 or runner() != "celery":
        return
    from jixiao.jobs.tasks import help_job_task

    for _n in range(count):
        try:
            help_job_task.apply_async(args=[job.pk, attempt], retry=False)
        except Exception:  # the job's own runner does every part then
            logger.warning("could not publish a helper for job %s", job.pk, exc_info=True)
            return


def help_job(job_id: int, attempt: int) -> int:
    """A helper task: do pending parts of a running job, then stop. Never finishes the job."""
    job = Job.objects.filter(pk=job_id, state=Job.State.RUNNING, attempts=attempt).first()
    if job is None or job.kind not in _PART_WORKERS:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        try:
            return work_on(job, attempt)
        except JobAbandoned:
            return 0
        except Exception:
            logger.exception("helper of job %s stopped", job_id)
            return 0


def reopen_failed_parts(job: Job) -> None:
    """Before a retry: parts with failed items are redone (with the others kept)."""
    for part in JobPart.objects.filter(job=job, state=JobPart.State.DONE):
        if part.failures:
            part.state = JobPart.State.PENDING
            part.save(update_fields=["state"])
