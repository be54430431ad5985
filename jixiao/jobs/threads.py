"""The embedded runner (no broker): jobs in daemon threads of the web process, and the heartbeat.

Each thread opens its own database connection and closes it when done. At most
``JIXIAO_JOBS_THREADS`` jobs run at once; the rest wait, still 排队中. If the process dies, the
threads die with it and the job's heartbeat stops: the sweep then ends the job failed.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import connections
from django.utils import timezone

logger = logging.getLogger(__name__)

_slots_lock = threading.Lock()
_slots: threading.BoundedSemaphore | None = None


def _job_slots() -> threading.BoundedSemaphore:
    global _slots
    with _slots_lock:
        if _slots is None:
            _slots = threading.BoundedSemaphore(max(1, settings.JIXIAO_JOBS_THREADS))
        return _slots


def start_in_thread(job_id: int) -> threading.Thread:
    thread = threading.Thread(
        target=_run_in_thread, args=(job_id,), name=f"jixiao-job-{job_id}", daemon=True
    )
    thread.start()
    return thread


def _run_in_thread(job_id: int) -> None:
    from jixiao.jobs.services import run_job

    try:
        with _job_slots():
            run_job(job_id, heartbeat=True)
    except Exception:  # run_job records the handler's errors; this is the runner's own
        logger.exception("job thread for %s crashed", job_id)
    finally:
        connections.close_all()


class Heartbeat:
    """Beats ``heartbeat_at`` every JIXIAO_JOBS_HEARTBEAT_SECONDS while the handler runs, so one long
    step (a large PDF) never looks like a dead runner; it dies with the process that runs the job."""

    def __init__(self, job_id: int, attempt: int) -> None:
        self.job_id = job_id
        self.attempt = attempt
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name=f"jixiao-job-{job_id}-heartbeat", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        from jixiao.jobs.models import Job

        interval = max(1, settings.JIXIAO_JOBS_HEARTBEAT_SECONDS)
        try:
            while not self._stop.wait(interval):
                try:
                    alive = Job.objects.filter(
                        pk=self.job_id, state=Job.State.RUNNING, attempts=self.attempt
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # a busy SQLite file: the next beat tries again
                    logger.warning("heartbeat of job %s failed", self.job_id, exc_info=True)
                    continue
                if not alive:
                    return
        finally:
            connections.close_all()
