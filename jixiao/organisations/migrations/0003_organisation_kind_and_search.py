"""An index on the organisation's kind (the evaluation lists' scope reads the few bureaus and
departments, not 50,000 units), and trigram indexes for the searches over organisation names and
credit codes (issue 14: ``icontains`` was a sequential scan of every organisation).

The trigram indexes are PostgreSQL only, and only where the pg_trgm extension can be created (a
trusted extension since PostgreSQL 13). Without it the searches still work, by scanning. The
expressions match what Django's icontains sends: UPPER("column"::text) LIKE UPPER(%s).
"""

from django.db import DatabaseError, migrations, models, transaction

TRIGRAM_INDEXES = (
    ("organisation_name_trgm", "name"),
    ("organisation_credit_code_trgm", "credit_code"),
)


def create_trigram_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        try:
            with transaction.atomic(using=connection.alias):  # a savepoint: refusal is no error
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except DatabaseError:
            return  # not permitted here: the searches scan instead
        for name, column in TRIGRAM_INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON organisations_organisation "
                f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
            )


def drop_trigram_indexes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _column in TRIGRAM_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_user_sign_in_security"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["kind"], name="organisation_kind"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes),
    ]
