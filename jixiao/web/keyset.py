"""Keyset pagination (issue 14): a page is "the next N rows after this row" in a fixed order,
never OFFSET, so the last page of 50,000 costs what the first does.

A cursor is the sort key of the last row shown, as URL-safe base64 of a JSON list. It restricts
nothing beyond the sort order: the queryset it is applied to already carries the user's scope, so
a forged cursor can only skip rows the user may see anyway. An unreadable cursor reads as the
first page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.db.models.functions import Coalesce

DEFAULT_PAGE = 50
MAX_PAGE = 200
MAX_CURSOR_CHARS = 2000


def encode(values: Sequence[Any]) -> str:
    plain = [str(v) if isinstance(v, Decimal) else v for v in values]
    raw = json.dumps(plain, ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None, size: int) -> list[Any] | None:
    """The ``size`` values of a cursor; None when absent or unreadable."""
    if not cursor or len(cursor) > MAX_CURSOR_CHARS:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != size:
        return None
    if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
        return None
    return values


def after(order: Sequence[tuple[str, bool]], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``order`` ((field, descending) pairs) as one condition
    (the OR of ``after_parts``)."""
    q = Q()
    for part in after_parts(order, values):
        q |= part
    return q


def _runs(order: Sequence[tuple[str, bool]]) -> list[tuple[int, int, bool]]:
    """The order's runs of columns sorted the same way: (start, end, descending)."""
    runs: list[tuple[int, int, bool]] = []
    for i, (_name, descending) in enumerate(order):
        if runs and runs[-1][2] == descending:
            runs[-1] = (runs[-1][0], i + 1, descending)
        else:
            runs.append((i, i + 1, descending))
    return runs


def after_parts(order: Sequence[tuple[str, bool]], values: Sequence[Any]) -> list[Q]:
    """Rows strictly after ``values`` in ``order``, as disjoint conditions listed in the order
    their rows come: for each run of columns sorted the same way, from the last run to the first,
    the columns before the run equal to the cursor's and the run's columns after it as one row
    comparison, ``(b, c, id) > (y, z, n)``. PostgreSQL reads a row comparison on consecutive index
    columns as an index range (an OR of column comparisons would be a filter over every row
    before the cursor); SQLite (3.15+) runs it too. An order of one direction is one part; the
    lists' ``-year, department, unit, project, id`` is two (same year after the cursor, then the
    older years)."""
    parts: list[Q] = []
    for start, end, descending in reversed(_runs(order)):
        q = Q(**{order[j][0]: values[j] for j in range(start)})
        names = [order[j][0] for j in range(start, end)]
        if len(names) == 1:
            q &= Q(**{f"{names[0]}__{'lt' if descending else 'gt'}": values[start]})
        else:
            compare = TupleLessThan if descending else TupleGreaterThan
            q &= Q(compare(Tuple(*[F(n) for n in names]), tuple(values[start:end])))
        parts.append(q)
    return parts


def _compiled(
    qs: QuerySet[Any], order: Sequence[tuple[str, bool]], values: Sequence[Any]
) -> list[QuerySet[Any]] | None:
    """The queries after ``values``, each compiled once so that a cursor whose values do not fit
    the columns (text for a number, a forged list) reads as the first page, not a 500."""
    try:
        queries = [qs.filter(part) for part in after_parts(order, values)]
        for query in queries:
            query.query.get_compiler(using=query.db).as_sql()
    except (ValueError, TypeError, ArithmeticError, ValidationError):
        return None
    return queries


@dataclass
class Page:
    rows: list[Any]
    next_cursor: str | None
    size: int
    cursor: str | None = None  # the cursor this page was read after (None: the first page)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_first(self) -> bool:
        return self.cursor is None


def page_size(value: Any, default: int = DEFAULT_PAGE, maximum: int = MAX_PAGE) -> int:
    """A requested page size, bounded to 1..maximum; the default when absent or not a number."""
    try:
        n = int(value)
    except (TypeError, ValueError):
        return default
    return max(1, min(n, maximum))


def paginate(
    queryset: QuerySet[Any],
    order: Sequence[tuple[str, bool]],
    *,
    cursor: str | None,
    size: int,
    key: Callable[[Any], Sequence[Any]] | None = None,
    small_scope: bool = False,
    whole: QuerySet[Any] | None = None,
) -> Page:
    """One page of ``queryset`` in ``order`` after ``cursor``: size + 1 rows fetched, the extra one
    only telling whether there is a next page. ``key`` reads a row's sort values (default: the
    attributes named in ``order``, with "__" read as attribute steps).

    After a cursor, each of ``after_parts`` is its own query (an index range each), read in turn
    until the page is full: an order of one direction is one query, a mixed one at most one per
    run of columns sorted the same way.

    ``small_scope``: the queryset keeps a small part of the table whose rows may all sit at the
    far end of the order (a department's units, a few thousand of 250,000). Its rows are then
    found first (through the unit index) and sorted, instead of walking the order's index until
    enough of them turn up: PostgreSQL, assuming them spread evenly, chose the walk and read
    233,000 index entries for 51 rows (docs/scale.md). The first sort column is given to ORDER BY
    as COALESCE(column, column), the same value, which no index serves.

    ``whole``: ``queryset`` reads only the sort columns, and the page's rows are then read whole
    from ``whole`` by id (with its joins): the sort over a department's rows joins nothing, and
    only the page's rows meet their organisations (a join before the sort read every
    organisation)."""
    values = decode(cursor, len(order))
    names: list[Any] = [f"-{n}" if d else n for n, d in order]
    if small_scope:
        first, descending = order[0]
        fenced = Coalesce(F(first), F(first))
        names[0] = fenced.desc() if descending else fenced.asc()
    qs = queryset.order_by(*names)
    parts = _compiled(qs, order, values) if values is not None else None
    if parts is None:
        values = None
        rows = list(qs[: size + 1])
    else:
        rows = []
        for part in parts:
            rows += list(part[: size + 1 - len(rows)])
            if len(rows) > size:
                break
    more = len(rows) > size
    rows = rows[:size]
    narrow = rows
    if whole is not None and rows:
        found = whole.in_bulk([row.pk for row in rows])
        rows = [found[row.pk] for row in rows if row.pk in found]

    def default_key(row: Any) -> list[Any]:
        out = []
        for name, _desc in order:
            value = row
            for part in name.split("__"):
                value = value[part] if isinstance(value, dict) else getattr(value, part)
            out.append(value)
        return out

    read = key or default_key
    next_cursor = encode(list(read(narrow[-1]))) if more and narrow else None
    return Page(rows=rows, next_cursor=next_cursor, size=size, cursor=cursor if values else None)
