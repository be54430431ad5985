"""The scoring package stays pure Python: no Django, no jixiao (docs/decisions.md, house style)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
FORBIDDEN = ("django", "jixiao", "config")


def test_importing_every_scoring_module_loads_no_django() -> None:
    script = (
        "import pkgutil, importlib, sys, scoring\n"
        "for m in pkgutil.walk_packages(scoring.__path__, 'scoring.'):\n"
        "    if '.tests' not in m.name:\n"
        "        importlib.import_module(m.name)\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith('scoring.'))))\n"
        "print(','.join(sorted(m for m in sys.modules"
        " if m.split('.')[0] in ('django', 'jixiao', 'config'))))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        cwd=PACKAGE.parent,
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "", "PYTHONPATH": str(PACKAGE.parent)},
    )
    loaded, forbidden = completed.stdout.splitlines()
    modules = {f"scoring.{p.stem}" for p in PACKAGE.glob("*.py") if p.name != "__init__.py"}
    assert modules <= set(loaded.split(","))  # the walk really imported every module
    assert forbidden == ""


def test_no_scoring_source_file_imports_django() -> None:
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            offenders += [
                f"{path.relative_to(PACKAGE)}: {n}" for n in names if n.split(".")[0] in FORBIDDEN
            ]
    assert offenders == []
