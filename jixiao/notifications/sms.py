"""SMS: one sender interface; a deployment names its class in ``JIXIAO_SMS_SENDER``.

Shipped: ``ConsoleSmsSender`` (writes the message to the log: the demo and tests) and
``EmailSmsSender`` (mails it to an email-to-SMS gateway, ``<phone>@JIXIAO_SMS_EMAIL_DOMAIN``, which
many government SMS platforms offer). A provider's HTTP API is plugged in by writing a subclass
whose ``send`` calls it and raises on failure (docs/notifications.md).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SmsSendError(Exception):
    """The provider refused or could not be reached; the delivery is retried later."""


class SmsSender:
    """Send one text message. Raise (any exception) when it was not accepted: the delivery is then
    retried with a growing wait, and listed for the bureau admin once it finally fails."""

    def send(self, *, phone: str, text: str) -> None:
        raise NotImplementedError


class ConsoleSmsSender(SmsSender):
    """Writes each message to the log instead of sending it (the demo, development)."""

    sent: list[tuple[str, str]] = []

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("SMS to %s: %s", phone, text)
        print(f"SMS to {phone}: {text}")
        ConsoleSmsSender.sent.append((phone, text))


class EmailSmsSender(SmsSender):
    """Mails the text to an email-to-SMS gateway (``<phone>@<JIXIAO_SMS_EMAIL_DOMAIN>``)."""

    def send(self, *, phone: str, text: str) -> None:
        domain = settings.JIXIAO_SMS_EMAIL_DOMAIN
        if not domain:
            raise SmsSendError("JIXIAO_SMS_EMAIL_DOMAIN is not set")
        digits = "".join(ch for ch in phone if ch.isdigit() or ch == "+")
        EmailMessage(subject="", body=text, to=[f"{digits}@{domain}"]).send(fail_silently=False)


def sms_sender() -> SmsSender:
    sender_class = import_string(settings.JIXIAO_SMS_SENDER)
    sender = sender_class()
    if not isinstance(sender, SmsSender):
        raise TypeError(f"{settings.JIXIAO_SMS_SENDER} is not an SmsSender")
    return sender
