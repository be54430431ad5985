"""The kinds of notification: what each is called and how it reaches a person by default.

An app that sends a kind of its own registers it (``register_kind``) in its AppConfig.ready; the
kinds of the apps being built beside this one (整改, 监控预警) are registered here already so their
preferences exist from the start.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Channel:
    """How a person wants one kind: in the inbox only, also by email or SMS, or not at all."""

    APP = "app"
    EMAIL = "email"
    SMS = "sms"
    NONE = "none"

    CHOICES = (
        (APP, _("仅站内通知")),
        (EMAIL, _("站内通知和邮件")),
        (SMS, _("站内通知和短信")),
        (NONE, _("不通知")),
    )
    VALUES = frozenset({APP, EMAIL, SMS, NONE})


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise
    default: str = Channel.EMAIL


CAMPAIGN_OPENED = "campaign_opened"
DEADLINE_7 = "deadline_7"
DEADLINE_3 = "deadline_3"
DEADLINE_1 = "deadline_1"
EVALUATION_SUBMITTED = "evaluation_submitted"
EVALUATION_RETURNED = "evaluation_returned"
EVALUATION_APPROVED = "evaluation_approved"
EVALUATION_PUBLISHED = "evaluation_published"
RECTIFICATION_ASSIGNED = "rectification_assigned"
RECTIFICATION_DUE = "rectification_due"
RECTIFICATION_OVERDUE = "rectification_overdue"
RECTIFICATION_CONFIRMED = "rectification_confirmed"
RECTIFICATION_REPORTED = "rectification_reported"
RECTIFICATION_REOPENED = "rectification_reopened"
MONITORING_WARNING = "monitoring_warning"
# The daily digest mail itself (not a preference: it is what the digest choice sends).
DIGEST = "digest"

# Days before a deadline at which the unit's people are reminded, largest first.
REMINDER_DAYS = (7, 3, 1)
DEADLINE_KINDS = {7: DEADLINE_7, 3: DEADLINE_3, 1: DEADLINE_1}

_KINDS: dict[str, Kind] = {}


def register_kind(code: str, label: Promise, default: str = Channel.EMAIL) -> Kind:
    """Add a kind (idempotent for the same code); its preference appears on the settings page."""
    if default not in Channel.VALUES:
        raise ValueError(f"unknown default channel {default!r}")
    kind = _KINDS.setdefault(code, Kind(code, label, default))
    return kind


for _code, _label in (
    (CAMPAIGN_OPENED, _("自评工作下达")),
    (DEADLINE_7, _("截止前 7 天提醒")),
    (DEADLINE_3, _("截止前 3 天提醒")),
    (DEADLINE_1, _("截止前 1 天提醒")),
    (EVALUATION_SUBMITTED, _("有报送待审核")),
    (EVALUATION_RETURNED, _("自评被退回")),
    (EVALUATION_APPROVED, _("自评已审定")),
    (EVALUATION_PUBLISHED, _("自评已公开")),
    (RECTIFICATION_ASSIGNED, _("整改任务下达")),
    (RECTIFICATION_DUE, _("整改即将到期")),
    (RECTIFICATION_OVERDUE, _("整改已逾期")),
    (RECTIFICATION_CONFIRMED, _("整改已确认")),
    (RECTIFICATION_REPORTED, _("整改情况待确认")),
    (RECTIFICATION_REOPENED, _("整改被退回重新整改")),
    (MONITORING_WARNING, _("监控预警待回复")),
):
    register_kind(_code, _label)


def kinds() -> list[Kind]:
    """Every kind a person can set a preference for, in the order registered."""
    return list(_KINDS.values())


def kind_label(code: str) -> Promise | str:
    if code == DIGEST:
        return _("每日汇总")
    kind = _KINDS.get(code)
    return kind.label if kind is not None else code


def is_kind(code: str) -> bool:
    return code in _KINDS
