"""The returned-twice table (evaluations.models.ReturnedTwice): made, filled from the transitions,
and kept from now on by the transitions' triggers (installed again with their new statements)."""

import django.db.models.deletion
from django.db import migrations, models


def install_and_fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from jixiao.evaluations import counters

    counters.install(schema_editor.connection)
    table = apps.get_model("evaluations", "ReturnedTwice")._meta.db_table
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (evaluation_id) "
            f"SELECT evaluation_id FROM ({counters.twice_direct_sql()}) AS direct"
        )


def reinstall_without(apps, schema_editor):  # type: ignore[no-untyped-def]
    from jixiao.evaluations import counters

    with schema_editor.connection.cursor() as cursor:
        for statement in counters.trigger_sql(schema_editor.connection.vendor, with_twice=False):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0015_evaluation_recent_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReturnedTwice",
            fields=[
                (
                    "evaluation",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="evaluations.evaluation",
                    ),
                ),
            ],
        ),
        migrations.RunPython(install_and_fill, reinstall_without),
    ]
