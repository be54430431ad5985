"""操作日志 page for the bureau admin: every recorded change, filterable, keyset-paged, exportable.

Read-only by construction: there is no view, form or API that changes or removes an entry.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jixiao.activity import selectors
from jixiao.activity.export import INLINE_ROWS, event_workbook
from jixiao.activity.forms import EventFilterForm
from jixiao.activity.jobs import request_log_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter_params(form: EventFilterForm) -> str:
    data = form.data
    return urlencode(
        [(k, data.get(k, "")) for k in form.fields if str(data.get(k, "") or "").strip()]
    )


@login_required
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    selectors.require_log_reader(request.user)
    form = EventFilterForm(request.GET)
    filters = form.event_filter()
    page = selectors.event_page(
        user=request.user,
        filters=filters,
        older_than=selectors.Cursor.parse(request.GET.get("older", "")),
        newer_than=selectors.Cursor.parse(request.GET.get("newer", "")),
    )
    return render(
        request,
        "activity/list.html",
        {"form": form, "page": page, "params": _filter_params(form)},
    )


@login_required
@require_GET
def event_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as xlsx (newest first, at most EXPORT_LIMIT rows): built here when small,
    by a background job when large (its page offers the file)."""
    selectors.require_log_reader(request.user)
    form = EventFilterForm(request.GET)
    events = selectors.filtered_events(user=request.user, filters=form.event_filter())
    rows = list(events.select_related("unit").order_by("-at", "-pk")[: INLINE_ROWS + 1])
    if len(rows) > INLINE_ROWS:
        query = {k: str(request.GET.get(k, ""))[:200] for k in form.fields if request.GET.get(k)}
        job = request_log_export(user=request.user, query=query)  # type: ignore[arg-type]
        messages.info(request, _("日志条目较多，Excel 在后台生成，完成后可在本页下载。"))
        return redirect("jobs:detail", job_id=job.pk)
    content = event_workbook(rows, more=False)
    response = HttpResponse(content, content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = (
        f'attachment; filename="activity-{stamp}.xlsx"; '
        f"filename*=UTF-8''{quote(f'操作日志-{stamp}.xlsx')}"
    )
    return response
