"""manage.py rebuild_indicator_library: the 指标库 re-read from the rule-sets and every approval."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from jixiao.indicators.services import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the indicator library (指标库): common indicators from the shipped and stored "
        "rule-sets, and the targets and actuals of every approved declaration, adjustment and "
        "self-evaluation. Idempotent; run after a deploy that changes rulesets/."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = rebuild()
        self.stdout.write(
            f"指标库已更新：共性指标 {counts['common']} 项，"
            f"目标申报 {counts['declarations']} 份，自评 {counts['evaluations']} 份。"
        )
