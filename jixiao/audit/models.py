"""报告审查 in the web system: each uploaded file of an audit job, and what the audit found."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditedFile(models.Model):
    """One file a reviewer uploaded to 报告审查, audited by a background job (jixiao.audit.jobs).

    The upload is kept in storage only until its audit ends; then the row holds the result: the
    findings as JSON (the auditor's ``Finding.to_dict``), the summary fields the lists show, or
    the reason it was not audited.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("待审查")
        AUDITED = "audited", _("已审查")
        UNREADABLE = "unreadable", _("无法读取")
        TOO_COMPLEX = "too_complex", _("太大或太复杂")
        FAILED = "failed", _("审查出错")

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    name = models.CharField(_("文件"), max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    upload = models.FileField(upload_to="audit-uploads/", blank=True, max_length=255)
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    reason = models.TextField(_("原因"), blank=True)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    infos = models.PositiveIntegerField(default=0)
    unit = models.CharField(max_length=200, blank=True)
    year = models.CharField(max_length=10, blank=True)
    score = models.CharField(max_length=20, blank=True)
    grade = models.CharField(max_length=10, blank=True)
    filled_on = models.CharField(max_length=20, blank=True)
    findings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="audit_file_position")
        ]
        verbose_name = _("审查文件")
        verbose_name_plural = _("审查文件")

    def __str__(self) -> str:
        return self.name

    @property
    def finished(self) -> bool:
        return self.status != self.Status.QUEUED

    @property
    def unreadable(self) -> bool:
        return self.status in (self.Status.UNREADABLE, self.Status.TOO_COMPLEX, self.Status.FAILED)
