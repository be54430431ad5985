"""The refresh job of the 结果应用 table (registered by ResultsConfig.ready)."""

from __future__ import annotations

from jixiao.jobs.models import Job
from jixiao.jobs.progress import JobProgress
from jixiao.jobs.registry import job_handler
from jixiao.results.services import REFRESH_KIND, refresh_year


@job_handler(REFRESH_KIND)
def refresh_results(job: Job, progress: JobProgress) -> None:
    refresh_year(int(job.params["year"]), progress)
