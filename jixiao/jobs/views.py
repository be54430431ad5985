"""后台任务 pages: my jobs, one job's progress (polled by htmx), its result, a retry."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from jixiao.jobs import selectors, services
from jixiao.jobs.models import Job

PAGE = 50


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    services.sweep_stale_jobs()  # a job whose runner died says so when its list is opened
    jobs = list(selectors.jobs_visible_to(user=request.user)[:PAGE])  # type: ignore[arg-type]
    running = any(not job.finished for job in jobs)
    return render(request, "jobs/list.html", {"jobs": jobs, "running": running})


@login_required
def job_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    services.sweep_stale_jobs()
    job = selectors.job_for(user=request.user, job_id=job_id)  # type: ignore[arg-type]
    return render(request, "jobs/detail.html", {"job": job})


@login_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The progress card alone, for htmx to swap in every few seconds until the job ends."""
    services.sweep_stale_jobs()
    job = selectors.job_for(user=request.user, job_id=job_id)  # type: ignore[arg-type]
    return render(request, "jobs/_progress.html", {"job": job})


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = selectors.job_for(user=request.user, job_id=job_id)  # type: ignore[arg-type]
    if job.state != Job.State.DONE or not job.result:
        raise Http404
    name = job.result_name or str(job.result.name).rsplit("/", 1)[-1]
    response = FileResponse(job.result.open("rb"), content_type="application/octet-stream")
    if name.endswith(".zip"):
        response["Content-Type"] = "application/zip"
    response["Content-Disposition"] = (
        f'attachment; filename="job-{job.pk}{name[name.rfind(".") :] if "." in name else ""}"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    return response


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_for(user=request.user, job_id=job_id)  # type: ignore[arg-type]
    try:
        services.retry_job(user=request.user, job=job)  # type: ignore[arg-type]
    except services.RetryRefused as refused:
        messages.error(request, refused.reason)
    return redirect("jobs:detail", job_id=job.pk)
