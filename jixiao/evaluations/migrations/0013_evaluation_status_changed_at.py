"""The 审核待办's stored order (``status_changed_at``, backfilled by reviews 0005) and its index."""

import django.db.models.functions.datetime
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# SQLite adds a column with a non-constant default by making the table anew, and the rename at
# the end of that fails while the counter triggers (evaluations.counters) name the table: they
# are taken off for the change and installed again after it (on PostgreSQL too: harmless).
def drop_counters(apps, schema_editor):  # type: ignore[no-untyped-def]
    from jixiao.evaluations import counters

    counters.uninstall(schema_editor.connection)


def install_counters(apps, schema_editor):  # type: ignore[no-untyped-def]
    from jixiao.evaluations import counters

    counters.install(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_campaign_project_scope"),
        ("evaluations", "0012_over_completions_from_the_engine"),
        ("organisations", "0003_organisation_kind_and_search"),
        ("projects", "0002_import_mapping"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_counters, install_counters),
        migrations.AddField(
            model_name="evaluation",
            name="status_changed_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(),
                default=django.utils.timezone.now,
                editable=False,
            ),
        ),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(
                fields=["status", "status_changed_at", "unit_name", "id"],
                include=("unit", "campaign"),
                name="evaluation_review_queue",
            ),
        ),
        migrations.RunPython(install_counters, drop_counters),
    ]
