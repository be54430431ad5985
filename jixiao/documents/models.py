"""Batch document jobs (批量生成): a ZIP of many evaluations' report packages, built in the background."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PackageJob(models.Model):
    """One request to build the packages of several evaluations into a ZIP (Celery task)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(_("名称"), max_length=200)
    evaluation_ids = models.JSONField(default=list)
    formats = models.CharField(max_length=60, default="docx,pdf,xlsx")
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    done_count = models.PositiveIntegerField(default=0)
    result = models.FileField(upload_to="packages/", blank=True)
    problems = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("批量生成任务")
        verbose_name_plural = _("批量生成任务")

    def __str__(self) -> str:
        return self.title
