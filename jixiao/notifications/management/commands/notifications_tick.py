"""Without Celery beat (the embedded default), cron runs this: reminders (and the retention's
clean-up) and digest once a day, the sender (retries) every few minutes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Send due notifications; with --reminders the deadline reminders, with --digest the daily digests."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reminders",
            action="store_true",
            help="deadline reminders and the clean-up of old notifications (daily)",
        )
        parser.add_argument("--digest", action="store_true", help="daily digest mails (daily)")

    def handle(self, *args: Any, **options: Any) -> None:
        from jixiao.notifications.reminders import remind_deadlines, remind_rectification
        from jixiao.notifications.retention import purge_old
        from jixiao.notifications.services import deliver_due, send_digests

        if options["reminders"]:
            # The daily run also deletes what is past its retention (retention.py).
            purged = purge_old()
            self.stdout.write(
                f"{purged.notifications} old notification(s), "
                f"{purged.deliveries} old delivery record(s) deleted"
            )
            self.stdout.write(f"{remind_rectification()} rectification reminder(s)")
            run = remind_deadlines(send=False)
            self.stdout.write(
                f"{run.tasks} open task(s) due within 7 days, {run.messages} reminder(s)"
            )
        if options["digest"]:
            self.stdout.write(f"{send_digests()} digest mail(s)")
        self.stdout.write(f"{deliver_due()} delivery(ies) sent")
