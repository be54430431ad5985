"""Rebuild the overview's counters (evaluations.counters) from the evaluations, or check them.

The triggers keep the counters in the same transaction as every write, so a rebuild is for after
something bypassed the database's triggers (a restore made with triggers disabled, a manual fix);
``--check`` only compares and fails when a row differs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jixiao.evaluations import counters


class Command(BaseCommand):
    help = (
        "Rebuild (or --check) the city overview's campaign × department counters, the "
        "returned-twice table and the year comparison's targets."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="compare with the evaluations, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The year comparison's 绩效目标 sums are kept by the results app's triggers on its own
        # table (a command is the top floor: it may reach up).
        from jixiao.results import counters as year_targets

        if options["check"]:
            problems = counters.drift() + year_targets.drift()
            if problems:
                raise CommandError(
                    "概览计数与绩效自评不一致（manage.py rebuild_counters 可重建）：\n"
                    + "\n".join(problems)
                )
            self.stdout.write("概览计数与绩效自评一致")
            return
        rows = counters.rebuild()
        years = year_targets.rebuild()
        self.stdout.write(f"概览计数已重建：{rows} 行（历年指标达成 {years} 行）")
