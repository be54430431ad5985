"""The writes of 整改: raise a task, the unit reports with evidence, the bureau or the supervising
department confirms or reopens. Each in a transaction, with a step row and an 操作日志 event."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.activity.services import record_event
from jixiao.activity.texts import log_text
from jixiao.organisations.models import Organisation, User
from jixiao.organisations.selectors import unit_scope_q
from jixiao.rectification.hooks import rectification_notice
from jixiao.rectification.models import (
    UNIT_PENDING,
    RectificationEvidence,
    RectificationStep,
    RectificationTask,
    TaskStatus,
)
from jixiao.rectification.sources import Source, safe_local_url


class RectificationRefused(Exception):
    """The step is not allowed; ``problems`` says why (中文), and nothing was changed."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("；".join(problems))


def may_raise(user: User) -> bool:
    """The bureau raises tasks for any unit, a supervising department for its own units."""
    return user.is_bureau_user or user.is_department_user


def may_decide(user: User, task: RectificationTask) -> bool:
    """The bureau, or the department the unit belongs to, confirms or reopens (the unit is in the
    user's scope already: selectors.get_task)."""
    return user.is_bureau_user or user.is_department_user


def _step(task: RectificationTask, user: User, action: str, before: str, comment: str = "") -> None:
    RectificationStep.objects.create(
        task=task,
        action=action,
        from_status=before,
        to_status=task.status,
        actor=user,
        comment=comment,
    )


def _locked(user: User, task_id: int) -> RectificationTask:
    task = (
        RectificationTask.objects.select_for_update()
        .filter(unit_scope_q(user, "unit"), pk=task_id)
        .select_related("unit")
        .first()
    )
    if task is None:
        raise Http404
    return task


def raise_task(
    *,
    user: User,
    source: Source,
    unit: Organisation | None,
    problem: str,
    measures: str,
    deadline: dt.date,
    year: int,
) -> RectificationTask:
    """整改任务 for ``unit`` from ``source`` (resolved in the user's scope: sources.resolve_source)."""
    if not may_raise(user):
        raise Http404
    problems = []
    if unit is None:
        problems.append(_("请选择整改单位"))
    if not problem.strip():
        problems.append(_("请填写存在的问题"))
    if not measures.strip():
        problems.append(_("请填写整改要求"))
    if deadline < timezone.localdate():
        problems.append(_("整改期限不能早于今天"))
    if problems:
        raise RectificationRefused(problems)
    assert unit is not None
    if not Organisation.objects.filter(unit_scope_q(user), pk=unit.pk).exists():
        raise Http404
    with transaction.atomic():
        task = RectificationTask.objects.create(
            unit=unit,
            department=unit.parent,
            evaluation=source.evaluation,
            year=year,
            problem=problem.strip(),
            measures=measures.strip(),
            deadline=deadline,
            source_kind=source.kind,
            source_id=source.id,
            source_label=source.label,
            source_url=safe_local_url(source.url),
            raised_by=user,
        )
        _step(task, user, "raise", "", "")
        record_event(
            actor=user,
            action="rectification.raise",
            target=task,
            unit=unit,
            summary=log_text(
                "下达整改任务：{unit}，{problem}", unit=unit.name, problem=task.problem[:60]
            ),
            details={
                "source": {"kind": task.source_kind, "id": task.source_id, "url": task.source_url},
                "deadline": deadline.isoformat(),
                "year": year,
            },
        )
        transaction.on_commit(lambda: rectification_notice(task=task, event="assigned", actor=user))
    return task


def report_task(*, user: User, task_id: int, report: str) -> RectificationTask:
    """The unit reports what it did (整改情况); open or reopened → reported."""
    if not user.is_unit_user:
        raise RectificationRefused([_("只有整改单位可以报送整改情况")])
    if not report.strip():
        raise RectificationRefused([_("请填写整改情况")])
    with transaction.atomic():
        task = _locked(user, task_id)
        if task.status not in UNIT_PENDING:
            raise RectificationRefused(
                [_("当前状态“{status}”下不能报送").format(status=task.get_status_display())]
            )
        before = task.status
        task.status = TaskStatus.REPORTED
        task.report = report.strip()
        task.reported_at = timezone.now()
        task.save(update_fields=["status", "report", "reported_at", "updated_at"])
        _step(task, user, "report", before, task.report)
        record_event(
            actor=user,
            action="rectification.report",
            target=task,
            unit=task.unit,
            summary=log_text("报送整改情况：{task}", task=task),
            details={"changes": {"status": [before, task.status]}, "report": task.report},
        )
        transaction.on_commit(lambda: rectification_notice(task=task, event="reported", actor=user))
    return task


def decide_task(*, user: User, task_id: int, confirm: bool, comment: str) -> RectificationTask:
    """确认整改 (reported → confirmed) or 重新整改 (reported → reopened, a comment required)."""
    if not (user.is_bureau_user or user.is_department_user):
        raise RectificationRefused([_("只有财政局或主管部门可以确认整改")])
    if not confirm and not comment.strip():
        raise RectificationRefused([_("要求重新整改时须填写意见")])
    with transaction.atomic():
        task = _locked(user, task_id)
        if task.status != TaskStatus.REPORTED:
            raise RectificationRefused(
                [_("当前状态“{status}”下不能确认").format(status=task.get_status_display())]
            )
        before = task.status
        task.status = TaskStatus.CONFIRMED if confirm else TaskStatus.REOPENED
        task.decided_at = timezone.now()
        task.decision_comment = comment.strip()
        task.save(update_fields=["status", "decided_at", "decision_comment", "updated_at"])
        action = "confirm" if confirm else "reopen"
        _step(task, user, action, before, task.decision_comment)
        record_event(
            actor=user,
            action=f"rectification.{action}",
            target=task,
            unit=task.unit,
            summary=(
                log_text("确认整改：{task}", task=task)
                if confirm
                else log_text("要求重新整改：{task}", task=task)
            ),
            details={
                "changes": {"status": [before, task.status]},
                "comment": task.decision_comment,
            },
        )
        event = "confirmed" if confirm else "reopened"
        transaction.on_commit(lambda: rectification_notice(task=task, event=event, actor=user))
    return task


def attach_evidence(*, user: User, task_id: int, upload: Any) -> RectificationEvidence:
    """整改佐证, checked as the evaluations' evidence is (by content: evaluations.evidence_checks)."""
    from jixiao.evaluations.evidence_checks import check_evidence_content
    from jixiao.evaluations.services import (
        EVIDENCE_KINDS,
        EvidenceRefused,
        sniff_evidence_kind,
    )

    if not user.is_unit_user:
        raise RectificationRefused([_("只有整改单位可以上传整改佐证")])
    limit = int(settings.JIXIAO_EVIDENCE_MAX_BYTES)
    with transaction.atomic():
        task = _locked(user, task_id)
        if task.status not in UNIT_PENDING:
            raise RectificationRefused([_("整改情况已报送，不能再上传佐证")])
        if upload.size > limit:
            raise RectificationRefused(
                [_("文件过大，单个文件不能超过 {n} MB").format(n=limit // (1024 * 1024))]
            )
        upload.seek(0)
        kind = sniff_evidence_kind(upload.read(16), upload)
        if kind is None:
            raise RectificationRefused(
                [
                    _(
                        "“{name}”不是可接受的文件类型。只接受 PDF、Word（docx）、Excel（xlsx）、"
                        "JPG 和 PNG 文件（按文件内容识别）"
                    ).format(name=upload.name)
                ]
            )
        try:
            check_evidence_content(kind, upload)
        except EvidenceRefused as refused:
            raise RectificationRefused([str(refused)]) from refused
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        name = str(upload.name or "file").replace("/", "_").replace("\\", "_")[-200:]
        item = RectificationEvidence(
            task=task,
            original_name=name,
            content_type=EVIDENCE_KINDS[kind][0],
            size=upload.size,
            sha256=digest.hexdigest(),
            uploaded_by=user,
        )
        item.file.save(item.sha256, upload, save=False)
        item.save()
        record_event(
            actor=user,
            action="rectification.evidence_upload",
            target=item,
            unit=task.unit,
            summary=log_text("上传整改佐证：{name}", name=item.original_name),
            details={"task": task.pk, "size": item.size, "sha256": item.sha256},
        )
    return item
