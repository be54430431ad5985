"""The 操作日志 is append-only below the ORM too: the database refuses UPDATE and DELETE of its rows.

PostgreSQL: a row trigger raises on UPDATE and DELETE (TRUNCATE stays with the table owner for
retention maintenance; the application never issues it). SQLite: a trigger refuses UPDATE; DELETE
is not refused there because Django's test flush empties SQLite tables with DELETE (on PostgreSQL
it uses TRUNCATE). See docs/decisions.md ("操作日志 is append-only").
"""

from django.db import migrations

POSTGRES_UP = """
CREATE OR REPLACE FUNCTION activity_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'activity_event is append-only (操作日志不能修改或删除)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER activity_event_append_only
    BEFORE UPDATE OR DELETE ON activity_event
    FOR EACH ROW EXECUTE FUNCTION activity_event_append_only();
"""
POSTGRES_DOWN = """
DROP TRIGGER IF EXISTS activity_event_append_only ON activity_event;
DROP FUNCTION IF EXISTS activity_event_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER activity_event_no_update BEFORE UPDATE ON activity_event
BEGIN
    SELECT RAISE(ABORT, 'activity_event is append-only');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS activity_event_no_update;"


def _run(schema_editor, statements):
    statement = statements.get(schema_editor.connection.vendor)
    if statement:
        schema_editor.execute(statement, params=None)


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP})


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN})


class Migration(migrations.Migration):
    dependencies = [("activity", "0003_backfill_actor_snapshot")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
