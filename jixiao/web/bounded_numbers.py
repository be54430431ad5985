"""Numbers from URLs and query strings, bounded to what the database can hold.

An id or offset longer than a bigint reached the database and crashed it (SQLite: OverflowError,
PostgreSQL: DataError), answering 500. Every numeric URL part goes through ``IdConverter``
(registered as ``<id:…>``; pages then answer 404), every number a page reads from a query string
through ``query_id``/``query_int``, and the API declares ``ObjectId``/``Offset``/``Year`` so
pydantic answers 422.
"""

from __future__ import annotations

from typing import Annotated

from annotated_types import Ge, Le

# The largest value of a bigint (BigAutoField, PostgreSQL int8, SQLite INTEGER).
MAX_ID = 2**63 - 1
# Beyond any table this project will hold; SQL OFFSET must stay within a bigint too.
MAX_OFFSET = 10**9
MIN_YEAR, MAX_YEAR = 1900, 9999

ObjectId = Annotated[int, Ge(1), Le(MAX_ID)]
Offset = Annotated[int, Ge(0), Le(MAX_OFFSET)]
Year = Annotated[int, Ge(MIN_YEAR), Le(MAX_YEAR)]


class IdConverter:
    """``<id:name>``: a database id. Anything longer than a bigint does not match (404)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("larger than any id")  # Django: the pattern does not match
        return number

    def to_url(self, value: int | str) -> str:
        return str(value)


def query_int(raw: str | None, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """A whole number from a query string, or None when absent, malformed or out of range."""
    if raw is None:
        return None
    raw = raw.strip()
    # ASCII only: str.isdigit() and int() also accept other scripts' digits.
    if not raw.isascii() or not raw.isdigit() or len(raw) > len(str(maximum)):
        return None
    number = int(raw)
    return number if minimum <= number <= maximum else None


def query_id(raw: str | None) -> int | None:
    """A database id from a query string, or None."""
    return query_int(raw, minimum=1)


def query_year(raw: str | None) -> int | None:
    return query_int(raw, minimum=MIN_YEAR, maximum=MAX_YEAR)
