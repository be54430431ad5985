"""A guard for #9.1: no module writes worksheet cells except through scoring.sheet_cells.

openpyxl makes a formula of any "=…" string assigned to a cell, so a new exporter that writes
``cell.value = text``, ``ws.cell(row, col, value)``, ``ws["A1"] = text`` or ``ws.append(row)`` itself
would bring formula injection back. This test reads the source of every production module and fails
naming each such write; use ``write_cell`` / ``set_cell`` / ``append_row`` instead.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("scoring", "jixiao", "config")
HELPER = ROOT / "scoring" / "sheet_cells.py"
# Receivers that are worksheets by the names this code base gives them.
SHEETISH = re.compile(r"(^|_)(ws|sheet|worksheet|sheets|book|workbook)s?$|sheet$", re.IGNORECASE)


def _modules() -> list[Path]:
    paths = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).parts
            if "tests" in parts or "migrations" in parts or path == HELPER:
                continue
            paths.append(path)
    return paths


def _receiver(node: ast.expr) -> str:
    """The last name of ``a.b.ws`` / ``ws`` / ``book["x"]`` (the thing being written to)."""
    while isinstance(node, ast.Subscript):
        node = node.value
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return ""


def _sheet_names(tree: ast.AST) -> set[str]:
    """Names bound to worksheets: ``x = book.active``, ``x = book.create_sheet(…)``, ``x: Worksheet``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign):
            value = node.value
            if (isinstance(value, ast.Attribute) and value.attr == "active") or (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr in ("create_sheet", "copy_worksheet")
            ):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.arg) and "Worksheet" in ast.unparse(
            node.annotation or ast.Pass()
        ):
            names.add(node.arg)
    return names


def _is_sheet(name: str, sheets: set[str]) -> bool:
    return name in sheets or bool(SHEETISH.search(name))


def raw_cell_writes(source: str) -> list[tuple[int, str]]:
    """(line, what) for every cell write that bypasses scoring.sheet_cells."""
    tree = ast.parse(source)
    uses_openpyxl = "openpyxl" in source or "Workbook" in source or "Worksheet" in source
    found: set[tuple[int, str]] = set()
    # Worksheet names are tracked per function, so a list called ``details`` in one function is
    # not taken for the sheet called ``details`` in another.
    scopes = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for scope in [tree, *scopes]:
        sheets = _sheet_names(scope) if scope is not tree else set()
        for node in ast.walk(scope):
            found.update(_write(node, sheets, uses_openpyxl))
    return sorted(found)


def _write(node: ast.AST, sheets: set[str], uses_openpyxl: bool) -> list[tuple[int, str]]:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        name = node.func.attr
        if name == "cell" and (len(node.args) >= 3 or any(k.arg == "value" for k in node.keywords)):
            return [(node.lineno, "ws.cell(…, value)")]
        receiver = _receiver(node.func.value)
        if name == "append" and uses_openpyxl and _is_sheet(receiver, sheets):
            return [(node.lineno, f"{receiver}.append(…)")]
    elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign) and uses_openpyxl:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "value":
                return [(node.lineno, "cell.value = …")]
            if isinstance(target, ast.Subscript) and _is_sheet(_receiver(target.value), sheets):
                return [(node.lineno, "ws[…] = …")]
    return []


def test_guard_sees_each_way_of_writing_a_cell() -> None:
    bad = (
        "from openpyxl import Workbook\n"
        "ws = Workbook().active\n"
        "ws.append(['=1+1'])\n"
        "ws.cell(row=1, column=1, value='=1')\n"
        "ws.cell(1, 1, '=1')\n"
        "ws.cell(row=1, column=1).value = '=1'\n"
        "ws['A1'] = '=1'\n"
        "summary_sheet.append(['=1'])\n"
        "def f(target: Worksheet) -> None:\n"
        "    notes = Workbook().create_sheet('说明')\n"
        "    notes.append(['=1'])\n"
        "    target.append(['=1'])\n"
    )
    assert [line for line, _ in raw_cell_writes(bad)] == [3, 4, 5, 6, 7, 8, 11, 12]
    good = (
        "from openpyxl import Workbook\n"
        "from scoring.sheet_cells import append_row, write_cell\n"
        "ws = Workbook().active\n"
        "append_row(ws, ['=1+1'])\n"
        "write_cell(ws, 1, 1, '=1')\n"
        "ws.cell(row=1, column=1).font = None\n"
        "rows.append(1)\n"
        "def g() -> None:\n"
        "    notes = []\n"
        "    notes.append(1)\n"
        "def h() -> None:\n"
        "    notes = Workbook().create_sheet('说明')\n"
        "    append_row(notes, [1])\n"
    )
    assert raw_cell_writes(good) == []


def test_no_module_writes_cells_without_the_helper() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _modules()
        for line, what in raw_cell_writes(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "write cells through scoring.sheet_cells:\n" + "\n".join(offenders)
