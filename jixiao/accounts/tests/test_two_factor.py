"""Two-factor sign-in (TOTP) for bureau roles (9.8): enrolment, the code at sign-in, an admin's reset.

Codes are computed here from the secret the page shows, with RFC 6238 written out (HMAC-SHA1, 30 s,
6 digits), as a phone app would: the test does not ask django-otp what the right code is.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import time
from base64 import b32decode
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from jixiao.accounts.checks import two_factor_for_bureau
from jixiao.activity.models import Event
from jixiao.testing.factories import PASSWORD


def totp(secret_base32: str, at: float | None = None) -> str:
    key = b32decode(secret_base32 + "=" * (-len(secret_base32) % 8))
    counter = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


@pytest.fixture
def whole_step() -> None:
    """Start a test that compares codes of the current and the next 30-second step early in a step,
    so a loaded machine does not cross a step boundary mid-test (the codes would shift by one)."""
    left = 30 - time.time() % 30
    if left < 20:
        time.sleep(left + 0.05)


def sign_in(client: Client, username: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302


@pytest.fixture
def required(settings: Any) -> None:
    settings.JIXIAO_REQUIRE_2FA_FOR_BUREAU = True


def enrol(client: Client) -> str:
    """Open the enrolment page, read the secret off it and confirm with a code; the secret."""
    page = client.get(reverse("accounts:two_factor"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html  # the QR code
    uri = page.context["uri"]
    assert uri.startswith("otpauth://totp/jixiao%3A")
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    assert page.context["secret"].replace(" ", "") == secret  # the same secret, typed by hand
    assert page.context["secret"] in html
    wrong = client.post(reverse("accounts:two_factor"), {"token": "000000"})
    if totp(secret) != "000000":
        assert wrong.status_code == 400
    done = client.post(reverse("accounts:two_factor"), {"token": totp(secret)})
    assert done.status_code == 302, done.content.decode()
    return secret


def test_a_bureau_admin_must_enrol_before_anything_else(world, required):
    client = Client()
    sign_in(client, world.bureau_admin.username)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:two_factor"))
    assert client.get("/api/evaluations").status_code == 403
    assert not TOTPDevice.objects.filter(user=world.bureau_admin).exists()
    enrol(client)
    assert client.get(reverse("home")).status_code == 200
    device = TOTPDevice.objects.get(user=world.bureau_admin)
    assert device.confirmed
    world.bureau_admin.refresh_from_db()
    assert world.bureau_admin.two_factor_enabled
    event = Event.objects.get(action="account.two_factor_enable")
    assert event.actor == world.bureau_admin


def test_sign_in_asks_for_the_code_and_refuses_a_wrong_or_replayed_one(world, required, whole_step):
    first = Client()
    sign_in(first, world.bureau_reviewer.username)
    secret = enrol(first)
    used = totp(secret)  # enrolment used this step's code
    client = Client()
    sign_in(client, world.bureau_reviewer.username)
    response = client.get(reverse("evaluations:list"))
    assert response["Location"] == (
        reverse("accounts:two_factor_verify") + "?next=" + reverse("evaluations:list")
    )
    assert client.get(reverse("accounts:password_change")).status_code == 302  # verify first
    wrong = f"{(int(used) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("accounts:two_factor_verify"), {"token": wrong})
    assert refused.status_code == 400
    assert "验证码不正确" in refused.content.decode()
    assert Event.objects.filter(action="login.two_factor_failure").count() == 1
    assert client.get(reverse("home")).status_code == 302
    # django-otp waits 1 s after a failure and never accepts one code twice.
    TOTPDevice.objects.filter(user=world.bureau_reviewer).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    replay = client.post(reverse("accounts:two_factor_verify"), {"token": used})
    assert replay.status_code == 400
    TOTPDevice.objects.filter(user=world.bureau_reviewer).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    later = totp(secret, time.time() + 30)  # the next step's code: within the tolerance
    ok = client.post(
        reverse("accounts:two_factor_verify"),
        {"token": later, "next": reverse("evaluations:list")},
    )
    assert ok.status_code == 302
    assert ok["Location"] == reverse("evaluations:list")
    assert client.get(reverse("home")).status_code == 200


def test_repeated_wrong_codes_must_wait(world, required):
    client = Client()
    sign_in(client, world.bureau_reviewer.username)
    enrol(client)
    other = Client()
    sign_in(other, world.bureau_reviewer.username)
    other.post(reverse("accounts:two_factor_verify"), {"token": "12345x"})
    assert other.post(reverse("accounts:two_factor_verify"), {"token": "123456"}).status_code == 429


def test_unit_users_and_the_demo_need_no_second_factor(world, settings):
    settings.JIXIAO_REQUIRE_2FA_FOR_BUREAU = True
    client = Client()
    sign_in(client, "editor")
    assert client.get(reverse("home")).status_code == 200
    settings.JIXIAO_REQUIRE_2FA_FOR_BUREAU = False  # the default, as in `make run`
    client = Client()
    sign_in(client, world.bureau_admin.username)
    assert client.get(reverse("home")).status_code == 200


def test_a_unit_user_may_enrol_and_is_then_asked(world, whole_step):
    client = Client()
    sign_in(client, "editor")
    secret = enrol(client)
    client = Client()
    sign_in(client, "editor")
    assert client.get(reverse("home")).status_code == 302
    code = totp(secret, time.time() + 30)
    assert client.post(reverse("accounts:two_factor_verify"), {"token": code}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_the_admin_resets_a_lost_authenticator(world, required):
    reviewer = Client()
    sign_in(reviewer, world.bureau_reviewer.username)
    enrol(reviewer)
    admin = Client()
    admin.force_login(world.bureau_admin)
    TOTPDevice.objects.create(user=world.bureau_admin, name="x", confirmed=True)
    type(world.bureau_admin).objects.filter(pk=world.bureau_admin.pk).update(
        two_factor_enabled=True
    )
    # The admin's own session must have passed its second factor to do this.
    reset_url = reverse("organisations:user_two_factor", args=[world.bureau_reviewer.pk])
    assert admin.post(reset_url)["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=world.bureau_reviewer).exists()
    type(world.bureau_admin).objects.filter(pk=world.bureau_admin.pk).update(
        two_factor_enabled=False
    )
    TOTPDevice.objects.filter(user=world.bureau_admin).delete()
    settings_off = Client()
    settings_off.force_login(world.bureau_admin)
    from django.test import override_settings

    with override_settings(JIXIAO_REQUIRE_2FA_FOR_BUREAU=False):
        page = settings_off.get(reverse("organisations:user_edit", args=[world.bureau_reviewer.pk]))
        assert "重置两步验证" in page.content.decode()
        assert settings_off.post(reset_url).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.bureau_reviewer).exists()
    world.bureau_reviewer.refresh_from_db()
    assert not world.bureau_reviewer.two_factor_enabled
    event = Event.objects.get(action="account.two_factor_reset")
    assert (event.actor, event.target_id) == (world.bureau_admin, str(world.bureau_reviewer.pk))
    # Signing in again, the reviewer enrols a new authenticator before anything else.
    again = Client()
    sign_in(again, world.bureau_reviewer.username)
    assert again.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor"))


def test_only_the_bureau_admin_resets_two_factor(world):
    client = Client()
    client.force_login(world.bureau_reviewer)
    url = reverse("organisations:user_two_factor", args=[world.editor.pk])
    assert client.post(url).status_code == 404


def test_check_deploy_warns_while_bureau_two_factor_is_off(settings):
    settings.JIXIAO_REQUIRE_2FA_FOR_BUREAU = False
    assert [w.id for w in two_factor_for_bureau()] == ["jixiao.W001"]
    settings.JIXIAO_REQUIRE_2FA_FOR_BUREAU = True
    assert two_factor_for_bureau() == []
