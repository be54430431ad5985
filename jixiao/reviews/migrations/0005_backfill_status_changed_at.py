"""Each evaluation's ``status_changed_at`` from its latest review step (the 审核待办's order).

An evaluation that never had a step (a draft never handed in) keeps the moment of the migration:
the queue shows no 最近办理 for a draft, and orders a unit's drafts by it only among themselves.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Transition = apps.get_model("reviews", "Transition")
    latest = Transition.objects.filter(evaluation=OuterRef("pk")).order_by("-at", "-pk")
    Evaluation.objects.filter(Exists(latest)).update(
        status_changed_at=Subquery(latest.values("at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0013_evaluation_status_changed_at"),
        ("reviews", "0004_frozen_targets_format"),
    ]

    # Reversing leaves the column to evaluations 0013's reversal, which drops it.
    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
