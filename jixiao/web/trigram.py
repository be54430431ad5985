"""Trigram (pg_trgm) GIN indexes for the searches' ``UPPER(col) LIKE '%…%'``, as a migration
operation. PostgreSQL only: SQLite has no such index and scans. Where the extension may not be
created (a managed database without the right), the migration goes on and the searches scan."""

from __future__ import annotations

from typing import Any

from django.db import DatabaseError, migrations, transaction
from django.db.models import F, Func, Value


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


# A trigram index cannot serve a term of one or two characters (there is no trigram in it): the
# planner then read every row's trigram list and rechecked each — 1.6 s for a two-character term
# at 250,000 evaluations, and two-character terms (教育, 卫生, 公安) are the common Chinese search.
# So each searched column gets a stored generated column of its characters and character pairs
# (upper-cased, as icontains compares) with a GIN index, and a short term is looked up there.
# Stored, not an expression index: the function costs ~40 µs a row, and a plan that filtered
# rows with it (walking the list's order index, or counting by a scan) took 4–10 s; comparing a
# stored array costs about a microsecond. PostgreSQL computes the column on every write.
GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION jixiao_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT g), '{}'::text[]) FROM (
    SELECT substr(t, i, 1) AS g FROM generate_series(1, char_length(t)) AS i
    UNION ALL
    SELECT substr(t, i, 2) FROM generate_series(1, char_length(t) - 1) AS i
  ) AS grams
$$
"""
SHORT_TERM = 2  # at most this many characters: the grams column; longer: the trigram index


def grams_column(column: str) -> str:
    return f"{column}_grams"


def gram_columns(table: str, columns: tuple[str, ...]) -> migrations.RunPython:
    """A RunPython that adds (and on reverse drops) to ``table``, for each of ``columns``, the
    generated column ``<column>_grams`` with its GIN index, PostgreSQL only. The columns are not
    in the Django model (SQLite has no such function): contains_q reads them. A later change of a
    source column's type must drop its grams column first (PostgreSQL refuses it otherwise)."""

    def create(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute(GRAMS_FUNCTION)
            for column in columns:
                grams = grams_column(column)
                cursor.execute(
                    f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {grams} text[] "
                    f'GENERATED ALWAYS AS (jixiao_grams(UPPER("{column}"::text))) STORED'
                )
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {table}_{grams} ON {table} USING gin ({grams})"
                )

    def drop(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            for column in columns:
                cursor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS {grams_column(column)}")

    return migrations.RunPython(create, drop)


# A short term matching at most this many rows is filtered by their ids (one array parameter):
# the ids of a term clustered in the list's order (教育 in the 教育局's units) then come from the
# index, where walking the order to meet them read up to the whole table (1.4 s at 250,000).
RARE_TERM_ROWS = 20_000


def contains_q(model: Any, fields: tuple[str, ...], term: str, also: Any = None) -> Any:
    """Any of ``fields`` (of ``model``, the queryset's own) contains ``term``, case-insensitive
    (Django's icontains) — or the rows match ``also`` (a Q, e.g. a credit-code match) — served by
    an index on PostgreSQL whatever the term's length. A term of at most SHORT_TERM characters is
    looked up in each field's grams column (gram_columns), a longer one by the trigram indexes.
    SQLite, which has neither, scans.

    A short term is looked up first, on its own: when it matches at most RARE_TERM_ROWS rows in
    all, the filter is those rows' ids, as one semi-join from the ids through the primary key.
    The planner cannot tell a rare pair of characters from a common one, and a list's first page
    (its order, LIMIT 51) walked the order index hoping to meet 51 matches soon — the whole
    table, 1–1.5 s at 250,000, for a rare term or one whose matches cluster late in that order
    (教育 in the 教育局's units). A term matching more keeps the grams filter, which that walk
    serves (matches that many come early)."""
    from django.db import connection
    from django.db.models import Q

    if connection.vendor != "postgresql" or not term or len(term) > SHORT_TERM:
        found = Q()
        for field in fields:
            found |= Q(**{f"{field}__icontains": term})
        return found | also if also is not None else found
    from django.contrib.postgres.lookups import DataContains

    # The grams alone: for a term this short, containing it is having it among the grams (and
    # LIKE's wildcards mean nothing here: a gram is literal, as icontains escapes them).
    arms = [Q(DataContains(_GramsOf(field), _UpperArray(term))) for field in fields]
    if also is not None:
        arms.append(also)
    ids: set[Any] = set()
    for arm in arms:
        rows = model._default_manager.filter(arm).order_by().values_list("pk", flat=True)
        ids.update(rows[: RARE_TERM_ROWS + 1])
        if len(ids) > RARE_TERM_ROWS:
            found = Q()
            for arm in arms:
                found |= arm
            return found
    return Q(_AnyOf(sorted(ids)))


def _array() -> Any:
    from django.contrib.postgres.fields import ArrayField
    from django.db.models import TextField

    return ArrayField(TextField())


class _GramsOf(Func):
    """The grams column of ``field`` (gram_columns), under whatever alias the query gives the
    field's table (a subquery's U0 included): resolved as the field, printed as its neighbour."""

    def __init__(self, field: str) -> None:
        super().__init__(F(field), output_field=_array())

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:
        column: Any = self.source_expressions[0]  # the resolved Col
        table = compiler.quote_name_unless_alias(column.alias)
        return f"{table}.{connection.ops.quote_name(grams_column(column.target.column))}", []


class _AnyOf(Func):
    """pk IN (SELECT unnest(ids)): one array parameter however many ids (an IN list has one
    each), and a semi-join the planner runs from the ids through the primary key. As ``pk =
    ANY(ids)`` it was a filter, and the planner walked the list's order hoping to meet the
    matches early (460 ms for 16,722 matches clustered late at 250,000)."""

    template = "(%(expressions)s)))"
    arg_joiner = " IN (SELECT unnest("

    def __init__(self, ids: list[Any]) -> None:
        from django.contrib.postgres.fields import ArrayField
        from django.db.models import BigIntegerField, BooleanField

        super().__init__(
            F("pk"),
            Value(ids, output_field=ArrayField(BigIntegerField())),
            output_field=BooleanField(),
        )


class _UpperArray(Func):
    """ARRAY[UPPER(term)]: upper-cased by the database, as the column is (Python's upper()
    differs for a few letters, ß among them)."""

    template = "ARRAY[UPPER(%(expressions)s::text)]"

    def __init__(self, term: str) -> None:
        super().__init__(Value(term), output_field=_array())
