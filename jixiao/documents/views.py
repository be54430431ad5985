"""批量生成: start a ZIP of a campaign's report packages; the job's page (jixiao.jobs) follows it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.campaigns.models import Campaign
from jixiao.documents.batch import request_packages
from jixiao.evaluations.selectors import evaluations_visible_to


@login_required
@require_POST
def request_campaign(request: HttpRequest, campaign_id: int) -> HttpResponse:
    """Queue the packages of every evaluation of the campaign the user may see; answer at once."""
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
    job = request_packages(
        user=request.user,  # type: ignore[arg-type]
        evaluation_ids=ids,
        title=_("{title}：{count} 份自评材料").format(title=campaign.title, count=len(ids)),
    )
    messages.success(request, _("已开始批量生成，本页显示进度，完成后可下载 ZIP。"))
    return redirect("jobs:detail", job_id=job.pk)
