"""整改 (rectification) follow-up: a task raised from a problem found, reported by the unit with
evidence, confirmed or reopened by the bureau or the supervising department.

A task's source is a generic reference (kind, id, label, url), so a task raised from a monitoring
warning links to it without this app importing jixiao.monitoring.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation


class SourceKind(models.TextChoices):
    REVIEW_RETURN = "review_return", _("审核退回意见")
    RECHECK = "recheck", _("复核发现")
    MONITORING_WARNING = "monitoring_warning", _("监控预警")
    AUDIT_FINDING = "audit_finding", _("报告审查发现")
    REPORT_PROBLEM = "report_problem", _("自评报告存在问题")
    OTHER = "other", _("其他")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待整改")
    REPORTED = "reported", _("已报整改情况（待确认）")
    CONFIRMED = "confirmed", _("已确认整改")
    REOPENED = "reopened", _("重新整改")


# What the unit still has to do: these count as overdue past the deadline.
UNIT_PENDING = (TaskStatus.OPEN, TaskStatus.REOPENED)


class RectificationTask(models.Model):
    """整改任务: one problem a unit must fix by a deadline, with where it was found."""

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="rectification_tasks"
    )
    # The unit's 主管部门 when the task was raised: the per-department counts read this column.
    department = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_tasks",
    )
    year = models.PositiveIntegerField(_("所属年度"))
    problem = models.TextField(_("问题"), max_length=2000)
    measures = models.TextField(_("整改要求"), max_length=2000)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    source_kind = models.CharField(_("来源"), max_length=24, choices=SourceKind.choices)
    source_id = models.CharField(max_length=64, blank=True)
    source_label = models.CharField(_("来源说明"), max_length=200, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(auto_now_add=True)
    report = models.TextField(_("整改情况"), blank=True, max_length=5000)
    reported_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("确认意见"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("整改任务")
        verbose_name_plural = _("整改任务")
        indexes = [
            models.Index(fields=["status", "deadline"], name="rect_status_deadline"),
            models.Index(fields=["unit", "year"], name="rect_unit_year"),
            models.Index(fields=["department", "status"], name="rect_department_status"),
            # the list's keyset order (selectors.task_page): a page is one index range
            models.Index(fields=["deadline", "id"], name="rect_deadline_order"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}：{self.problem[:30]}"


class RectificationStep(models.Model):
    """整改记录: one step of a task (raised, reported, confirmed, reopened) with its comment."""

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["task", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.task_id} {self.action}"


def rectification_evidence_path(instance: RectificationEvidence, filename: str) -> str:
    # The stored name is the hash, never the user's file name (as for the evaluations' evidence).
    return f"rectification/{instance.task_id}/{instance.sha256}"


class RectificationEvidence(models.Model):
    """整改佐证: a file the unit attaches to show what it did."""

    task = models.ForeignKey(RectificationTask, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=rectification_evidence_path, max_length=300)
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
