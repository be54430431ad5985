"""Which function does the work of each kind of job.

An app registers its handlers in its ``jobs.py`` (imported by its AppConfig.ready)::

    @job_handler("documents.package")
    def build_package(job: Job, progress: JobProgress) -> None: ...

A handler reads its inputs from ``job.params``, reports each item through ``progress`` and raises
``JobFailed(reason)`` to end the job failed with a sentence the user reads. It must be safe to run
again from the start (a retry reruns it): it replaces what an earlier attempt wrote.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jixiao.jobs.models import Job
    from jixiao.jobs.progress import JobProgress

Handler = Callable[["Job", "JobProgress"], None]

_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        if _HANDLERS.get(kind, handler) is not handler:
            raise ValueError(f"job kind {kind!r} is registered twice")
        _HANDLERS[kind] = handler
        return handler

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"no job handler for kind {kind!r}") from None


def registered_kinds() -> list[str]:
    return sorted(_HANDLERS)
