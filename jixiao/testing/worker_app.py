"""The Celery app as a worker of the fault tests runs it: the real app and tasks, with each report
package taking ``JIXIAO_TEST_RENDER_SECONDS`` longer, so a test can kill the worker mid-batch.

    celery -A jixiao.testing.worker_app worker -P solo

Test-only: nothing in the project imports it.
"""

from __future__ import annotations

import os
import time

from celery.signals import worker_process_init, worker_ready

from config.celery import app

__all__ = ["app"]


def _slow_down(**_: object) -> None:
    from jixiao.documents import batch

    seconds = float(os.environ.get("JIXIAO_TEST_RENDER_SECONDS", "0"))
    real = batch.render_package

    def render(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(seconds)
        return real(*args, **kwargs)

    batch.render_package = render  # type: ignore[assignment]


worker_process_init.connect(_slow_down, weak=False)  # prefork children
worker_ready.connect(_slow_down, weak=False)  # -P solo: the worker itself
