"""A health-check task: proves a worker is consuming the broker (used by the Redis test and ops)."""

from __future__ import annotations

from celery import shared_task


@shared_task
def ping() -> str:
    return "pong"
