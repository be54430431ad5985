"""Shortcuts for view tests: move an evaluation along the workflow without the PDF renderer."""

from __future__ import annotations

import hashlib

from django.utils import timezone

from jixiao.documents.digests import sm3_hex
from jixiao.evaluations.models import Evaluation, Status
from jixiao.organisations.models import User
from jixiao.reviews.models import FrozenDocument, Publication, Transition


def move(evaluation: Evaluation, status: Status, actor: User, action: str = "test") -> Transition:
    """Put an evaluation in ``status`` with one recorded step (as the service would)."""
    from_status = evaluation.status
    evaluation.status = status
    evaluation.status_changed_at = timezone.now()
    evaluation.save()
    return Transition.objects.create(
        evaluation=evaluation,
        action=action,
        from_status=from_status,
        to_status=status,
        actor=actor,
        snapshot={
            "version": evaluation.version,
            "status": status,
            "total": str(evaluation.total),
            "grade": evaluation.grade,
            "data": evaluation.data,
        },
    )


def freeze_directly(evaluation: Evaluation) -> None:
    """Small stand-in frozen files (the real renderers are tested elsewhere)."""
    for fmt, name in (
        ("pdf", "报告.pdf"),
        ("docx", "报告.docx"),
        ("data.xlsx", "数据表.xlsx"),
        ("scoring.xlsx", "评分表.xlsx"),
    ):
        content = f"{evaluation.pk}:{fmt}".encode()
        FrozenDocument.objects.create(
            evaluation=evaluation,
            format=fmt,
            filename=f"{evaluation.unit.name}{name}",
            content=content,
            sha256=hashlib.sha256(content).hexdigest(),
            sm3=sm3_hex(content),
            size=len(content),
        )


def publish_directly(evaluation: Evaluation, actor: User) -> Publication:
    """A published evaluation with small stand-in files."""
    move(evaluation, Status.PUBLISHED, actor, "publish")
    freeze_directly(evaluation)
    assert evaluation.total is not None
    return Publication.objects.create(
        evaluation=evaluation,
        published_by=actor,
        total=evaluation.total,
        grade=evaluation.grade,
        unit_name=evaluation.unit.name,
        department_name=evaluation.unit.parent.name if evaluation.unit.parent else "",
        year=evaluation.campaign.year,
        project_name=evaluation.project_name,
    )
