"""Celery tasks of the job core (with a broker; see jixiao.jobs.services.runner)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jixiao.jobs.run_job", ignore_result=True)
def run_job_task(job_id: int) -> None:
    from jixiao.jobs.services import run_job

    run_job(job_id, heartbeat=True)


@shared_task(name="jixiao.jobs.sweep_stale_jobs", ignore_result=True)
def sweep_stale_jobs_task() -> int:
    from jixiao.jobs.services import sweep_stale_jobs

    return sweep_stale_jobs()


@shared_task(name="jixiao.jobs.help_job", ignore_result=True)
def help_job_task(job_id: int, attempt: int) -> int:
    """Another worker's share of a job in parts (jixiao.jobs.parts)."""
    from jixiao.jobs.parts import help_job

    return help_job(job_id, attempt)
