"""Fill the category of entries written before it was stored, then put the append-only triggers
back (SQLite lost them when 0005 re-created the table; PostgreSQL's are lifted only for this)."""

from django.db import migrations

from jixiao.activity import db_triggers
from jixiao.activity.actions import action_category


def backfill(apps, schema_editor):
    Event = apps.get_model("activity", "Event")
    db_triggers.drop(schema_editor)
    for action in Event.objects.values_list("action", flat=True).distinct():
        Event.objects.filter(action=action).update(category=action_category(action))
    db_triggers.create(schema_editor)


def restore_triggers(apps, schema_editor):
    # Going back, 0005 drops the column; the triggers stay as they are.
    db_triggers.create(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("activity", "0005_event_category")]

    operations = [migrations.RunPython(backfill, restore_triggers)]
