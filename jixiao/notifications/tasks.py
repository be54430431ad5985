"""Celery tasks of notifications. Beat runs the sender every minute (retries) and the reminders and
the digest daily (settings.CELERY_BEAT_SCHEDULE); without a broker they run in-process."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="jixiao.notifications.deliver_due", ignore_result=True)
def deliver_due_task() -> int:
    from jixiao.notifications.services import deliver_due

    return deliver_due()


@shared_task(name="jixiao.notifications.remind_deadlines", ignore_result=True)
def remind_deadlines_task() -> int:
    from jixiao.notifications.reminders import remind_deadlines, remind_rectification

    asked = remind_rectification()
    return remind_deadlines().messages + asked


@shared_task(name="jixiao.notifications.send_digests", ignore_result=True)
def send_digests_task() -> int:
    from jixiao.notifications.services import send_digests

    return send_digests()


@shared_task(name="jixiao.notifications.purge_old", ignore_result=True)
def purge_old_task() -> int:
    from jixiao.notifications.retention import purge_old

    purged = purge_old()
    return purged.notifications + purged.deliveries
