"""What a running handler reports: items done or failed, the total, the result file, heartbeats.

Every write is filtered on the job still being this attempt's running job. When that no longer holds
(the sweep marked it failed after a lost heartbeat, or it was retried), the write raises
``JobAbandoned`` and the handler stops: two runners never both finish the same job.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import IO, Any, TypeVar

from django.core.files import File
from django.db import OperationalError
from django.utils import timezone

from jixiao.jobs.models import Job


class JobFailed(Exception):
    """Raised by a handler: the job ends failed and ``reason`` is what the user reads (中文)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class JobAbandoned(Exception):
    """This runner no longer owns the job; stop without writing anything more."""


T = TypeVar("T")


def retry_locked(write: Callable[[], T], *, attempts: int = 6) -> T:
    """Run ``write`` again when SQLite says the database (or, with a shared cache, a table) is
    locked: the embedded runner writes from its own thread while requests write too. PostgreSQL
    never raises this, and any other error goes straight up."""
    for attempt in range(attempts):
        try:
            return write()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05 * 2**attempt)
    raise AssertionError("unreachable")


# A reason is shown on a page and kept in a JSON list: long tracebacks do not belong there.
MAX_REASON = 500


class JobProgress:
    def __init__(self, job: Job) -> None:
        self.job = job
        self.attempt = job.attempts
        self.total = job.total
        self.done = 0
        self.failures: list[dict[str, str]] = []

    @property
    def failed(self) -> int:
        return len(self.failures)

    def _update(self, **fields: Any) -> None:
        updated = retry_locked(
            lambda: Job.objects.filter(
                pk=self.job.pk, state=Job.State.RUNNING, attempts=self.attempt
            ).update(heartbeat_at=timezone.now(), **fields)
        )
        if not updated:
            raise JobAbandoned(self.job.pk)

    def set_total(self, total: int) -> None:
        self.total = total
        self._update(total=total)

    def item_done(self) -> None:
        self.done += 1
        self._update(done_count=self.done)

    def items_done(self, n: int) -> None:
        """``n`` items done at once: a job over a whole city (250,000 reports) says so per batch,
        not with one write per item."""
        self.done += n
        self._update(done_count=self.done)

    def item_failed(self, item: str, reason: str) -> None:
        self.failures.append({"item": item[:200], "reason": reason[:MAX_REASON]})
        self._update(failed_count=self.failed, failures=self.failures)

    def beat(self) -> None:
        """Say the runner is alive (for a long step between items)."""
        self._update()

    def save_result(self, name: str, content: IO[bytes], *, filename: str = "") -> None:
        """Store the result file through Django's storage (streamed from ``content``).

        ``name`` is what the download is called; ``filename`` the stored name (default: by id).
        A retry replaces an earlier attempt's file.
        """
        old = self.job.result.name if self.job.result else ""
        stored = filename or f"job-{self.job.pk}-{self.attempt}{_suffix(name)}"
        self.job.result.save(stored, File(content), save=False)
        try:
            self._update(result=self.job.result.name, result_name=name[:200])
        except JobAbandoned:
            self.job.result.delete(save=False)
            raise
        if old and old != self.job.result.name:
            self.job.result.storage.delete(old)


def _suffix(name: str) -> str:
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""
