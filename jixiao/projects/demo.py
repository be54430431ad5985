"""Demo data for the 项目库 (``manage.py load_demo``): registered projects with budget lines by fund
source for 2025 and 2026, and the 部门整体 budget lines.

* the seed unit: its 2025 project (the 2025 project self-evaluation is linked to it), another 2025
  project, three 2026 projects (one is the monitoring round's 职业技能等级认定补贴, registered there
  first when that demo ran before), and its 部门整体 lines (2025: the seed's 33.28 → 38.45 万元);
* 湛江市教育考试中心: five projects a year, one of them over two fund sources and one across years.

Through the real services (save_project, save_unit_budget) as the bureau admin, so the totals and
the 操作日志 are what the system produces. Idempotent: what exists is kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation
from jixiao.projects.models import BudgetLine, Project
from jixiao.projects.services import LineValues, save_project, save_unit_budget

D = Decimal
FUNDS = "当年财政拨款"
OTHER = "其他资金"
CARRIED = "上年结转资金"

# (year, code, name, category, period, [(source, 年初, 调整后, 执行)])
SEED_PROJECTS: tuple[tuple[int, str, str, str, tuple[int, int], list[tuple[str, str, str, str]]], ...] = (
    (2025, "2025-JD-01", "职业技能等级认定补贴", "专项业务", (2025, 2025),
     [(FUNDS, "150.00", "165.00", "160.20")]),
    (2025, "2025-JD-02", "职业技能等级认定质量督导专项", "专项业务", (2025, 2025),
     [(FUNDS, "28.00", "30.00", "28.50")]),
    # The monitoring demo registers this one with a single 财政拨款 line; the same figures here.
    (2026, "2026-JD-01", "职业技能等级认定补贴", "专项业务", (2026, 2026),
     [("财政拨款", "180.00", "180.00", "52.00")]),
    (2026, "2026-JD-02", "职业技能等级认定质量督导专项", "专项业务", (2026, 2026),
     [(FUNDS, "32.00", "32.00", "11.40")]),
    (2026, "2026-JD-03", "职业技能竞赛组织", "专项业务", (2026, 2027),
     [(FUNDS, "60.00", "60.00", "8.00"), (OTHER, "10.00", "10.00", "0.00")]),
)  # fmt: skip

EXAM_UNIT = "湛江市教育考试中心"
EXAM_PROJECTS: tuple[tuple[str, str, str, tuple[int, int], list[tuple[str, str, str, str]]], ...] = (
    ("KS-01", "高考考务组织", "考试考务", (2025, 2027),
     [(FUNDS, "420.00", "450.00", "0"), (OTHER, "35.00", "35.00", "0")]),
    ("KS-02", "中考考务组织", "考试考务", (2025, 2027), [(FUNDS, "260.00", "260.00", "0")]),
    ("KS-03", "自学考试与社会考试", "考试考务", (0, 0), [(FUNDS, "85.00", "80.00", "0")]),
    ("KS-04", "标准化考点运维", "信息化建设", (0, 0),
     [(FUNDS, "120.00", "120.00", "0"), (CARRIED, "18.50", "18.50", "0")]),
    ("KS-05", "考试安全保密与视频巡查", "专项业务", (0, 0), [(FUNDS, "46.00", "46.00", "0")]),
)  # fmt: skip
# How much of the year was spent: 2025 is closed; 2026 stands at the end of July.
EXECUTED_SHARE = {2025: D("0.96"), 2026: D("0.45")}

UNIT_BUDGETS = {
    # The seed report's own figures: 年初 33.28, spent 38.45 (adjusted to 38.45).
    2025: [(FUNDS, "33.28", "38.45", "38.45")],
    2026: [(FUNDS, "35.00", "35.00", "18.20")],
}
EXAM_UNIT_BUDGETS = {
    2025: [(FUNDS, "612.40", "640.10", "628.75"), (OTHER, "40.00", "40.00", "36.20")],
    2026: [(FUNDS, "655.00", "655.00", "301.30"), (OTHER, "42.00", "42.00", "15.00")],
}


def _lines(rows: list[tuple[str, str, str, str]]) -> list[LineValues]:
    return [LineValues(source, D(a), D(b), D(c)) for source, a, b, c in rows]


def _project(
    loader: Any,
    unit: Organisation,
    year: int,
    code: str,
    name: str,
    category: str,
    period: tuple[int, int],
    lines: list[LineValues],
) -> int:
    if Project.objects.filter(unit=unit, year=year, code=code).exists():
        return 0
    save_project(
        user=loader.users["bureau_admin"],
        project_id=None,
        unit=unit,
        values={
            "year": year,
            "code": code,
            "name": name,
            "category": category,
            "period_start": period[0] or year,
            "period_end": period[1] or year,
            "is_active": True,
        },
        lines=lines,
    )
    return 1


def _unit_budget(loader: Any, unit: Organisation, budgets: dict[int, Any]) -> None:
    for year, rows in budgets.items():
        if BudgetLine.objects.filter(unit=unit, year=year, project__isnull=True).exists():
            continue
        save_unit_budget(
            user=loader.users["bureau_admin"], unit_id=unit.pk, year=year, lines=_lines(rows)
        )


def load_register(loader: Any) -> int:
    """Returns the number of projects registered now (0 when the demo register exists)."""
    created = 0
    seed = loader.seed_unit
    for year, code, name, category, period, rows in SEED_PROJECTS:
        created += _project(loader, seed, year, code, name, category, period, _lines(rows))
    _unit_budget(loader, seed, UNIT_BUDGETS)
    # The seed's 2025 project self-evaluation is about the registered project.
    project_2025 = Project.objects.get(unit=seed, year=2025, code="2025-JD-02")
    Evaluation.objects.filter(
        unit=seed, campaign__kind="project", campaign__year=2025, project_name=project_2025.name,
        project__isnull=True,
    ).update(project=project_2025)  # fmt: skip

    exam = Organisation.objects.get(name=EXAM_UNIT)
    for year, share in EXECUTED_SHARE.items():
        for code, name, category, period, rows in EXAM_PROJECTS:
            lines = [
                LineValues(
                    source,
                    D(initial),
                    D(adjusted),
                    (D(adjusted) * share).quantize(D("0.01")),
                )
                for source, initial, adjusted, _executed in rows
            ]
            created += _project(loader, exam, year, f"{year}-{code}", name, category, period, lines)
    _unit_budget(loader, exam, EXAM_UNIT_BUDGETS)
    return created
