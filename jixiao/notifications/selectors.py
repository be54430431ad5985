"""Reads of notifications: a person's own inbox, and the failed deliveries for the bureau admin."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from jixiao.notifications.models import Delivery, Notification
from jixiao.organisations.models import Role, User

INBOX_PAGE = 30
FAILURES_PAGE = 50


# The badge says "99+" past this: it is fetched after every page, and a reviewer of a province
# has tens of thousands unread (a COUNT of them all read that many index entries each time).
BADGE_CAP = 99


def unread_count(*, user: User) -> int:
    """The top bar's badge: one COUNT on the partial index of unread rows, of at most
    BADGE_CAP + 1 of them (more reads as BADGE_CAP + 1: "99+")."""
    if not user.is_authenticated:
        return 0
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread[: BADGE_CAP + 1].count()


def inbox_page(
    *, user: User, before: int | None = None, unread_only: bool = False
) -> tuple[list[Notification], int | None]:
    """One page of the person's notifications, newest first, and the id to continue before
    (keyset: no OFFSET, whatever the page)."""
    shown = Notification.objects.filter(recipient=user)
    if unread_only:
        shown = shown.filter(read_at__isnull=True)
    if before is not None:
        shown = shown.filter(pk__lt=before)
    rows = list(shown.order_by("-id")[: INBOX_PAGE + 1])
    more = rows[INBOX_PAGE - 1].pk if len(rows) > INBOX_PAGE else None
    return rows[:INBOX_PAGE], more


def notification_for(*, user: User, notification_id: int) -> Notification:
    notification = Notification.objects.filter(recipient=user, pk=notification_id).first()
    if notification is None:
        raise Http404
    return notification


def require_bureau_admin(user: User) -> None:
    if not (user.is_authenticated and user.is_active and user.role == Role.BUREAU_ADMIN):
        raise Http404


def failed_deliveries(
    *, user: User, before: int | None = None
) -> tuple[list[Delivery], int | None]:
    """发送失败的通知, newest first, for the bureau admin (everyone's: the bureau runs the mail)."""
    require_bureau_admin(user)
    shown: QuerySet[Delivery] = Delivery.objects.filter(state=Delivery.State.FAILED).select_related(
        "recipient", "recipient__organisation"
    )
    if before is not None:
        shown = shown.filter(pk__lt=before)
    rows = list(shown.order_by("-id")[: FAILURES_PAGE + 1])
    more = rows[FAILURES_PAGE - 1].pk if len(rows) > FAILURES_PAGE else None
    return rows[:FAILURES_PAGE], more


def failed_delivery_for(*, user: User, delivery_id: int, for_update: bool = False) -> Delivery:
    require_bureau_admin(user)
    shown = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.FAILED)
    if for_update:
        shown = shown.select_for_update()
    delivery = shown.first()
    if delivery is None:
        raise Http404
    return delivery
