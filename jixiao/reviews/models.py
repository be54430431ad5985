"""The review trail (审核记录), the frozen documents of an approved evaluation, and 复核 samples."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation


class Transition(models.Model):
    """One step of the workflow: who did what, when, with which comment, and the data at that moment."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="transitions")
    action = models.CharField(_("操作"), max_length=32)
    from_status = models.CharField(max_length=24)
    to_status = models.CharField(max_length=24)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    comment = models.TextField(_("意见"), blank=True)
    section_comments = models.JSONField(_("分部分意见"), default=dict, blank=True)
    snapshot = models.JSONField(_("快照"), default=dict)

    class Meta:
        ordering = ["evaluation", "at", "pk"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.action} {self.from_status}→{self.to_status}"


class FrozenDocument(models.Model):
    """The exact bytes of an approved document with their SHA-256 and SM3; what the portal serves."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word"
        DATA_XLSX = "data.xlsx", _("数据表")
        SCORING_XLSX = "scoring.xlsx", _("评分表")

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="frozen_documents"
    )
    format = models.CharField(max_length=16, choices=Format.choices)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    sm3 = models.CharField(max_length=64, help_text=_("SM3 杂凑值（GB/T 32905）"))
    size = models.PositiveBigIntegerField()
    frozen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["evaluation", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "format"], name="one_frozen_document_per_format"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class Publication(models.Model):
    """公开: when and by whom an approved evaluation was published, with its score at that moment."""

    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="publication"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(max_digits=6, decimal_places=2)
    grade = models.CharField(max_length=16)
    # The names as they were when published: a unit or department renamed later must not rewrite
    # what the public read (the portal shows these, never the organisation's current name).
    unit_name = models.CharField(_("单位名称（公开时）"), max_length=200)
    department_name = models.CharField(_("主管部门（公开时）"), max_length=200, blank=True)

    class Meta:
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.total} {self.grade}"


class SampleDraw(models.Model):
    """A random draw of submissions for the bureau's 复核 (抽查)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="sample_draws")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(auto_now_add=True)
    seed = models.CharField(max_length=64, help_text=_("随机种子，记录以便复现抽样"))
    requested = models.PositiveIntegerField(_("抽取数量"))

    class Meta:
        ordering = ["-drawn_at"]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.seed}"


class Recheck(models.Model):
    """复核 of one sampled evaluation: the reviewer's score and opinion."""

    draw = models.ForeignKey(SampleDraw, on_delete=models.CASCADE, related_name="rechecks")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="rechecks")
    score = models.DecimalField(
        _("复核得分"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    opinion = models.TextField(_("复核意见"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draw", "evaluation__unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "evaluation"], name="one_recheck_per_draw")
        ]

    def __str__(self) -> str:
        return f"{self.draw_id} {self.evaluation_id}"
