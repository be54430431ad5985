"""A real SMTP server on loopback (aiosmtpd) for the notification tests, and a unit with mail."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from typing import Any

import pytest

from jixiao.conftest import World


@dataclass
class Received:
    to: list[str]
    subject: str
    body: str


@dataclass
class SmtpHandler:
    received: list[Received] = field(default_factory=list)
    refuse: bool = False  # answer 451 to every message (a server that is down for mail)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 Requested action aborted: local error in processing"
        message = email.message_from_bytes(envelope.original_content or envelope.content)
        payload = message.get_payload(decode=True)
        assert payload is None or isinstance(payload, bytes)
        self.received.append(
            Received(
                to=list(envelope.rcpt_tos),
                subject=str(make_header(decode_header(message["Subject"] or ""))),
                body=payload.decode(message.get_content_charset() or "utf-8") if payload else "",
            )
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.to]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: Any) -> Iterator[SmtpHandler]:
    """Mail goes through Django's SMTP backend to this server, as in production."""
    from aiosmtpd.controller import Controller

    handler = SmtpHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "jixiao@test.invalid"
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def mailed_world(world: World) -> World:
    """The world with every unit person and reviewer reachable by mail."""
    for user in (
        world.editor,
        world.head,
        world.other_editor,
        world.department_reviewer,
        world.other_department_reviewer,
        world.bureau_reviewer,
        world.bureau_admin,
    ):
        user.email = f"{user.username}@test.invalid"
        user.phone = "13800000000"
        user.save(update_fields=["email", "phone"])
    return world
