"""A sender process killed (SIGKILL) in the middle of the reminder run: nothing it sent is sent
again, nothing it held is lost. Child processes on a real SQLite file and a real SMTP server on
loopback (aiosmtpd): the mail server holds one message unanswered, the test kills the sender then,
and the rerun after the lease sends the rest — each person's reminder exactly once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from jixiao.notifications.tests.conftest import _free_port

pytestmark = [pytest.mark.slow, pytest.mark.processes]

REPO = Path(__file__).resolve().parents[3]
PEOPLE = 30
KILL_AT = 11  # the server holds the 11th message; 10 went through before the kill

SETUP = f"""
import datetime as dt
from django.utils import timezone
from jixiao.notifications.reminders import remind_deadlines
from jixiao.organisations.models import Role
from jixiao.testing import factories as f

campaign = f.CampaignFactory.create(deadline=timezone.now() + dt.timedelta(days=2, hours=12))
unit = f.UnitFactory.create()
f.EvaluationFactory.create(campaign=campaign, unit=unit)
for n in range({PEOPLE}):
    f.UserFactory.create(role=Role.UNIT_EDITOR, organisation=unit, email=f"p{{n}}@test.invalid")
print(remind_deadlines(send=False).messages)
"""
STATES = """
from collections import Counter
from jixiao.notifications.models import Delivery
print(sorted(Counter(Delivery.objects.values_list("state", flat=True)).items()))
"""
AFTER_THE_LEASE = """
import datetime as dt
from django.utils import timezone
from jixiao.notifications.services import LEASE, deliver_due
print(deliver_due(), deliver_due(now=timezone.now() + LEASE + dt.timedelta(minutes=1)))
"""


class HoldingServer:
    """Accepts messages, but holds the KILL_AT-th unanswered until released."""

    def __init__(self) -> None:
        self.accepted: list[str] = []
        self.seen = 0
        self.holding = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.seen += 1
        if self.seen == KILL_AT:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 not accepted"
        self.accepted.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done


def _shell(env: dict[str, str], code: str) -> str:
    return _run(env, "shell", "--no-imports", "-c", code).stdout.strip()


def test_a_killed_sender_then_a_rerun_sends_each_reminder_once(tmp_path: Path) -> None:
    from aiosmtpd.controller import Controller

    handler = HoldingServer()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        JIXIAO_MEDIA_ROOT=str(tmp_path / "media"),
        DJANGO_DEBUG="true",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(controller.port),
        EMAIL_TIMEOUT="120",  # the held message must not time out before the kill
        DEFAULT_FROM_EMAIL="jixiao@test.invalid",
    )
    try:
        _run(env, "migrate", "--noinput", "-v0")
        assert _shell(env, SETUP) == str(PEOPLE)

        sender = subprocess.Popen(
            [sys.executable, "manage.py", "notifications_tick"],
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert handler.holding.wait(timeout=120), "the sender never reached the held message"
            os.kill(sender.pid, signal.SIGKILL)
            assert sender.wait(timeout=30) == -signal.SIGKILL
        finally:
            if sender.poll() is None:
                sender.kill()
            handler.release.set()
        assert len(handler.accepted) == KILL_AT - 1
        # Ten marked sent, one each; the rest pending, held by the dead sender's lease.
        assert (
            _shell(env, STATES) == f"[('pending', {PEOPLE - KILL_AT + 1}), ('sent', {KILL_AT - 1})]"
        )

        # A rerun at once sends nothing the dead sender still holds; after the lease, the rest.
        assert _shell(env, AFTER_THE_LEASE) == f"0 {PEOPLE - KILL_AT + 1}"
        assert sorted(handler.accepted) == sorted(f"p{n}@test.invalid" for n in range(PEOPLE))
        assert _shell(env, STATES) == f"[('sent', {PEOPLE})]"
    finally:
        controller.stop()
