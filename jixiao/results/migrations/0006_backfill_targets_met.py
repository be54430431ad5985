"""Fill 指标达成 (targets met / total) of the stored 结果应用 rows written before the columns
existed: each row's evaluation is scored once here, as the row's next write would."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def backfill(apps: Any, schema_editor: Any) -> None:
    from jixiao.evaluations.scoring_bridge import score_data

    ResultEntry = apps.get_model("results", "ResultEntry")
    rows = ResultEntry.objects.filter(targets_total__isnull=True).select_related("evaluation")
    for entry in rows.iterator(chunk_size=200):
        scored = score_data(entry.evaluation.data)
        if scored.result is None:
            continue
        entry.targets_met, entry.targets_total = scored.result.targets_met
        entry.save(update_fields=["targets_met", "targets_total"])


def forget(apps: Any, schema_editor: Any) -> None:
    apps.get_model("results", "ResultEntry").objects.update(targets_met=None, targets_total=None)


class Migration(migrations.Migration):
    dependencies = [("results", "0005_targets_met")]

    operations = [migrations.RunPython(backfill, forget)]
