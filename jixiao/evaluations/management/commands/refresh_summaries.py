"""Recompute every evaluation's stored list columns (jixiao.evaluations.summary).

Also rewrites the unit and department names stored for the progress table's order
(jixiao.evaluations.names). Run after a rule-set's over-completion line changed, or after content was written outside the
save path (an import, a restore). ``--campaign N`` limits it to one campaign.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.names import refresh_names
from jixiao.evaluations.summary import refresh_all


class Command(BaseCommand):
    help = "Recompute the stored list columns of every evaluation (issue 14)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        evaluations = Evaluation.objects.all()
        if options["campaign"] is not None:
            evaluations = evaluations.filter(campaign_id=options["campaign"])
        refresh_names(evaluations)
        n = refresh_all(evaluations)
        self.stdout.write(f"{n} evaluations refreshed")
