"""后台任务: one row per piece of long work, from the request that asked for it to done or failed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A background job. Its ``kind`` names the handler (jixiao.jobs.registry) that does the work.

    Every job ends ``done`` or ``failed``; a failed job says why in ``error`` (the sentence the user
    reads) and lists the items that failed in ``failures`` ([{"item", "reason"}]). A job can be done
    with some failed items: ``failed_count`` counts them and the page lists them.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("进行中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("类型"), max_length=40, db_index=True)
    title = models.CharField(_("名称"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
    )
    # The organisation whose scope the job's inputs were cut to when it was asked for: a person
    # who has since moved to another organisation no longer sees it.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # What the job is about, as "app_label.model:pk" (e.g. the evaluation a freeze job renders), so
    # a page can find the latest job of its object.
    subject = models.CharField(max_length=80, blank=True, db_index=True)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, blank=True)
    error = models.TextField(_("失败原因"), blank=True)
    # A sentence (stored in Chinese, translated when shown) about how the job runs, e.g. that the
    # task queue was down and it runs in the web process instead.
    notice = models.CharField(max_length=200, blank=True)
    result = models.FileField(upload_to="jobs/", blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="jobs_by_requester"),
            models.Index(fields=["state", "heartbeat_at"], name="jobs_by_state_heartbeat"),
        ]
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")

    def __str__(self) -> str:
        return self.title

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def processed(self) -> int:
        return self.done_count + self.failed_count

    @property
    def percent(self) -> int:
        """Share of the items processed, 0–100, for the progress bar."""
        if self.finished:
            return 100
        if not self.total:
            return 0
        return min(100, self.processed * 100 // self.total)


class JobPart(models.Model):
    """One slice of a job's work (批量生成: at most N units of one department) that a runner claims,
    does and stores on its own (jixiao.jobs.parts).

    Parts outlive an attempt: a retry redoes only the parts not done, and several Celery workers
    share one job by each claiming the next pending part.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待处理")
        RUNNING = "running", _("处理中")
        DONE = "done", _("已完成")

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="parts")
    index = models.PositiveIntegerField()
    label = models.CharField(max_length=200)
    items = models.JSONField(default=list)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    # The runner holding a running part: a random token, so a runner that lost it writes nothing.
    claim = models.CharField(max_length=40, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    done_count = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, blank=True)
    file = models.FileField(upload_to="jobs/parts/", blank=True)
    # How many times the part was started: more than one means a runner died (or failed) on it.
    runs = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["job", "index"]
        constraints = [
            models.UniqueConstraint(fields=["job", "index"], name="jobs_part_unique_index"),
        ]

    def __str__(self) -> str:
        return f"{self.job_id}/{self.index} {self.label}"
