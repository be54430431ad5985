"""批量生成 pages: queue a ZIP of a campaign's report packages, follow the job, download the result."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.campaigns.models import Campaign
from jixiao.documents.batch import request_packages
from jixiao.documents.models import PackageJob
from jixiao.evaluations.selectors import evaluations_visible_to


def _jobs_of(request: HttpRequest) -> QuerySet[PackageJob]:
    # A job is private to whoever asked for it: it holds documents of the units they could see.
    return PackageJob.objects.filter(requested_by_id=request.user.pk)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = list(_jobs_of(request)[:50])
    running = any(job.state in (PackageJob.State.QUEUED, PackageJob.State.RUNNING) for job in jobs)
    return render(request, "documents/jobs.html", {"jobs": jobs, "running": running})


@login_required
@require_POST
def request_campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Queue the packages of every evaluation of the campaign the user may see."""
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    ids = list(
        evaluations_visible_to(user=request.user)  # type: ignore[arg-type]
        .filter(campaign=campaign)
        .values_list("pk", flat=True)
    )
    if not ids:
        raise Http404
    request_packages(
        user=request.user,  # type: ignore[arg-type]
        evaluation_ids=ids,
        title=_("{title}：{count} 份自评材料").format(title=campaign.title, count=len(ids)),
    )
    messages.success(request, _("已开始批量生成，完成后可在此页下载。"))
    return redirect("documents:jobs")


@login_required
def job_download(request: HttpRequest, job_id: int) -> FileResponse:
    job = _jobs_of(request).filter(pk=job_id, state=PackageJob.State.DONE).first()
    if job is None or not job.result:
        raise Http404
    name = f"{job.title}.zip"
    response = FileResponse(job.result.open("rb"), content_type="application/zip")
    response["Content-Disposition"] = (
        f"attachment; filename=\"package-{job.pk}.zip\"; filename*=UTF-8''{quote(name)}"
    )
    return response
