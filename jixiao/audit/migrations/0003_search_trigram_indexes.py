"""Trigram indexes for the 审查结果 list's search (file and unit names, ILIKE '%…%').

PostgreSQL only, and only where the pg_trgm extension can be created (a trusted extension since
PostgreSQL 13: the database's owner may create it). Without it the search still works, by
scanning the table (0.2–0.35 s at 50,000 results; with the indexes about 2 ms,
bench/audit_results.py). The expressions match what Django's icontains sends:
UPPER("column"::text) LIKE UPPER(%s).
"""

from django.db import DatabaseError, migrations, transaction

INDEXES = (("audit_file_name_trgm", "name"), ("audit_file_unit_trgm", "unit"))


def create_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):  # a savepoint: refusal is no error
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            return  # not permitted here: the search scans instead
        for name, column in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON audit_auditedfile "
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def drop_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_results_stored")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
