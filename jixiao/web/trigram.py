"""Trigram (pg_trgm) GIN indexes for the searches' ``UPPER(col) LIKE '%…%'``, as a migration
operation. PostgreSQL only: SQLite has no such index and scans. Where the extension may not be
created (a managed database without the right), the migration goes on and the searches scan."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, migrations, transaction


def trigram_indexes(table: str, indexes: tuple[tuple[str, str], ...]) -> migrations.RunPython:
    """A RunPython that creates (and on reverse drops) ``indexes`` — (name, column) pairs — on
    ``table``."""

    def create(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            try:
                with transaction.atomic(using=connection.alias):  # a savepoint: refusal is no error
                    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            except DatabaseError:
                return
            for name, column in indexes:
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                    f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
                )

    def drop(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for name, _column in indexes:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)
