"""The database triggers that keep the 操作日志 append-only (see migration 0004 and decisions.md).

Kept in one place because SQLite drops a table's triggers whenever a migration re-creates the
table (most ALTERs there), so every migration that alters ``activity_event`` ends by calling
:func:`create` again.
"""

from __future__ import annotations

from typing import Any

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION activity_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'activity_event is append-only (操作日志不能修改或删除)'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS activity_event_append_only ON activity_event;
CREATE TRIGGER activity_event_append_only
    BEFORE UPDATE OR DELETE ON activity_event
    FOR EACH ROW EXECUTE FUNCTION activity_event_append_only();
"""
POSTGRES_DROP = "DROP TRIGGER IF EXISTS activity_event_append_only ON activity_event;"
SQLITE_CREATE = """
CREATE TRIGGER IF NOT EXISTS activity_event_no_update BEFORE UPDATE ON activity_event
BEGIN
    SELECT RAISE(ABORT, 'activity_event is append-only');
END;
"""
SQLITE_DROP = "DROP TRIGGER IF EXISTS activity_event_no_update;"


def _run(schema_editor: Any, statements: dict[str, str]) -> None:
    statement = statements.get(schema_editor.connection.vendor)
    if statement:
        schema_editor.execute(statement, params=None)


def create(schema_editor: Any) -> None:
    _run(schema_editor, {"postgresql": POSTGRES_CREATE, "sqlite": SQLITE_CREATE})


def drop(schema_editor: Any) -> None:
    _run(schema_editor, {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP})
