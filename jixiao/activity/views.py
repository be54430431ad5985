"""操作日志 page for the bureau admin: every recorded change, filterable."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.activity.models import Event


@login_required
def event_list(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", "") != "bureau_admin":
        raise Http404
    # The actor is shown as stored with the event (操作人快照), never joined to the account today.
    events = Event.objects.all()
    action = request.GET.get("action", "").strip()
    query = request.GET.get("q", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    if query:
        events = events.filter(summary__icontains=query)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    actions = sorted(
        {a.split(".")[0] for a in Event.objects.values_list("action", flat=True).distinct()}
    )
    return render(
        request,
        "activity/list.html",
        {"page": page, "action": action, "q": query, "actions": actions},
    )
