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

from django.db.models import Q, QuerySet

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
    """Rows strictly after ``values`` in ``order`` ((field, descending) pairs): the row-value
    comparison (a, b, c) > (x, y, z) spelled with AND/OR so SQLite and PostgreSQL both run it."""
    q = Q()
    for i, (name, descending) in enumerate(order):
        step = Q(**{order[j][0]: values[j] for j in range(i)})
        step &= Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        q |= step
    return q


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
) -> Page:
    """One page of ``queryset`` in ``order`` after ``cursor``: size + 1 rows fetched, the extra one
    only telling whether there is a next page. ``key`` reads a row's sort values (default: the
    attributes named in ``order``, with "__" read as attribute steps)."""
    values = decode(cursor, len(order))
    qs = queryset.order_by(*[f"-{n}" if d else n for n, d in order])
    if values is not None:
        qs = qs.filter(after(order, values))
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]

    def default_key(row: Any) -> list[Any]:
        out = []
        for name, _desc in order:
            value = row
            for part in name.split("__"):
                value = value[part] if isinstance(value, dict) else getattr(value, part)
            out.append(value)
        return out

    read = key or default_key
    next_cursor = encode(list(read(rows[-1]))) if more and rows else None
    return Page(rows=rows, next_cursor=next_cursor, size=size, cursor=cursor if values else None)
