"""The year comparison's 绩效目标 sums (evaluations.YearTargets), kept by triggers on the 结果应用 rows.

The overview's 历年对比 shows, per year, the performance targets met of all over the approved
self-evaluations. Those counts are stored with each 结果应用 row (ResultEntry.targets_met /
targets_total, written when a row is approved or refreshed); adding them up for every overview
read 170,000 rows at province scale (90 ms). ``YearTargets`` holds the sums per year × department,
and these triggers keep them in the same transaction as every insert, update and delete of a
result row — by whatever path: the refresh job, an approval's after-commit hook, a migration's
backfill, ``QuerySet.update`` (the same reasoning as evaluations.counters, docs/decisions.md).

``rebuild()`` recomputes every row from the result rows and ``drift()`` compares them
(``manage.py rebuild_counters`` and ``--check`` run both counter sets). Changing an expression here
ships with a migration that calls ``install()`` and ``rebuild()`` again.
"""

from __future__ import annotations

from typing import Any

from django.db import connection as default_connection
from django.db import transaction

from jixiao.evaluations.counters import drop_trigger_sql, row_trigger_sql

COLUMNS = ("entries", "with_targets", "targets_met", "targets_total")
TRIGGER_NAMES = (
    "jixiao_year_targets_insert",
    "jixiao_year_targets_update",
    "jixiao_year_targets_delete",
)


def _tables() -> dict[str, str]:
    from jixiao.evaluations.models import YearTargets
    from jixiao.results.models import ResultEntry

    return {"counter": YearTargets._meta.db_table, "entry": ResultEntry._meta.db_table}


def _contribution(row: str) -> dict[str, str]:
    """What result row ``row`` adds to its year × department sums."""
    return {
        "entries": "1",
        "with_targets": f"(CASE WHEN {row}.targets_total IS NOT NULL THEN 1 ELSE 0 END)",
        "targets_met": f"COALESCE({row}.targets_met, 0)",
        "targets_total": f"COALESCE({row}.targets_total, 0)",
    }


def _add(tables: dict[str, str], row: str) -> str:
    parts = _contribution(row)
    names = ", ".join(COLUMNS)
    values = ", ".join(parts[c] for c in COLUMNS)
    sets = ", ".join(f"{c} = {tables['counter']}.{c} + excluded.{c}" for c in COLUMNS)
    return (
        f"INSERT INTO {tables['counter']} (year, department_id, {names}) "
        f"SELECT {row}.year, COALESCE({row}.department_id, 0), {values} WHERE 1 = 1 "
        f"ON CONFLICT (year, department_id) DO UPDATE SET {sets}"
    )


def _remove(tables: dict[str, str], row: str) -> str:
    """An UPDATE of the row the insert made, never an insert (as evaluations.counters._row_remove:
    a removal that finds no row, after a flush, changes nothing)."""
    parts = _contribution(row)
    sets = ", ".join(f"{c} = {c} - {parts[c]}" for c in COLUMNS)
    return (
        f"UPDATE {tables['counter']} SET {sets} "
        f"WHERE year = {row}.year AND department_id = COALESCE({row}.department_id, 0)"
    )


def _changed(vendor: str) -> str:
    differ = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(
        f"OLD.{c} {differ} NEW.{c}"
        for c in ("year", "department_id", "targets_met", "targets_total")
    )


def trigger_sql(vendor: str) -> list[str]:
    """The statements that install the triggers on ``vendor`` ('postgresql' or 'sqlite')."""
    tables = _tables()
    plans = [
        ("jixiao_year_targets_insert", "INSERT", None, [_add(tables, "NEW")]),
        (
            "jixiao_year_targets_update",
            "UPDATE",
            _changed(vendor),
            [_remove(tables, "OLD"), _add(tables, "NEW")],
        ),
        ("jixiao_year_targets_delete", "DELETE", None, [_remove(tables, "OLD")]),
    ]
    return [
        statement
        for name, event, when, body in plans
        for statement in row_trigger_sql(vendor, name, tables["entry"], "AFTER", event, when, body)
    ]


def uninstall_sql(vendor: str) -> list[str]:
    entry = _tables()["entry"]
    return [
        statement for name in TRIGGER_NAMES for statement in drop_trigger_sql(vendor, name, entry)
    ]


def install(connection: Any = default_connection) -> None:
    with connection.cursor() as cursor:
        for statement in trigger_sql(connection.vendor):
            cursor.execute(statement)


def uninstall(connection: Any = default_connection) -> None:
    with connection.cursor() as cursor:
        for statement in uninstall_sql(connection.vendor):
            cursor.execute(statement)


def direct_sql() -> str:
    """Every year × department's sums aggregated from the result rows themselves."""
    tables = _tables()
    parts = _contribution("r")
    values = ", ".join(f"SUM({parts[c]}) AS {c}" for c in COLUMNS)
    return (
        f"SELECT r.year, COALESCE(r.department_id, 0) AS department_id, {values} "
        f"FROM {tables['entry']} AS r GROUP BY r.year, COALESCE(r.department_id, 0)"
    )


def _rows(cursor: Any, sql: str) -> dict[tuple[int, int], tuple[int, ...]]:
    cursor.execute(sql)
    return {
        (int(row[0]), int(row[1])): tuple(int(v or 0) for v in row[2:])
        for row in cursor.fetchall()
        if any(row[2:])  # a row of zeros (its last result row gone) counts nothing
    }


def drift(connection: Any = default_connection) -> list[str]:
    """What differs between the stored sums and the result rows (empty: none)."""
    tables = _tables()
    names = ", ".join(COLUMNS)
    with connection.cursor() as cursor:
        stored = _rows(cursor, f"SELECT year, department_id, {names} FROM {tables['counter']}")
        direct = _rows(cursor, direct_sql())
    problems = []
    for key in sorted(set(stored) | set(direct)):
        have, want = stored.get(key), direct.get(key)
        if have != want:
            problems.append(f"year {key[0]} department {key[1]}: stored {have}, counted {want}")
    return problems


def rebuild(connection: Any = default_connection) -> int:
    """Replace every row with the direct sums, holding off writers to the result rows meanwhile
    (PostgreSQL: SHARE lock). Returns the rows written."""
    tables = _tables()
    names = ", ".join(COLUMNS)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {tables['entry']} IN SHARE MODE")
        cursor.execute(f"DELETE FROM {tables['counter']}")
        cursor.execute(
            f"INSERT INTO {tables['counter']} (year, department_id, {names}) "
            f"SELECT year, department_id, {names} FROM ({direct_sql()}) AS direct"
        )
        return int(cursor.rowcount)
