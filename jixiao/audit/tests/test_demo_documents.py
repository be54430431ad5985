"""Our own documents audit clean and fully read (#8.12): every demo evaluation × txt, docx, pdf.

The demo city (load_demo) has evaluations in every state, department and project ones. Each that
scores is rendered by jixiao.documents and audited: no error the data itself does not contain, no
figure printed against the display rule (unrounded_figure), and the cover fields, the score and
the grade read back exactly as the data says — nothing reported as not found that the document
states.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from jixiao.audit import audit_bytes
from jixiao.documents.package import render_document
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.scoring_bridge import score_data

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo_documents(django_db_setup: Any, django_db_blocker: Any) -> list[tuple[str, Any, Any]]:
    """(label, scored, data) of every demo evaluation that scores."""
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            call_command("load_demo", verbosity=0)
            found = []
            for evaluation in Evaluation.objects.select_related("unit").order_by("pk"):
                scored = score_data(evaluation.data)
                if scored.evaluation is None or scored.result is None:
                    continue  # not started: nothing to render yet
                label = f"{evaluation.pk} {evaluation.unit.name} {evaluation.project_name}"
                found.append((label, scored, evaluation.data))
            transaction.set_rollback(True)
    assert len(found) >= 15
    return found


@pytest.mark.parametrize("fmt", ["txt", "docx", "pdf"])
def test_every_demo_evaluation_audits_clean_and_fully_read(
    fmt: str, demo_documents: list[tuple[str, Any, dict[str, Any]]]
) -> None:
    faults: list[str] = []
    for label, scored, data in demo_documents:
        evaluation, result = scored.evaluation, scored.result
        content = render_document(evaluation, result, fmt, ruleset=scored.ruleset)
        report = audit_bytes(content, f"{label}.{fmt}")
        extracted = report.extracted
        unit = data.get("unit") or {}
        over_quota = (unit.get("staff_actual") or 0) > (unit.get("staffing_quota") or 10**9)
        for finding in report.findings:
            allowed_error = finding.code == "staff_over_quota" and over_quota
            if (finding.severity == "error" and not allowed_error) or (
                finding.code == "unrounded_figure"
            ):
                faults.append(f"{label} {fmt}: {finding.code} {finding.message}")
        expected = {
            "unit_name": evaluation.unit.name,
            "year": evaluation.year,
            "total_score": result.total.quantize(Decimal("0.01")),
            "grade": result.grade_name,
        }
        if evaluation.filled_on:
            expected["filled_on"] = evaluation.filled_on.isoformat()
        if evaluation.kind == "department":
            if evaluation.unit.staffing_quota is not None:
                expected["staffing_quota"] = evaluation.unit.staffing_quota
            if evaluation.unit.staff_actual is not None:
                expected["staff_actual"] = evaluation.unit.staff_actual
        if evaluation.project is not None:
            expected["project_name"] = evaluation.project.name
        for key, value in expected.items():
            read = extracted.get(key)
            if key == "total_score" and read is not None:
                read = Decimal(read)
            if read != value:
                faults.append(f"{label} {fmt}: {key} read {read!r}, the data says {value!r}")
    assert faults == []
