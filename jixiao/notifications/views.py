"""通知 pages: the inbox (keyset-paged), marking read, preferences, failed deliveries (bureau admin)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jixiao.notifications import selectors, services
from jixiao.notifications.forms import PreferencesForm
from jixiao.notifications.models import DigestChoice, Preference
from jixiao.web.bounded_numbers import query_id


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    rows, more = selectors.inbox_page(
        user=request.user,  # type: ignore[arg-type]
        before=query_id(request.GET.get("before", "")),
        unread_only=unread_only,
    )
    return render(
        request,
        "notifications/inbox.html",
        {"notifications": rows, "more": more, "unread_only": unread_only},
    )


@login_required
def badge(request: HttpRequest) -> HttpResponse:
    """The top bar's unread count (one COUNT), fetched by htmx after each page loads."""
    count = selectors.unread_count(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "notifications/_badge.html",
        {"count": count, "more": count > selectors.BADGE_CAP, "cap": selectors.BADGE_CAP},
    )


@login_required
@require_POST
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go where it points (an address inside this site only)."""
    notification = services.mark_read(
        user=request.user,  # type: ignore[arg-type]
        notification_id=notification_id,
    )
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    services.mark_read(user=request.user, notification_id=notification_id)  # type: ignore[arg-type]
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.mark_all_read(user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("已将 {count} 条通知标为已读").format(count=count))
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))  # type: ignore[misc]
    choice = DigestChoice.objects.filter(user=user).first()  # type: ignore[misc]
    form = PreferencesForm(
        request.POST or None,
        current=current,
        digest=bool(choice and choice.daily_digest),
        language=choice.mail_language if choice else "",
    )
    if request.method == "POST":
        if form.is_valid():
            services.save_preferences(
                user=user,  # type: ignore[arg-type]
                channels=form.channels(),
                daily_digest=form.cleaned_data["daily_digest"],
                mail_language=form.cleaned_data["mail_language"] or None,
            )
            messages.success(request, _("通知设置已保存"))
            return redirect("notifications:preferences")
        return render(request, "notifications/preferences.html", {"form": form}, status=400)
    return render(request, "notifications/preferences.html", {"form": form})


@login_required
def failures(request: HttpRequest) -> HttpResponse:
    """发送失败的通知 (财政管理员): each with its reason and a retry button."""
    rows, more = selectors.failed_deliveries(
        user=request.user,  # type: ignore[arg-type]
        before=query_id(request.GET.get("before", "")),
    )
    return render(request, "notifications/failures.html", {"deliveries": rows, "more": more})


@login_required
@require_POST
def retry(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = services.retry_delivery(user=request.user, delivery_id=delivery_id)  # type: ignore[arg-type]
    messages.success(
        request,
        _("已重新发送：{subject}（{address}）").format(
            subject=delivery.subject, address=delivery.address
        ),
    )
    return redirect("notifications:failures")
