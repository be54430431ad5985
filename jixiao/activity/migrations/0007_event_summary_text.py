"""Event.summary_text: the sentence's template and parameters (jixiao.activity.texts). SQLite
re-creates the table to add a column and loses the append-only triggers: they are put back."""

from django.db import migrations, models

from jixiao.activity import db_triggers


def triggers_back(apps, schema_editor):
    db_triggers.create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("activity", "0006_backfill_event_category")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="summary_text",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(triggers_back, triggers_back),
    ]
