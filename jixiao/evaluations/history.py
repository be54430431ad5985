"""The unit's earlier self-evaluations, as the figures the scoring core holds a new actual to.

An actual far outside the same target's actual in an earlier year is flagged (issue 8.2,
scoring.plausibility.far_from_history). The earlier evaluation is the same unit's, in a campaign of
the same kind, one or two years earlier (``HISTORY_YEARS``), and — for a project evaluation — about
the same project (the same 项目编码 in the register, else the same project name). Any
status counts: last year's figures are the unit's own, whether or not they were approved.

The evaluation itself is already scoped to the user (the caller opened it through a selector); its
history is the same unit's, so it reveals nothing the user may not see.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.db.models import Q, Subquery

from jixiao.evaluations.models import Evaluation
from jixiao.projects.models import Project
from scoring.numbers import NumberFormatError, parse_decimal
from scoring.plausibility import HISTORY_YEARS, PastActual


def previous_actuals(evaluation: Evaluation) -> tuple[PastActual, ...]:
    """The targets' actuals of the unit's earlier evaluations of the same kind (one query, kept
    on the instance: a page that scores the evaluation several times asks once)."""
    cached = getattr(evaluation, "_previous_actuals", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    campaign = evaluation.campaign
    earlier = Evaluation.objects.filter(
        unit_id=evaluation.unit_id,
        campaign__kind=campaign.kind,
        campaign__year__gte=campaign.year - HISTORY_YEARS,
        campaign__year__lt=campaign.year,
    ).exclude(pk=evaluation.pk)
    if campaign.kind == "project":
        # The register keeps a project per budget year: the same project in an earlier year is
        # the one with the same 项目编码; an evaluation made before the register is matched by name.
        by_name = Q(project__isnull=True, project_name=evaluation.project_name)
        if evaluation.project_id is not None:
            code = Project.objects.filter(pk=evaluation.project_id).values("code")[:1]
            earlier = earlier.filter(Q(project__code=Subquery(code)) | by_name)
        else:
            earlier = earlier.filter(Q(project_name=evaluation.project_name))
    rows = earlier.order_by("campaign__year", "campaign__created_at", "pk").values_list(
        "campaign__year", "data"
    )
    # One evaluation per year: a later campaign of the same year (a re-issued notice) wins.
    by_year: dict[int, Any] = {}
    for year, data in rows:
        by_year[year] = data
    found: list[PastActual] = []
    for year, data in by_year.items():
        found += actuals_of(year, data)
    evaluation._previous_actuals = tuple(found)  # type: ignore[attr-defined]
    return evaluation._previous_actuals  # type: ignore[attr-defined]


def actuals_of(year: int, data: Any) -> list[PastActual]:
    """The targets with an actual in one evaluation's stored (or loaded) data."""
    targets = data.get("targets") if isinstance(data, dict) else None
    found = []
    for row in targets if isinstance(targets, list) else []:
        if not isinstance(row, dict) or row.get("actual") in (None, ""):
            continue
        with contextlib.suppress(NumberFormatError, TypeError, ValueError):
            found.append(
                PastActual(
                    year=year,
                    code=str(row.get("code") or ""),
                    name=str(row.get("name") or ""),
                    unit=str(row.get("unit") or ""),
                    actual=parse_decimal(str(row["actual"])),
                )
            )
    return found
