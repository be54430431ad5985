"""The benchmark index as a covering index on PostgreSQL only (SQLite has none; declaring
``include`` in the model made Django warn W040 on every command there)."""

from django.db import migrations, models

COVERING = (
    "CREATE INDEX use_benchmark ON indicators_indicatoruse (name_key, measure_key, year) "
    "INCLUDE (unit_id, target_value, actual_value)"
)
PLAIN = "CREATE INDEX use_benchmark ON indicators_indicatoruse (name_key, measure_key, year)"


def _rebuild(sql: str):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute("DROP INDEX IF EXISTS use_benchmark")
        schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0002_benchmark_index_includes_figures"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="indicatoruse", name="use_benchmark"),
        migrations.AddIndex(
            model_name="indicatoruse",
            index=models.Index(fields=["name_key", "measure_key", "year"], name="use_benchmark"),
        ),
        migrations.RunPython(_rebuild(COVERING), _rebuild(PLAIN)),
    ]
