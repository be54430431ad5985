"""The triggers that keep the year comparison's 绩效目标 sums (evaluations.YearTargets) from the
result rows (jixiao.results.counters), and their first fill."""

from django.db import migrations


def install(apps, schema_editor):  # type: ignore[no-untyped-def]
    from jixiao.results import counters

    counters.install(schema_editor.connection)
    counters.rebuild(schema_editor.connection)


def uninstall(apps, schema_editor):  # type: ignore[no-untyped-def]
    from jixiao.results import counters

    counters.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0007_result_order_indexes"),
        ("evaluations", "0017_year_targets"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
