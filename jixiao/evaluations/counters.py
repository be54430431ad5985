"""The overview's counters (全市概览): per campaign × department, kept by database triggers.

The city overview needs, per department of a campaign, the tasks in each progress state, the
grades, the score bins, the sum and number of scores for the mean, and what puts a task on the
needs-attention list. Aggregating every evaluation of the campaign for that took 0.6–1.7 s at
50,000 units (docs/scale.md); ``DepartmentCounter`` holds those figures, one row per campaign and
department, so the overview reads about 60 rows.

Why triggers (docs/decisions.md, "Overview counters: database triggers"): every path that changes
an input — the save path, every workflow transition, extensions, bulk imports, ``QuerySet.update``,
``bulk_update``, the demo loader, COPY in the bench, a unit moved to another department, deletes —
goes through the database, so a trigger sees all of them and the counters cannot drift by a path
someone forgot. The triggers are generated here for PostgreSQL and SQLite from one set of SQL
expressions (``_contribution``): each evaluation contributes a vector of 0/1 (and its total) to its
campaign × department row, and every change adds the new vector and subtracts the old one in the
same transaction (``INSERT … ON CONFLICT DO UPDATE SET n = n + excluded.n``, atomic under
concurrency).

Time-dependent figures are not counted: whether a task is overdue depends on now and its deadline.
The counters keep the tasks not handed in *without* an extension (``pending``, and those of them
not already needing attention, ``pending_calm``), which are overdue exactly when the campaign's
deadline has passed; the ones *with* an extension are read live from the partial index
``evaluation_extensions`` (campaigns.selectors.campaign_overview).

The transitions' triggers also keep ``ReturnedTwice`` (one row per evaluation sent back at least
twice): the overview's needs-attention list reads it as a subquery instead of grouping every review
step of the campaigns. The year comparison's 绩效目标 sums (``YearTargets``) are kept the same way
by the results app's triggers on its own table (jixiao.results.counters).

``rebuild()`` (``manage.py rebuild_counters``) recomputes every row and the returned-twice table
from the evaluations and their transitions, and ``drift()`` compares the stored rows with that
direct aggregate (``rebuild_counters --check``).

Changing an expression here changes what new triggers compute: ship it with a migration that calls
``install()`` again and then ``rebuild()`` (0009_department_counters is the example).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection as default_connection
from django.db import transaction

RETURN_ACTIONS = ("department_return", "bureau_return")  # as campaigns.selectors.RETURN_ACTIONS
GRADE_COLUMNS = (
    ("grade_excellent", "优"),
    ("grade_good", "良"),
    ("grade_fair", "中"),
    ("grade_poor", "差"),
)
BIN_COLUMNS = (
    ("score_below_60", None, 60),
    ("score_60_70", 60, 70),
    ("score_70_80", 70, 80),
    ("score_80_90", 80, 90),
    ("score_90_100", 90, 101),
)
HANDED_IN = ("submitted", "department_approved", "approved", "published")
APPROVED = ("approved", "published")  # 审定: the year comparison's scores and grades
NOT_HANDED_IN = ("draft", "returned")

# Every counted column, in a fixed order (score_sum is the one that is not a count).
COUNT_COLUMNS = (
    "tasks",
    "not_started",
    "drafting",
    "submitted",
    "returned",
    "approved",
    "published",
    "department_approved",
    "scored",
    *(name for name, _g in GRADE_COLUMNS),
    "grade_other",
    *(name for name, _l, _h in BIN_COLUMNS),
    "over_completed",
    "returned_twice",
    "attention_fixed",
    "pending",
    "pending_calm",
    "approved_scored",
    *(f"approved_{name}" for name, _g in GRADE_COLUMNS),
    "approved_grade_other",
)
COLUMNS = (*COUNT_COLUMNS, "score_sum", "approved_score_sum")
# The columns that depend on the number of returns (the transitions' triggers touch only these).
TWICE_COLUMNS = ("returned_twice", "attention_fixed", "pending_calm")

TRIGGER_NAMES = (
    "jixiao_counter_evaluation_insert",
    "jixiao_counter_evaluation_update",
    "jixiao_counter_evaluation_delete",
    "jixiao_counter_transition_insert",
    "jixiao_counter_transition_update",
    "jixiao_counter_transition_delete",
    "jixiao_counter_unit_moved",
)


def _tables() -> dict[str, str]:
    from jixiao.evaluations.models import DepartmentCounter, Evaluation, ReturnedTwice
    from jixiao.organisations.models import Organisation
    from jixiao.reviews.models import Transition

    return {
        "counter": DepartmentCounter._meta.db_table,
        "evaluation": Evaluation._meta.db_table,
        "organisation": Organisation._meta.db_table,
        "transition": Transition._meta.db_table,
        "twice": ReturnedTwice._meta.db_table,
    }


def _has_twice_table(connection: Any) -> bool:
    """Whether the schema has the returned-twice table yet: the migrations before the one that
    made it (0016) install these triggers too, with this module's current code."""
    return _tables()["twice"] in connection.introspection.table_names()


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


def _flag(condition: str) -> str:
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def twice_sql(row: str, tables: dict[str, str]) -> str:
    """Whether evaluation ``row`` was sent back (退回) at least twice, from its transitions."""
    return (
        f"((SELECT COUNT(*) FROM {tables['transition']} AS t WHERE t.evaluation_id = {row}.id "
        f"AND t.action IN {_in(RETURN_ACTIONS)}) >= 2)"
    )


def _contribution(row: str, twice: str) -> dict[str, str]:
    """SQL for what evaluation ``row`` adds to its campaign × department counters; ``twice`` is a
    boolean SQL expression: the row was sent back at least twice. Mirrors the direct aggregate in
    campaigns.selectors (PROGRESS_Q, SCORED_Q, the bins, _attention_q without the overdue part)."""
    scored = f"({row}.status IN {_in(HANDED_IN)} AND {row}.total IS NOT NULL)"
    low = f"({scored} AND {row}.total < 60)"
    over = f"({row}.over_completions > 0)"
    fixed = f"(({twice}) OR {low} OR {over})"
    pending = f"({row}.status IN {_in(NOT_HANDED_IN)} AND {row}.deadline_override IS NULL)"
    # Approved (审定) with a total: the year comparison's mean; its grades count without a total.
    approved_any = f"({row}.status IN {_in(APPROVED)})"
    approved = f"({approved_any} AND {row}.total IS NOT NULL)"
    sql = {
        "tasks": "1",
        "not_started": _flag(f"{row}.status = 'draft' AND {row}.first_saved_at IS NULL"),
        "drafting": _flag(f"{row}.status = 'draft' AND {row}.first_saved_at IS NOT NULL"),
        "submitted": _flag(f"{row}.status IN ('submitted', 'department_approved')"),
        "returned": _flag(f"{row}.status = 'returned'"),
        "approved": _flag(f"{row}.status = 'approved'"),
        "published": _flag(f"{row}.status = 'published'"),
        # Of ``submitted``: passed on by the department, waiting for the bureau (the 工作台's
        # count by state and the bureau's 待办).
        "department_approved": _flag(f"{row}.status = 'department_approved'"),
        "scored": _flag(scored),
        **{name: _flag(f"{scored} AND {row}.grade = '{g}'") for name, g in GRADE_COLUMNS},
        "grade_other": _flag(
            f"{scored} AND {row}.grade NOT IN {_in(tuple(g for _n, g in GRADE_COLUMNS))}"
        ),
        **{
            name: _flag(
                f"{scored} AND {row}.total < {high}"
                + (f" AND {row}.total >= {low_end}" if low_end is not None else "")
            )
            for name, low_end, high in BIN_COLUMNS
        },
        "over_completed": _flag(over),
        "returned_twice": _flag(twice),
        "attention_fixed": _flag(fixed),
        "pending": _flag(pending),
        "pending_calm": _flag(f"{pending} AND NOT {fixed}"),
        "approved_scored": _flag(approved),
        **{
            f"approved_{name}": _flag(f"{approved_any} AND {row}.grade = '{g}'")
            for name, g in GRADE_COLUMNS
        },
        "approved_grade_other": _flag(
            f"{approved_any} AND {row}.grade NOT IN {_in(('', *(g for _n, g in GRADE_COLUMNS)))}"
        ),
        "score_sum": f"(CASE WHEN {scored} THEN {row}.total ELSE 0 END)",
        "approved_score_sum": f"(CASE WHEN {approved} THEN {row}.total ELSE 0 END)",
    }
    assert tuple(sql) == COLUMNS
    return sql


def _department(row: str, tables: dict[str, str]) -> str:
    """The department of evaluation ``row``'s unit (0 when the unit has none)."""
    return f"COALESCE((SELECT o.parent_id FROM {tables['organisation']} AS o WHERE o.id = {row}.unit_id), 0)"


def _upsert(tables: dict[str, str], columns: tuple[str, ...], select: str) -> str:
    """Add the rows of ``select`` (campaign_id, department_id, *columns) to the counters."""
    names = ", ".join(columns)
    sets = ", ".join(f"{c} = {tables['counter']}.{c} + excluded.{c}" for c in columns)
    return (
        f"INSERT INTO {tables['counter']} (campaign_id, department_id, {names}) {select} "
        f"ON CONFLICT (campaign_id, department_id) DO UPDATE SET {sets}"
    )


def _row_delta(
    tables: dict[str, str], row: str, sign: str, columns: tuple[str, ...] = COLUMNS
) -> str:
    """Add (sign '+') or remove (sign '-') evaluation ``row`` (NEW or OLD) from its counters."""
    parts = _contribution(row, twice_sql(row, tables))
    values = ", ".join(f"{sign}{parts[c]}" for c in columns)
    return _upsert(
        tables,
        columns,
        f"SELECT {row}.campaign_id, {_department(row, tables)}, {values} WHERE 1 = 1",
    )


def _row_remove(tables: dict[str, str], row: str, columns: tuple[str, ...] = COLUMNS) -> str:
    """Remove evaluation ``row`` (OLD) from its counters: an UPDATE of the row its insert made,
    never an insert. A removal that finds no counter row changes nothing — as when Django's
    ``flush`` (the tests' teardown on SQLite) has already deleted the counters and the campaigns
    before the evaluations: an upsert there made a row for a campaign that was gone, and the
    commit failed on its foreign key."""
    parts = _contribution(row, twice_sql(row, tables))
    sets = ", ".join(f"{c} = {c} - {parts[c]}" for c in columns)
    return (
        f"UPDATE {tables['counter']} SET {sets} "
        f"WHERE campaign_id = {row}.campaign_id AND department_id = {_department(row, tables)}"
    )


def _twice_flip(tables: dict[str, str], evaluation: str, became: bool, when: str) -> str:
    """The evaluation with id ``evaluation`` crossed the returned-twice line (``became`` true:
    now sent back twice; false: no longer) when the SQL condition ``when`` holds."""
    after = _contribution("e", "1 = 1" if became else "1 = 0")
    before = _contribution("e", "1 = 0" if became else "1 = 1")
    values = ", ".join(f"({after[c]} - {before[c]})" for c in TWICE_COLUMNS)
    return _upsert(
        tables,
        TWICE_COLUMNS,
        f"SELECT e.campaign_id, {_department('e', tables)}, {values} "
        f"FROM {tables['evaluation']} AS e WHERE e.id = {evaluation} AND ({when})",
    )


def _returns(tables: dict[str, str], evaluation: str) -> str:
    return (
        f"(SELECT COUNT(*) FROM {tables['transition']} AS t WHERE t.evaluation_id = {evaluation} "
        f"AND t.action IN {_in(RETURN_ACTIONS)})"
    )


def _is_return(row: str) -> str:
    return f"({row}.action IN {_in(RETURN_ACTIONS)})"


def _twice_row(tables: dict[str, str], evaluation: str, became: bool, when: str) -> str:
    """The returned-twice table's row for the evaluation with id ``evaluation``: added when it
    crosses the line upwards (``became``), removed when downwards, under the SQL ``when``."""
    if became:
        return (
            f"INSERT INTO {tables['twice']} (evaluation_id) SELECT {evaluation} WHERE ({when}) "
            "ON CONFLICT (evaluation_id) DO NOTHING"
        )
    return f"DELETE FROM {tables['twice']} WHERE evaluation_id = {evaluation} AND ({when})"


def _transition_statements(tables: dict[str, str], op: str, with_twice: bool = True) -> list[str]:
    """What a transition's insert, delete or update does to the returned-twice columns.

    These run BEFORE the row changes: on PostgreSQL a row-level AFTER trigger of a statement that
    changes several rows (``QuerySet.delete`` of an evaluation's transitions) runs once the whole
    statement is done, and every firing would count the same final state; a BEFORE trigger sees
    the rows the statement changed before this one, so the counts step one row at a time (SQLite
    fires row by row either way). C is the returns counted before this row's change. An update is
    a delete of OLD then an insert of NEW: removing OLD crosses the line downwards when C = 2 for
    its evaluation; after that its evaluation counts C − [OLD was a return of it], and adding NEW
    crosses the line upwards when that is 1."""
    statements = []
    if op in ("delete", "update"):
        before = _returns(tables, "OLD.evaluation_id")
        crossed = f"{_is_return('OLD')} AND {before} = 2"
        statements.append(_twice_flip(tables, "OLD.evaluation_id", False, crossed))
        if with_twice:
            statements.append(_twice_row(tables, "OLD.evaluation_id", False, crossed))
    if op in ("insert", "update"):
        count = _returns(tables, "NEW.evaluation_id")
        if op == "update":
            count = (
                f"({count} - (CASE WHEN {_is_return('OLD')} AND OLD.evaluation_id = "
                "NEW.evaluation_id THEN 1 ELSE 0 END))"
            )
        crossed = f"{_is_return('NEW')} AND {count} = 1"
        statements.append(_twice_flip(tables, "NEW.evaluation_id", True, crossed))
        if with_twice:
            statements.append(_twice_row(tables, "NEW.evaluation_id", True, crossed))
    return statements


def _unit_moved(tables: dict[str, str], columns: tuple[str, ...] = COLUMNS) -> list[str]:
    """A unit moved to another department: its evaluations' counters move with it."""
    parts = _contribution("e", twice_sql("e", tables))
    statements = []
    for row, sign in (("OLD", "-"), ("NEW", "+")):
        values = ", ".join(f"{sign}SUM({parts[c]})" for c in columns)
        statements.append(
            _upsert(
                tables,
                columns,
                f"SELECT e.campaign_id, COALESCE({row}.parent_id, 0), {values} "
                f"FROM {tables['evaluation']} AS e WHERE e.unit_id = NEW.id "
                "GROUP BY e.campaign_id",
            )
        )
    return statements


def _changed(vendor: str) -> str:
    """The trigger's WHEN for an evaluation's update: only when a counted input changed, so an
    autosave of a draft's text does not write (and lock) its department's counter row."""
    differ = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(
        [
            f"OLD.status {differ} NEW.status",
            f"OLD.campaign_id {differ} NEW.campaign_id",
            f"OLD.unit_id {differ} NEW.unit_id",
            "(OLD.first_saved_at IS NULL) <> (NEW.first_saved_at IS NULL)",
            "(OLD.deadline_override IS NULL) <> (NEW.deadline_override IS NULL)",
            "(OLD.over_completions > 0) <> (NEW.over_completions > 0)",
            f"(NEW.status IN {_in(HANDED_IN)} AND (OLD.total {differ} NEW.total "
            f"OR OLD.grade {differ} NEW.grade))",
        ]
    )


def trigger_sql(
    vendor: str, with_twice: bool = True, columns: tuple[str, ...] = COLUMNS
) -> list[str]:
    """The statements that install the triggers on ``vendor`` ('postgresql' or 'sqlite');
    ``with_twice``: keep the returned-twice table too (false before migration 0016 made it);
    ``columns``: the counter columns the table has (fewer in the migrations before a column
    was added)."""
    tables = _tables()
    plans: list[tuple[str, str, str, str | None, list[str]]] = [
        # name, table, event, WHEN, body
        ("jixiao_counter_evaluation_insert", tables["evaluation"], "INSERT", None,
         [_row_delta(tables, "NEW", "+", columns)]),
        ("jixiao_counter_evaluation_update", tables["evaluation"], "UPDATE", _changed(vendor),
         [_row_remove(tables, "OLD", columns), _row_delta(tables, "NEW", "+", columns)]),
        ("jixiao_counter_evaluation_delete", tables["evaluation"], "DELETE", None,
         [_row_remove(tables, "OLD", columns)]),
        ("jixiao_counter_transition_insert", tables["transition"], "INSERT", None,
         _transition_statements(tables, "insert", with_twice)),
        ("jixiao_counter_transition_update", tables["transition"], "UPDATE",
         "OLD.action <> NEW.action OR OLD.evaluation_id <> NEW.evaluation_id",
         _transition_statements(tables, "update", with_twice)),
        ("jixiao_counter_transition_delete", tables["transition"], "DELETE", None,
         _transition_statements(tables, "delete", with_twice)),
        ("jixiao_counter_unit_moved", tables["organisation"], "UPDATE",
         "(OLD.parent_id IS NULL) <> (NEW.parent_id IS NULL) OR OLD.parent_id <> NEW.parent_id",
         _unit_moved(tables, columns)),
    ]  # fmt: skip
    out = []
    for name, table, event, when, body in plans:
        # The transitions' triggers run before the row changes (_transition_statements).
        timing = "BEFORE" if table == tables["transition"] else "AFTER"
        out += row_trigger_sql(vendor, name, table, timing, event, when, body)
    return out


def row_trigger_sql(
    vendor: str, name: str, table: str, timing: str, event: str, when: str | None, body: list[str]
) -> list[str]:
    """The statements that (re)install row trigger ``name`` running ``body`` on ``table``, for
    PostgreSQL (a PL/pgSQL function) or SQLite (a trigger body): shared by the counters here and
    the results app's year-targets triggers (jixiao.results.counters)."""
    condition = f" WHEN ({when})" if when else ""
    statements = "\n".join(f"  {s};" for s in body)
    if vendor == "postgresql":
        returned = ("OLD" if event == "DELETE" else "NEW") if timing == "BEFORE" else "NULL"
        return [
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
            f"BEGIN\n{statements}\n  RETURN {returned};\nEND\n$$",
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW{condition} "
            f"EXECUTE FUNCTION {name}()",
        ]
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {name}",
            f"CREATE TRIGGER {name} {timing} {event} ON {table} FOR EACH ROW{condition}\n"
            f"BEGIN\n{statements}\nEND",
        ]
    raise NotImplementedError(f"counter triggers: none for {vendor}")


def drop_trigger_sql(vendor: str, name: str, table: str) -> list[str]:
    """The statements that remove row trigger ``name`` of ``table`` (and its function)."""
    if vendor == "postgresql":
        return [f"DROP TRIGGER IF EXISTS {name} ON {table}", f"DROP FUNCTION IF EXISTS {name}()"]
    return [f"DROP TRIGGER IF EXISTS {name}"]


def uninstall_sql(vendor: str) -> list[str]:
    tables = _tables()
    on = {
        "evaluation": tables["evaluation"],
        "transition": tables["transition"],
        "unit": tables["organisation"],
    }
    return [
        statement
        for name in TRIGGER_NAMES
        for statement in drop_trigger_sql(vendor, name, on[name.split("_")[2]])
    ]


def _present_columns(connection: Any) -> tuple[str, ...]:
    """COLUMNS that the counter table has now: the migrations before the one that added a
    column install the triggers and rebuild with this module's current code too."""
    with connection.cursor() as cursor:
        have = {
            column.name
            for column in connection.introspection.get_table_description(
                cursor, _tables()["counter"]
            )
        }
    return tuple(c for c in COLUMNS if c in have)


def install(connection: Any = default_connection) -> None:
    with_twice = _has_twice_table(connection)
    columns = _present_columns(connection)
    with connection.cursor() as cursor:
        for statement in trigger_sql(connection.vendor, with_twice, columns):
            cursor.execute(statement)


def uninstall(connection: Any = default_connection) -> None:
    with connection.cursor() as cursor:
        for statement in uninstall_sql(connection.vendor):
            cursor.execute(statement)


def direct_sql(columns: tuple[str, ...] = COLUMNS) -> str:
    """Every campaign × department's counters aggregated from the evaluations themselves."""
    tables = _tables()
    parts = _contribution("e", twice_sql("e", tables))
    values = ", ".join(f"SUM({parts[c]}) AS {c}" for c in columns)
    return (
        f"SELECT e.campaign_id, COALESCE(o.parent_id, 0) AS department_id, {values} "
        f"FROM {tables['evaluation']} AS e JOIN {tables['organisation']} AS o ON o.id = e.unit_id "
        "GROUP BY e.campaign_id, COALESCE(o.parent_id, 0)"
    )


def twice_direct_sql() -> str:
    """The ids of the evaluations sent back at least twice, from their transitions."""
    tables = _tables()
    return (
        f"SELECT t.evaluation_id FROM {tables['transition']} AS t "
        f"WHERE t.action IN {_in(RETURN_ACTIONS)} "
        "GROUP BY t.evaluation_id HAVING COUNT(*) >= 2"
    )


def _normalise(row: dict[str, Any]) -> dict[str, Any]:
    return {
        c: (
            Decimal(str(row[c] or 0)).quantize(Decimal("0.01"))
            if c.endswith("score_sum")
            else int(row[c] or 0)
        )
        for c in COLUMNS
    }


def direct_counts(connection: Any = default_connection) -> dict[tuple[int, int], dict[str, Any]]:
    """(campaign id, department id) → counters, straight from the evaluations."""
    with connection.cursor() as cursor:
        cursor.execute(direct_sql())
        names = [d[0] for d in cursor.description]
        return {
            (row["campaign_id"], row["department_id"]): _normalise(row)
            for row in (dict(zip(names, values, strict=True)) for values in cursor.fetchall())
        }


def stored_counts() -> dict[tuple[int, int], dict[str, Any]]:
    """(campaign id, department id) → counters as stored; rows that count nothing are left out
    (a department whose last task moved away keeps a row of zeros)."""
    from jixiao.evaluations.models import DepartmentCounter

    out = {}
    for row in DepartmentCounter.objects.values("campaign_id", "department_id", *COLUMNS):
        if row["tasks"] or any(row[c] for c in COLUMNS):
            out[(row["campaign_id"], row["department_id"])] = _normalise(row)
    return out


def twice_drift(connection: Any = default_connection) -> list[str]:
    """What differs between the returned-twice table and the transitions (empty: none)."""
    tables = _tables()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT evaluation_id FROM {tables['twice']}")
        stored = {row[0] for row in cursor.fetchall()}
        cursor.execute(twice_direct_sql())
        direct = {row[0] for row in cursor.fetchall()}
    problems = []
    if direct - stored:
        missing = ", ".join(str(i) for i in sorted(direct - stored)[:20])
        problems.append(f"returned twice, not in {tables['twice']}: {missing}")
    if stored - direct:
        extra = ", ".join(str(i) for i in sorted(stored - direct)[:20])
        problems.append(f"in {tables['twice']}, not returned twice: {extra}")
    return problems


def drift() -> list[str]:
    """What differs between the stored counters (and the returned-twice table) and the direct
    aggregate (empty: none)."""
    stored, direct = stored_counts(), direct_counts()
    problems = twice_drift()
    for key in sorted(set(stored) | set(direct)):
        have, want = stored.get(key), direct.get(key)
        if have == want:
            continue
        if have is None or want is None:
            problems.append(f"campaign {key[0]} department {key[1]}: stored {have}, counted {want}")
            continue
        diffs = ", ".join(f"{c} {have[c]}≠{want[c]}" for c in COLUMNS if have[c] != want[c])
        problems.append(f"campaign {key[0]} department {key[1]}: {diffs}")
    return problems


def rebuild() -> int:
    """Replace every counter row (and the returned-twice table) with the direct aggregate, in one
    transaction that holds off writers to the evaluations meanwhile (PostgreSQL: SHARE lock).
    Returns the counter rows written."""
    tables = _tables()
    connection = default_connection
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"LOCK TABLE {tables['evaluation']}, {tables['transition']}, "
                f"{tables['organisation']} IN SHARE MODE"
            )
        if _has_twice_table(connection):
            cursor.execute(f"DELETE FROM {tables['twice']}")
            cursor.execute(
                f"INSERT INTO {tables['twice']} (evaluation_id) "
                f"SELECT evaluation_id FROM ({twice_direct_sql()}) AS direct"
            )
        cursor.execute(f"DELETE FROM {tables['counter']}")
        columns = _present_columns(connection)
        names = ", ".join(columns)
        cursor.execute(
            f"INSERT INTO {tables['counter']} (campaign_id, department_id, {names}) "
            f"SELECT campaign_id, department_id, {names} FROM ({direct_sql(columns)}) AS direct"
        )
        return int(cursor.rowcount)
