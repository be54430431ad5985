"""Writing cells of every workbook jixiao makes: text stays text (公式注入防护).

A unit types its target names, explanations, unit names…; some of that lands in workbooks that are
frozen, hashed and served to the public (数据表, 评分表), or forwarded inside the bureau (进度表,
审查汇总). openpyxl turns any string that starts with "=" into a formula cell, and Excel or WPS then
evaluates it when the file is opened (``=HYPERLINK(…)``, DDE ``=cmd|' /C calc'!A0``). So every cell
we write goes through :func:`set_cell` (or :func:`write_cell` / :func:`append_row`):

- a ``str`` becomes a text cell (data type ``s``), whatever it starts with, with openpyxl's illegal
  control characters removed (they would make openpyxl refuse the whole file) and capped at Excel's
  32,767 characters; one that starts like a formula (= + - @, or tab/CR/LF before one) also carries
  Excel's quote prefix, so editing the cell in Excel or WPS and pressing Enter keeps it text;
- numbers (int, Decimal, float), dates and None are written as they are: figures we compute stay
  numeric cells a reader can add up.

Pure Python (openpyxl); no Django, so ``scoring``'s own sheets and the web apps use the same code.
A test (jixiao/documents/tests/test_sheet_cells_guard.py) fails if a module writes cells another way.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

#: Excel's limit for the text of one cell.
MAX_CELL_CHARS = 32767
#: What a spreadsheet may read as the start of a formula (OWASP "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def cell_text(value: str) -> str:
    """``value`` as the text a cell can hold: no illegal control characters, at most 32,767 chars."""
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_CELL_CHARS]


def set_cell(cell: Any, value: object) -> Any:
    """Put ``value`` into ``cell``: text as a text cell (never a formula), anything else as is."""
    if isinstance(value, str):
        text = cell_text(value)
        cell.value = text
        # openpyxl infers "f" (formula) for "=…" and "e" (error) for "#N/A" and the like.
        cell.data_type = "s"
        if text.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def write_cell(ws: Any, row: int, column: int, value: object) -> Any:
    """Write ``value`` at (row, column) of worksheet ``ws`` through :func:`set_cell`."""
    return set_cell(ws.cell(row=row, column=column), value)


def row_cells(ws: Any, values: Iterable[object]) -> list[Cell]:
    """Cells of ``ws`` holding ``values`` through :func:`set_cell`, not yet placed: to style them
    before ``ws.append`` (a write-only sheet cannot style a cell once it is written)."""
    cells = []
    for value in values:
        cell = Cell(ws, row=1, column=1)  # placed by ws.append (a write-only sheet needs both)
        set_cell(cell, value)
        cells.append(cell)
    return cells


def append_row(ws: Any, values: Iterable[object], *, font: Any = None, fill: Any = None) -> None:
    """``ws.append(values)`` with every value written through :func:`set_cell` (also on a
    write-only sheet, which streams rows to disk as they come), styled with ``font``/``fill``."""
    cells = row_cells(ws, values)
    for cell in cells:
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
    ws.append(cells)
