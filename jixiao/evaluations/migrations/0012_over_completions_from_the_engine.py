from django.db import migrations

NOT_SCORED = ("monitoring", "targets")  # 监控报告 and 目标申报 rows: never scored, nothing to count


def refresh(apps, schema_editor):
    """The stored 偏离度过大 counts are now the scoring engine's own flags
    (jixiao.evaluations.summary.over_completions): recount every self-evaluation's. The old reading
    counted "=" targets above their value and missed reverse (≤) targets and the zero-target line,
    so a list could disagree with the evaluation's own page. Monitoring reports and target
    declarations, which the engine never scores, get 0 in one UPDATE (scoring them row by row took
    most of the time at province scale: 850,000 rows ran past 10 minutes)."""
    from django.db.models import Q

    from jixiao.evaluations.summary import refresh_all

    evaluations = apps.get_model("evaluations", "Evaluation").objects
    never_scored = Q(data__kind__in=NOT_SCORED)
    evaluations.filter(never_scored).update(over_completions=0, over_unexplained=0)
    # Spelled out: exclude() would also leave out the rows whose content has no kind at all.
    refresh_all(evaluations.filter(Q(data__kind__isnull=True) | ~never_scored))


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0011_counter_removal_update_only")]

    operations = [migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True)]
