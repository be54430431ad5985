"""Job handlers used by the job core's tests (registered when this module is imported)."""

from __future__ import annotations

import io
import threading
import time

from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobFailed, JobProgress
from jixiao.jobs.registry import job_handler

CALLS: list[tuple[int, int, str]] = []  # (job id, attempt, thread name)


@job_handler("test.items")
def items(job: Job, progress: JobProgress) -> None:
    """Every item of params["items"]: "bad…" fails with a reason, the rest succeed."""
    CALLS.append((job.pk, job.attempts, threading.current_thread().name))
    names = job.params["items"]
    progress.set_total(len(names))
    for name in names:
        if name.startswith("bad"):
            progress.item_failed(name, f"{name} 无法处理")
        else:
            progress.item_done()
    progress.save_result("结果.txt", io.BytesIO("、".join(names).encode()))


@job_handler("test.refuse")
def refuse(job: Job, progress: JobProgress) -> None:
    raise JobFailed("输入不完整，无法开始")


@job_handler("test.crash")
def crash(job: Job, progress: JobProgress) -> None:
    raise ZeroDivisionError("internal detail the user must not read")


@job_handler("test.slow")
def slow(job: Job, progress: JobProgress) -> None:
    """Runs ``params["seconds"]`` in one step (no progress writes): only the heartbeat shows life."""
    CALLS.append((job.pk, job.attempts, threading.current_thread().name))
    progress.set_total(1)
    time.sleep(job.params["seconds"])
    progress.item_done()
