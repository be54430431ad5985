from django.db import migrations


def refresh(apps, schema_editor):
    """The stored 偏离度过大 counts are now the scoring engine's own flags
    (jixiao.evaluations.summary.over_completions): recount every evaluation's. The old reading
    counted "=" targets above their value and missed reverse (≤) targets and the zero-target line,
    so a list could disagree with the evaluation's own page."""
    from jixiao.evaluations.summary import refresh_all

    refresh_all(apps.get_model("evaluations", "Evaluation").objects.all())


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0011_counter_removal_update_only")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
