"""报告审查 in the web system: each audited file (an upload, or an evaluation's own generated
report), who audited it and when, what was read from it and what the audit found."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditedFile(models.Model):
    """One file a reviewer uploaded to 报告审查, audited by a background job (jixiao.audit.jobs).

    The upload is kept in storage only until its audit ends; then the row holds the result: the
    findings as JSON (the auditor's ``Finding.to_dict``), what was read (``extracted``: the values
    and, per field, the quote and location it was read from), the summary fields the lists show,
    or the reason it was not audited. A file whose SHA-256 matches an earlier result the requester
    may see is not audited again unless asked: the row copies that result and names it
    (``earlier``); its upload is kept so that it can be audited again on request.

    Rows of the 审查全部已提交 job (jixiao.audit.campaign_audit) audit an evaluation's own
    generated report and name it (``evaluation``). ``organisation``, ``campaign``,
    ``unit_organisation`` and ``level`` are stored for the list of results (filters and scope
    on columns, no JSON read per row).
    """

    class Level(models.TextChoices):
        """The list's 级别 filter: the worst thing the audit found (or why there is no audit)."""

        QUEUED = "queued", _("待审查")
        ERROR = "error", _("有错误")
        WARNING = "warning", _("有警告")
        CLEAN = "clean", _("未发现问题")
        UNREADABLE = "unreadable", _("未审查")

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
    # {"values": the auditor's ``extracted`` dict, "fields": {path: {value, quote, location,
    # confidence}}} — each value read with the text it was read from.
    extracted = models.JSONField(default=dict, blank=True)
    level = models.CharField(_("级别"), max_length=16, choices=Level.choices, default=Level.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The requester's organisation when asked: the list's scope (colleagues see each other's).
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    evaluation = models.ForeignKey(
        "evaluations.Evaluation",
        verbose_name=_("绩效自评"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audits",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("自评工作"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The evaluation's unit, or the unit whose exact name the report states (None otherwise).
    unit_organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    earlier = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    audited_at = models.DateTimeField(_("审查时间"), null=True, blank=True)

    class Meta:
        ordering = ["job", "position"]
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="audit_file_position")
        ]
        indexes = [
            # the list of results: newest first (keyset on id) within a scope or a filter
            models.Index(fields=["organisation", "-id"], name="audit_file_org_id"),
            models.Index(fields=["evaluation", "-id"], name="audit_file_evaluation_id"),
            models.Index(fields=["campaign", "-id"], name="audit_file_campaign_id"),
            models.Index(fields=["sha256"], name="audit_file_sha256"),
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
