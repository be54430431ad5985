"""End jobs whose runner died (no heartbeat) or that never started: run at start-up and by cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Mark background jobs whose worker died (stale heartbeat) or never started as failed."

    def handle(self, *args: Any, **options: Any) -> None:
        from jixiao.jobs.services import sweep_stale_jobs

        swept = sweep_stale_jobs()
        self.stdout.write(f"{swept} stale job(s) marked failed")
