"""Demo data for 整改 and 结果应用 (``manage.py load_demo``), through the real services.

* the seed unit's 2025 self-evaluation names its own 存在问题: the first becomes a 整改任务 the unit
  reported on and the bureau confirmed, the second one still open (due in three weeks);
* the 结果应用 table is stored for 2025 and 2024 (the rows the budget office's page and xlsx read).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from jixiao.campaigns.models import EvaluationKind
from jixiao.evaluations.models import Evaluation, Status
from jixiao.rectification import services
from jixiao.rectification.models import RectificationTask
from jixiao.rectification.sources import resolve_source

SEED_UNIT_USER = "unit_editor"


def load_follow_up(loader: Any) -> None:
    """Nothing when the unit already has tasks (idempotent)."""
    from jixiao.results.assessment import compute_snapshot
    from jixiao.results.services import refresh_year

    editor = loader.users[SEED_UNIT_USER]
    admin = loader.users["bureau_admin"]
    unit = editor.organisation
    if RectificationTask.objects.filter(unit=unit).exists():
        return
    evaluation = (
        Evaluation.objects.filter(
            unit=unit,
            campaign__year=2025,
            campaign__kind=EvaluationKind.DEPARTMENT,
            status__in=(Status.APPROVED, Status.PUBLISHED),
        )
        .order_by("pk")
        .first()
    )
    problems = list((evaluation.data or {}).get("problems") or []) if evaluation else []
    today = timezone.localdate()
    for index, (weeks, done) in enumerate(((4, True), (3, False))):
        if evaluation is None or index >= len(problems):
            break
        source = resolve_source(
            user=admin, query={"kind": "report_problem", "id": f"{evaluation.pk}:{index}"}
        )
        task = services.raise_task(
            user=admin,
            source=source,
            unit=unit,
            problem=source.problem or str(problems[index]),
            measures=source.measures or "制定整改方案，明确责任人和完成时限，按期报送整改情况。",
            deadline=today + dt.timedelta(weeks=weeks),
            year=2025,
        )
        if done:
            services.report_task(
                user=editor,
                task_id=task.pk,
                report="已修订绩效指标体系：三级指标全部量化，证书发放指标按上年实际完成数重新设定，"
                "并在2026年绩效目标申报中落实。",
            )
            services.decide_task(
                user=admin, task_id=task.pk, confirm=True, comment="整改到位，予以确认。"
            )
    for year in (2024, 2025):
        refresh_year(year)
        # as the 结果应用 refresh job does: the year's 部门考核 computed with it
        compute_snapshot(year=year, user=admin)
