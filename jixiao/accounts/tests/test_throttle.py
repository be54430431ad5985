"""Sign-in throttle (issue 9.2, 9.9): per normalised username and per address, growing delays,
known devices exempt from failures elsewhere, every failure and delay in the 操作日志, no cache needed.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import forms as auth_forms
from django.core.cache.backends.base import BaseCache
from django.test import Client
from django.urls import reverse

from jixiao.accounts.models import LoginFailure
from jixiao.accounts.throttle import DEVICE_COOKIE, username_key
from jixiao.activity.models import Event
from jixiao.testing.factories import PASSWORD

OFFICE = "10.1.2.3"  # one NAT address for a whole office
ELSEWHERE = "203.0.113.9"


@pytest.fixture(autouse=True)
def _throttle_settings(settings: Any) -> None:
    settings.JIXIAO_LOGIN_MAX_FAILURES = 5
    settings.JIXIAO_LOGIN_DELAY_SECONDS = 30
    settings.JIXIAO_LOGIN_MAX_DELAY_SECONDS = 900
    settings.JIXIAO_LOGIN_ADDRESS_MAX_USERNAMES = 20
    settings.JIXIAO_LOGIN_ADDRESS_MAX_FAILURES = 100
    settings.JIXIAO_TRUSTED_PROXIES = 0


def sign_in(client: Client, username: str, password: str, address: str = OFFICE) -> Any:
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail(client: Client, username: str, times: int, address: str = OFFICE) -> None:
    for _ in range(times):
        assert sign_in(client, username, "wrong-password", address).status_code == 200


def age_failures(seconds: int) -> None:
    """Move every recorded failure ``seconds`` into the past (time passing, without sleeping)."""
    for row in LoginFailure.objects.all():
        row.at -= timedelta(seconds=seconds)
        row.save(update_fields=["at"])


def test_username_key_is_what_the_sign_in_form_looks_up_case_folded():
    assert username_key("ｅｄｉｔｏｒ") == "editor"  # full-width letters (NFKC)
    assert username_key("\u3000Editor \t") == "editor"  # ideographic space, case
    assert username_key("ＥＤＩＴＯＲ") == "editor"
    assert username_key("ed itor") == "editor"


def test_one_users_failures_do_not_refuse_others_behind_the_same_address(world):
    typist = Client()
    fail(typist, "editor", 5)
    assert sign_in(typist, "editor", "wrong-again").status_code == 429
    colleague = Client()
    assert sign_in(colleague, "head", PASSWORD).status_code == 302
    assert signed_in(colleague)


def test_full_width_and_case_variants_share_one_count(world):
    attacker = Client()
    for variant in ["ｅｄｉｔｏｒ", "ＥＤＩＴＯＲ", "\u3000editor", "Editor", "ｅｄｉｔｏｒ\u3000"]:
        assert sign_in(attacker, variant, "wrong-password", ELSEWHERE).status_code == 200
    refused = sign_in(attacker, "ｅｄｉｔｏｒ", PASSWORD, ELSEWHERE)
    assert refused.status_code == 429
    assert not signed_in(attacker)
    assert "登录尝试过于频繁，请 30 秒后再试" in refused.content.decode()
    assert refused["Retry-After"] == "30"


def test_the_delay_grows_with_every_failure_and_then_lets_the_right_password_in(world):
    client = Client()
    fail(client, "editor", 5)
    assert sign_in(client, "editor", PASSWORD)["Retry-After"] == "30"
    age_failures(31)
    fail(client, "editor", 1)  # the sixth: the wait doubles
    assert sign_in(client, "editor", PASSWORD)["Retry-After"] == "60"
    age_failures(61)
    fail(client, "editor", 1)
    assert sign_in(client, "editor", PASSWORD)["Retry-After"] == "120"
    age_failures(121)
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    # A success forgets this person's failures from here: typos later start again from zero.
    client.logout()
    fail(client, "editor", 4)
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_the_delay_never_exceeds_the_longest(world, settings):
    settings.JIXIAO_LOGIN_MAX_DELAY_SECONDS = 100
    client = Client()
    for _ in range(10):
        fail(client, "editor", 1)
        age_failures(101)
    fail(client, "editor", 1)  # the eleventh: 30 × 2⁶ seconds, but no more than 100
    assert sign_in(client, "editor", PASSWORD)["Retry-After"] == "100"


def test_an_attempt_while_waiting_is_refused_without_being_counted(world, monkeypatch):
    client = Client()
    fail(client, "editor", 5)
    before = LoginFailure.objects.count()
    checked: list[str] = []
    real = auth_forms.authenticate  # type: ignore[attr-defined]

    def counting(*args: Any, **kwargs: Any) -> Any:
        checked.append(kwargs["username"])
        return real(*args, **kwargs)

    monkeypatch.setattr(auth_forms, "authenticate", counting)
    for _ in range(3):
        assert sign_in(client, "editor", PASSWORD).status_code == 429
    assert LoginFailure.objects.count() == before
    assert not signed_in(client)
    assert checked == []  # the password was never looked at


def test_a_known_device_signs_in_despite_failures_from_elsewhere(world):
    own = Client()
    assert sign_in(own, "editor", PASSWORD).status_code == 302
    assert own.cookies[DEVICE_COOKIE].value
    own.post(reverse("logout"))
    attacker = Client()
    fail(attacker, "editor", 5, ELSEWHERE)
    assert sign_in(attacker, "editor", PASSWORD, ELSEWHERE).status_code == 429
    # The owner, on the browser they signed in with before, is not locked out.
    assert sign_in(own, "editor", PASSWORD).status_code == 302
    assert signed_in(own)
    # ... and their success does not reset the attacker's count.
    assert sign_in(attacker, "editor", PASSWORD, ELSEWHERE).status_code == 429


def test_a_known_device_has_its_own_count(world):
    own = Client()
    assert sign_in(own, "editor", PASSWORD).status_code == 302
    own.post(reverse("logout"))
    fail(own, "editor", 5)
    assert sign_in(own, "editor", PASSWORD).status_code == 429


def test_a_forged_device_cookie_counts_as_none(world):
    attacker = Client()
    attacker.cookies[DEVICE_COOKIE] = "editor:forged"
    fail(attacker, "editor", 5, ELSEWHERE)
    assert sign_in(attacker, "editor", PASSWORD, ELSEWHERE).status_code == 429


def test_an_address_naming_many_usernames_is_delayed_but_known_devices_are_not(world, settings):
    settings.JIXIAO_LOGIN_ADDRESS_MAX_USERNAMES = 3
    regular = Client()
    assert sign_in(regular, "head", PASSWORD).status_code == 302
    regular.post(reverse("logout"))
    sprayer = Client()
    for name in ["dept", "other_dept", "nobody", "bureau"]:
        fail(sprayer, name, 1)
    assert sign_in(sprayer, "editor", PASSWORD).status_code == 429
    assert sign_in(Client(), "editor", PASSWORD, ELSEWHERE).status_code == 302
    assert sign_in(regular, "head", PASSWORD).status_code == 302


def test_an_address_with_very_many_failures_is_delayed(world, settings):
    settings.JIXIAO_LOGIN_ADDRESS_MAX_FAILURES = 8
    settings.JIXIAO_LOGIN_MAX_FAILURES = 50
    fail(Client(), "nobody", 8)
    assert sign_in(Client(), "head", PASSWORD).status_code == 302  # 8 is the limit, not beyond
    fail(Client(), "nobody", 1)
    assert sign_in(Client(), "head", PASSWORD).status_code == 429


def test_every_failure_and_the_delay_are_in_the_activity_log(world):
    client = Client()
    fail(client, "ｅｄｉｔｏｒ", 5)
    failures = Event.objects.filter(action="login.failure")
    assert failures.count() == 5
    first = failures.last()
    assert first is not None
    assert (first.actor, first.target_type, first.target_id) == (
        None,
        "organisations.user",
        str(world.editor.pk),
    )
    assert first.details["address"] == OFFICE
    assert first.summary == "登录失败：ｅｄｉｔｏｒ（地址 10.1.2.3）"
    delays = Event.objects.filter(action="login.delay")
    assert delays.count() == 1
    assert delays.get().details["seconds"] == 30
    assert delays.get().details["reason"] == "user"
    fail(client, "nobody-here", 1)
    unknown = Event.objects.filter(action="login.failure").first()
    assert unknown is not None
    assert (unknown.target_type, unknown.target_id, unknown.target_label) == (
        "login",
        "",
        "nobody-here",
    )
    assert unknown.address == OFFICE
    assert unknown.details["account_exists"] is False
    assert sign_in(Client(), "head", PASSWORD).status_code == 302
    success = Event.objects.get(action="login.success")
    assert success.actor == world.head


class BrokenCache(BaseCache):
    """A cache whose server is down: every call raises, as django-redis does."""

    def __init__(self, location: str, params: dict[str, Any]) -> None:
        super().__init__(params)

    def _down(self, *args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = clear = incr = decr = has_key = _down
    get_many = set_many = delete_many = _down


def test_sign_in_works_and_stays_throttled_with_the_cache_down(world, settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}
    client = Client()
    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    attacker = Client()
    fail(attacker, "head", 5, ELSEWHERE)
    assert sign_in(attacker, "head", PASSWORD, ELSEWHERE).status_code == 429


def test_the_client_address_comes_from_trusted_proxies_only(world, settings):
    settings.JIXIAO_LOGIN_ADDRESS_MAX_USERNAMES = 1
    spoofing = Client(HTTP_X_FORWARDED_FOR="198.51.100.1")
    for name in ["nobody", "somebody"]:
        fail(spoofing, name, 1, ELSEWHERE)
    assert LoginFailure.objects.filter(address=ELSEWHERE).count() == 2
    settings.JIXIAO_TRUSTED_PROXIES = 1
    proxied = Client(HTTP_X_FORWARDED_FOR="198.51.100.7, 192.0.2.44")
    fail(proxied, "nobody", 1, "127.0.0.1")
    assert LoginFailure.objects.filter(address="192.0.2.44").count() == 1
