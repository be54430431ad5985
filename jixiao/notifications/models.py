"""通知: the inbox (Notification), what is sent outside it (Delivery), and each person's choices.

Every row carries an idempotency ``key`` chosen by the sender (``transition:12``,
``deadline:3:evaluation:5:202612011700``): a notification exists once per person and key, a delivery
once per person, key and channel, whatever runs twice (docs/notifications.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.activity.texts import summary_in_language


class Notification(models.Model):
    """One message in a person's inbox (站内通知)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=40)
    key = models.CharField(max_length=200)
    # What it is about, as the 操作日志 stores it ("evaluations.evaluation", "12").
    target_type = models.CharField(max_length=40, blank=True)
    target_id = models.CharField(max_length=40, blank=True)
    # Stored in Chinese whoever reads it (the record), with the catalogue template and parameters
    # they were made from (jixiao.activity.texts.log_text), so the inbox shows them in the
    # reader's language; None for a plain text.
    title = models.CharField(_("标题"), max_length=200)
    title_text = models.JSONField(null=True, blank=True)
    body = models.TextField(_("内容"), blank=True)
    body_text = models.JSONField(null=True, blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_key")
        ]
        indexes = [
            # The inbox pages backwards by id; the top bar counts the unread ones.
            models.Index(fields=["recipient", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> object:
        from jixiao.notifications.kinds import kind_label

        return kind_label(self.kind)

    @property
    def title_shown(self) -> str:
        """The title in the active language (as recorded when its template is unknown)."""
        return summary_in_language(self.title, self.title_text)

    @property
    def body_shown(self) -> str:
        return summary_in_language(self.body, self.body_text)


class Delivery(models.Model):
    """One message to send outside the app (email, SMS), or held for the daily digest.

    ``pending`` until sent; a sender claims a row by setting ``claimed_until`` (a lease), so two
    workers never send the same row, and a worker that dies leaves it to be claimed again once the
    lease is over. A failed attempt waits ``next_attempt_at`` (growing); after the last attempt the
    row is ``failed`` with its reason, listed for the bureau admin, who may retry it.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    class Channel(models.TextChoices):
        EMAIL = "email", _("邮件")
        SMS = "sms", _("短信")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(_("类型"), max_length=40)
    key = models.CharField(max_length=200)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # Held for the recipient's daily digest instead of being sent on its own.
    for_digest = models.BooleanField(default=False)
    digest_key = models.CharField(max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=16, blank=True)
    last_error = models.CharField(_("失败原因"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key", "channel"], name="one_delivery_per_key_channel"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(state="pending", for_digest=False),
                name="delivery_due",
            ),
            models.Index(
                fields=["recipient"],
                condition=Q(state="pending", for_digest=True),
                name="delivery_digest_waiting",
            ),
            models.Index(fields=["state", "-id"], name="delivery_state"),
        ]
        verbose_name = _("通知发送")
        verbose_name_plural = _("通知发送")

    def __str__(self) -> str:
        return f"{self.channel} {self.address} {self.subject}"


class Preference(models.Model):
    """How one person wants one kind of notification (absent: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("类型"), max_length=40)
    channel = models.CharField(_("方式"), max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")
        ]
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.channel}"


class DigestChoice(models.Model):
    """A person's mail choices: one mail a day (每日汇总) instead of a mail per notification, and
    the language of the mails (blank: Chinese, the source language)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_digest",
    )
    daily_digest = models.BooleanField(_("每日汇总为一封邮件"), default=False)
    mail_language = models.CharField(_("邮件和短信的语言"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("每日汇总")
        verbose_name_plural = _("每日汇总")

    def __str__(self) -> str:
        return f"{self.user_id} {self.daily_digest}"
