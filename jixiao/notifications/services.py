"""The write path of notifications: store a notification once per person and key, hand what goes
outside the app to deliveries, send those exactly once, hold them for the daily digest.

``notify`` is the API other apps call (整改, 监控); ``remind_deadlines`` and ``send_digests`` are the
daily jobs (Celery beat, or ``manage.py notifications_tick`` from cron). Every function takes
``now`` so tests (and the benchmark) run them on a fake clock.
"""

from __future__ import annotations

import logging
import secrets
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import close_old_connections, connection, models, transaction
from django.db.models import F, Q, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text, stored_form, summary_in_language
from jixiao.jobs.progress import retry_locked
from jixiao.notifications import kinds
from jixiao.notifications.kinds import Channel
from jixiao.notifications.models import Delivery, DigestChoice, Notification, Preference
from jixiao.organisations.models import User

logger = logging.getLogger(__name__)

# A sender holds the rows it claimed this long; a worker that died frees them when it ends.
LEASE = timedelta(minutes=15)
# Rows claimed at once (each is sent and marked sent on its own, so a death loses none).
CLAIM_BATCH = 50
# Attempts before a delivery is failed for good (listed for the bureau admin); the waits between
# them grow fourfold from BACKOFF: 1, 4, 16, 64 minutes.
MAX_ATTEMPTS = 5
BACKOFF = timedelta(minutes=1)
# Rows written per statement by the bulk writers (reminders for tens of thousands of people).
WRITE_BATCH = 1000


@dataclass(frozen=True)
class Message:
    """One notification for one person, before it is stored. ``title`` and ``body`` are best made
    with log_text() (Chinese, keeping the template), so each reader gets them in their language."""

    recipient_id: int
    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""
    target_type: str = ""
    target_id: str = ""


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters; a log_text() sentence that fits keeps its template
    (a cut one is kept as the plain Chinese it was)."""
    return text if len(text) <= limit else str(text)[:limit]


def in_language(text: str, language: str = "") -> str:
    """A title or body in ``language`` (blank: the source language, Chinese)."""
    stored = stored_form(text)
    if not language or language == settings.LANGUAGE_CODE or stored is None:
        return str(text)
    with translation.override(language):
        return summary_in_language(str(text), stored)


def object_ref(obj: models.Model | None) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower[:40], str(obj.pk)[:40]


def notify(
    *,
    kind: str,
    recipients: Iterable[User | int],
    obj: models.Model | None = None,
    title: str,
    key: str,
    url: str = "",
    body: str = "",
    now: datetime | None = None,
) -> int:
    """Notify each recipient once per ``key``: in the inbox, and by email or SMS as each chose.

    ``key`` names the occasion (``rectification:12:assigned``); calling again with the same key
    adds nothing for whoever has it already, so a job that runs twice notifies once. Inactive
    accounts are skipped. Sending happens after the caller's transaction commits, outside the
    request. Returns how many people were addressed.
    """
    if not kinds.is_kind(kind):
        raise ValueError(f"unknown notification kind {kind!r} (register it in kinds.py)")
    target_type, target_id = object_ref(obj)
    ids = sorted({r if isinstance(r, int) else r.pk for r in recipients})
    messages = [
        Message(
            recipient_id=uid,
            kind=kind,
            key=key,
            title=clip(title, 200),
            body=body,
            url=url[:300],
            target_type=target_type,
            target_id=target_id,
        )
        for uid in ids
    ]
    store_messages(messages, now=now)
    return len(messages)


def store_messages(
    messages: Sequence[Message], *, now: datetime | None = None, dispatch: bool = True
) -> None:
    """Store the notifications and their deliveries in bulk (existing keys are kept as they are),
    and (``dispatch``) start sending after the commit."""
    now = now or timezone.now()
    when = now

    def store() -> None:
        # Chinese unless a recipient chose otherwise, whatever the acting user's UI language.
        with transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
            for start in range(0, len(messages), WRITE_BATCH):
                _store_batch(messages[start : start + WRITE_BATCH], when)
            if dispatch:
                transaction.on_commit(dispatch_deliveries)

    # Rows already stored are skipped on a second try, so a write that met SQLite's lock (the
    # sender thread writing) is simply run again; inside a caller's transaction it runs once.
    if connection.in_atomic_block:
        store()
    else:
        retry_locked(store)


def _store_batch(messages: Sequence[Message], now: datetime) -> None:
    ids = {m.recipient_id for m in messages}
    kinds_used = {m.kind for m in messages}
    people = {
        pk: (email, phone, bool(digest), language or "")
        for pk, email, phone, digest, language in User.objects.filter(
            pk__in=ids, is_active=True
        ).values_list(
            "pk",
            "email",
            "phone",
            "notification_digest__daily_digest",
            "notification_digest__mail_language",
        )
    }
    chosen = {
        (uid, kind): channel
        for uid, kind, channel in Preference.objects.filter(
            user_id__in=ids, kind__in=kinds_used
        ).values_list("user_id", "kind", "channel")
    }
    defaults = {k.code: k.default for k in kinds.kinds()}
    notifications: list[Notification] = []
    deliveries: list[Delivery] = []
    for m in messages:
        person = people.get(m.recipient_id)
        if person is None:
            continue
        email, phone, digest, language = person
        channel = chosen.get((m.recipient_id, m.kind)) or defaults.get(m.kind, Channel.APP)
        if channel == Channel.NONE:
            continue
        notifications.append(
            Notification(
                recipient_id=m.recipient_id,
                kind=m.kind,
                key=m.key[:200],
                target_type=m.target_type,
                target_id=m.target_id,
                title=m.title,
                title_text=stored_form(m.title),
                body=m.body,
                body_text=stored_form(m.body),
                url=m.url,
                created_at=now,
            )
        )
        if channel == Channel.EMAIL and email:
            # The mail in the recipient's chosen language, else Chinese (the source language).
            with _language(language):
                title = in_language(m.title, language)
                subject = _("【绩效】{title}").format(title=title)[:200]
                body = mail_body(m, language)
            deliveries.append(
                Delivery(
                    recipient_id=m.recipient_id,
                    kind=m.kind,
                    key=m.key[:200],
                    channel=Delivery.Channel.EMAIL,
                    address=email,
                    subject=subject,
                    body=body,
                    for_digest=digest,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
        elif channel == Channel.SMS and phone:
            with _language(language):
                title = in_language(m.title, language)
                text = _("【绩效】{title}").format(title=title)
            deliveries.append(
                Delivery(
                    recipient_id=m.recipient_id,
                    kind=m.kind,
                    key=m.key[:200],
                    channel=Delivery.Channel.SMS,
                    address=phone,
                    subject=title[:200],
                    body=text,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)


def absolute_url(url: str) -> str:
    if not url or "://" in url:
        return url
    return settings.JIXIAO_SITE_URL.rstrip("/") + "/" + url.lstrip("/")


@contextmanager
def _language(language: str) -> Iterator[None]:
    """The recipient's language for what is written to them; the caller's (Chinese) otherwise,
    without switching per message for the many who chose nothing."""
    if not language or language == translation.get_language():
        yield
        return
    with translation.override(language):
        yield


def mail_body(m: Message, language: str = "") -> str:
    parts = [in_language(m.title, language)]
    if m.body:
        parts.append(in_language(m.body, language))
    if m.url:
        parts.append(_("查看：{url}").format(url=absolute_url(m.url)))
    parts.append(_("（本邮件由预算绩效自评系统自动发送；接收方式可在系统的“通知设置”中更改。）"))
    return "\n\n".join(parts)


# --- sending -------------------------------------------------------------------------------------


_HELD = threading.local()


@contextmanager
def sending_held() -> Iterator[None]:
    """Store notifications without starting a sender while this runs (the demo's load: hundreds
    of past steps at once, in a process that exits right after). What is held stays pending and is
    sent by the next sender (the web process's first notification, beat, or notifications_tick)."""
    _HELD.on = True
    try:
        yield
    finally:
        _HELD.on = False


def dispatch_deliveries() -> None:
    """Send what is due on the configured runner: a Celery task with a broker, else a background
    thread (the embedded default), or at once (tests). Never inside a request."""
    from jixiao.jobs.services import runner

    if getattr(_HELD, "on", False):
        return
    how = runner()
    if how == "sync":
        deliver_due()
    elif how == "thread":
        _wake_sender_thread()
    else:
        from jixiao.notifications.tasks import deliver_due_task

        try:
            deliver_due_task.apply_async(retry=False)
        except Exception:
            # The rows stay pending: beat's next run (every minute) sends them.
            logger.exception("could not enqueue the notification sender")


# The embedded runner keeps at most one sender thread per process: a burst of notifications (a
# bulk approval, the demo's load) wakes it again rather than starting a thread each, which on SQLite
# would only queue for the write lock.
_sender_running = threading.Lock()
_sender_wanted = threading.Event()


def _wake_sender_thread() -> None:
    _sender_wanted.set()
    if _sender_running.acquire(blocking=False):
        threading.Thread(target=_sender_thread, name="jixiao-notify", daemon=True).start()


def _sender_thread() -> None:
    close_old_connections()
    try:
        while _sender_wanted.is_set():
            _sender_wanted.clear()
            try:
                deliver_due()
            except Exception:
                logger.exception("sending notifications failed")
    finally:
        connection.close()
        _sender_running.release()
    if _sender_wanted.is_set():  # woken between the last run and the release
        _wake_sender_thread()


def _claim(now: datetime) -> list[Delivery]:
    """Take up to CLAIM_BATCH due rows for this sender (a lease), skipping rows another holds."""
    due = Delivery.objects.filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now),
        state=Delivery.State.PENDING,
        for_digest=False,
        next_attempt_at__lte=now,
    )
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            locked = due.order_by("next_attempt_at", "id").select_for_update(skip_locked=True)
            ids = list(locked.values_list("pk", flat=True)[:CLAIM_BATCH])
            if not ids:
                return []
            Delivery.objects.filter(pk__in=ids).update(claimed_until=now + LEASE)
        return list(Delivery.objects.filter(pk__in=ids).order_by("id"))
    # SQLite: one UPDATE statement takes the write lock before it reads, so the sender thread never
    # holds a read lock while waiting to write (the deadlock SQLite answers with "database is
    # locked" to whoever else is writing); the token finds the rows this claim took.
    token = secrets.token_hex(8)
    batch = due.order_by("next_attempt_at", "id").values("pk")[:CLAIM_BATCH]
    claimed = retry_locked(
        lambda: due.filter(pk__in=Subquery(batch)).update(
            claimed_until=now + LEASE, claim_token=token
        )
    )
    if not claimed:
        return []
    return list(
        Delivery.objects.filter(claim_token=token, state=Delivery.State.PENDING).order_by("id")
    )


def deliver_due(*, now: datetime | None = None) -> int:
    """Send every due pending delivery once; returns how many were sent.

    Each row is marked sent right after its message is handed over, so a worker that dies loses
    at most the one message in flight (its lease runs out and the next run sends it).
    """
    sent = 0
    with translation.override(settings.LANGUAGE_CODE), _commits_without_waiting_for_disk():
        while True:
            current = now or timezone.now()
            batch = _claim(current)
            if not batch:
                return sent
            sent += _send_batch(batch, current)


def _send_batch(batch: list[Delivery], now: datetime) -> int:
    sent = 0
    mail = None
    sms = None
    try:
        for delivery in batch:
            try:
                if delivery.channel == Delivery.Channel.EMAIL:
                    if mail is None:
                        mail = get_connection(fail_silently=False)
                        mail.open()
                    EmailMessage(
                        subject=delivery.subject,
                        body=delivery.body,
                        to=[delivery.address],
                        connection=mail,
                    ).send(fail_silently=False)
                else:
                    if sms is None:
                        from jixiao.notifications.sms import sms_sender

                        sms = sms_sender()
                    sms.send(phone=delivery.address, text=delivery.body)
            except Exception as exc:
                logger.warning("delivery %s failed: %r", delivery.pk, exc)
                _failed_attempt(delivery, exc, now)
                if mail is not None:  # start the next message on a fresh connection
                    _close_quietly(mail)
                    mail = None
                continue
            _mark_sent(delivery.pk, now)
            sent += 1
    finally:
        if mail is not None:
            _close_quietly(mail)
    return sent


def _mark_sent(delivery_id: int, now: datetime) -> None:
    """Record one message as sent, in its own commit (autocommit: one round trip), so a worker that
    dies next loses nothing."""
    retry_locked(
        lambda: Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING).update(
            state=Delivery.State.SENT,
            sent_at=now,
            claimed_until=None,
            attempts=F("attempts") + 1,
            last_error="",
        )
    )


@contextmanager
def _commits_without_waiting_for_disk() -> Iterator[None]:
    """On PostgreSQL, this connection's commits do not wait for the WAL to reach the disk while
    the sender runs (``synchronous_commit`` off, reset after). A committed row is in the server the
    moment the commit returns, so a worker that dies loses nothing; only a crash of the database
    server itself within a fraction of a second could forget a "sent" (and send that mail again).
    Waiting for the disk cost ~10 ms a message (docs/decisions.md, Measurements)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _close_quietly(mail: Any) -> None:
    try:
        mail.close()
    except Exception:
        logger.warning("closing the mail connection failed", exc_info=True)


def failure_reason(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}"[:500] if text else type(exc).__name__


def _failed_attempt(delivery: Delivery, exc: Exception, now: datetime) -> None:
    attempts = delivery.attempts + 1
    changes: dict[str, Any] = {
        "attempts": attempts,
        "last_error": failure_reason(exc),
        "claimed_until": None,
    }
    if attempts >= MAX_ATTEMPTS:
        changes["state"] = Delivery.State.FAILED
    else:
        changes["next_attempt_at"] = now + BACKOFF * (4 ** (attempts - 1))
    retry_locked(
        lambda: Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.PENDING).update(
            **changes
        )
    )


def retry_delivery(*, user: User, delivery_id: int) -> Delivery:
    """The bureau admin sends a failed delivery again (from the failures page)."""
    from jixiao.notifications.selectors import failed_delivery_for

    with transaction.atomic():
        delivery = failed_delivery_for(user=user, delivery_id=delivery_id, for_update=True)
        delivery.state = Delivery.State.PENDING
        delivery.attempts = 0
        delivery.next_attempt_at = timezone.now()
        delivery.claimed_until = None
        delivery.save(update_fields=["state", "attempts", "next_attempt_at", "claimed_until"])
        record_event(
            actor=user,
            action="notification.retry",
            target=delivery,
            target_label=f"{delivery.address} {delivery.subject}",
            summary=log_text(
                "重新发送通知：{subject}（{address}）",
                subject=delivery.subject,
                address=delivery.address,
            ),
            details={"last_error": delivery.last_error, "channel": delivery.channel},
        )
        transaction.on_commit(dispatch_deliveries)
    return delivery


# --- daily digest --------------------------------------------------------------------------------


def send_digests(*, now: datetime | None = None) -> int:
    """每日汇总: fold each person's held mails into one mail, then send it. Returns the number of
    digest mails made. Running it twice sends nothing twice: the held rows are marked sent in the
    same transaction that creates their digest."""
    now = now or timezone.now()
    made = 0
    with translation.override(settings.LANGUAGE_CODE):
        waiting = (
            Delivery.objects.filter(
                state=Delivery.State.PENDING, for_digest=True, created_at__lte=now
            )
            .order_by()
            .values_list("recipient_id", flat=True)
            .distinct()
        )
        for recipient_id in list(waiting):
            with transaction.atomic():
                items = list(
                    Delivery.objects.select_for_update()
                    .filter(
                        recipient_id=recipient_id,
                        state=Delivery.State.PENDING,
                        for_digest=True,
                        created_at__lte=now,
                    )
                    .order_by("id")
                )
                if not items:
                    continue
                key = f"digest:{timezone.localdate(now):%Y%m%d}:{items[0].pk}"
                language = (
                    DigestChoice.objects.filter(user_id=recipient_id)
                    .values_list("mail_language", flat=True)
                    .first()
                    or ""
                )
                with _language(language):
                    subject = _("【绩效】每日汇总：{count} 条通知").format(count=len(items))
                lines = [
                    f"{n}. {item.subject}\n{item.body}" for n, item in enumerate(items, start=1)
                ]
                Delivery.objects.bulk_create(
                    [
                        Delivery(
                            recipient_id=recipient_id,
                            kind=kinds.DIGEST,
                            key=key,
                            channel=Delivery.Channel.EMAIL,
                            address=items[-1].address,
                            subject=subject[:200],
                            body="\n\n".join(lines),
                            created_at=now,
                            next_attempt_at=now,
                        )
                    ],
                    ignore_conflicts=True,
                )
                Delivery.objects.filter(pk__in=[i.pk for i in items]).update(
                    state=Delivery.State.SENT, sent_at=now, digest_key=key
                )
                made += 1
    deliver_due(now=now)
    return made


# --- preferences and the inbox -------------------------------------------------------------------


def save_preferences(
    *, user: User, channels: dict[str, str], daily_digest: bool, mail_language: str | None = None
) -> None:
    """通知设置: the person's channel per kind, the digest choice and the language of the mails
    (None: unchanged), logged as one change."""
    unknown = [k for k in channels if not kinds.is_kind(k)]
    bad = [c for c in channels.values() if c not in Channel.VALUES]
    languages = {code for code, _name in settings.LANGUAGES}
    if unknown or bad or (mail_language is not None and mail_language not in languages):
        raise ValueError(f"unknown kinds {unknown}, channels {bad} or language {mail_language}")
    with transaction.atomic():
        before = dict(Preference.objects.filter(user=user).values_list("kind", "channel"))
        defaults = {k.code: k.default for k in kinds.kinds()}
        Preference.objects.filter(user=user).delete()
        Preference.objects.bulk_create(
            [
                Preference(user=user, kind=kind, channel=channel)
                for kind, channel in channels.items()
                if channel != defaults.get(kind)
            ]
        )
        digest, _created = DigestChoice.objects.select_for_update().get_or_create(user=user)
        was_digest = digest.daily_digest
        was_language = digest.mail_language or settings.LANGUAGE_CODE
        digest.daily_digest = daily_digest
        if mail_language is not None:
            digest.mail_language = mail_language
        digest.save(update_fields=["daily_digest", "mail_language"])
        changes: dict[str, list[Any]] = {
            kind: [before.get(kind, defaults.get(kind)), channel]
            for kind, channel in channels.items()
            if before.get(kind, defaults.get(kind)) != channel
        }
        if was_digest != daily_digest:
            changes["daily_digest"] = [was_digest, daily_digest]
        if mail_language is not None and was_language != mail_language:
            changes["mail_language"] = [was_language, mail_language]
        record_event(
            actor=user,
            action="notification.preferences",
            target=user,
            summary=log_text("修改通知设置"),
            details={"changes": changes},
        )


def mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the person's own notifications read (404 for anyone else's)."""
    from jixiao.notifications.selectors import notification_for

    notification = notification_for(user=user, notification_id=notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(*, user: User) -> int:
    with transaction.atomic():
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        if count:
            record_event(
                actor=user,
                action="notification.read_all",
                target=user,
                summary=log_text("全部通知标为已读（{count} 条）", count=count),
                details={"count": count},
            )
    return count
