"""The idle sign-out: 30 minutes (JIXIAO_SESSION_IDLE_MINUTES) without activity end the session."""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django.urls import reverse

from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation
from jixiao.web.session_idle import LAST_ACTIVITY


def _idle_for(client: Client, seconds: int) -> None:
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds
    session.save()


def _signed_in(world: World) -> Client:
    client = Client()
    client.force_login(world.editor)
    assert client.get(reverse("home")).status_code == 200  # records the activity
    return client


def test_the_default_is_thirty_minutes(settings: Any) -> None:
    assert settings.JIXIAO_SESSION_IDLE_MINUTES == 30


def test_a_page_after_the_idle_limit_signs_out_and_returns_after_login(world: World) -> None:
    client = _signed_in(world)
    _idle_for(client, 31 * 60)
    detail = reverse("evaluations:detail", kwargs={"pk": world.evaluation.pk})
    response = client.get(detail)
    assert response.status_code == 302
    assert (
        response["Location"] == f"{reverse('login')}?next=%2Fevaluations%2F{world.evaluation.pk}%2F"
    )
    login_page = client.get(response["Location"])
    assert "因长时间未操作，已自动退出登录" in login_page.content.decode()
    # Signed out for good: the next request is anonymous.
    assert client.get(detail)["Location"].startswith(reverse("login"))


def test_within_the_limit_nothing_happens(world: World) -> None:
    client = _signed_in(world)
    _idle_for(client, 29 * 60)
    assert client.get(reverse("evaluations:list")).status_code == 200
    assert client.session[LAST_ACTIVITY] >= int(time.time()) - 5  # activity extends the session


def test_the_limit_is_configurable(world: World, settings: Any) -> None:
    settings.JIXIAO_SESSION_IDLE_MINUTES = 5
    client = _signed_in(world)
    _idle_for(client, 6 * 60)
    assert client.get(reverse("evaluations:list")).status_code == 302


def test_an_autosave_after_the_limit_is_refused_without_losing_the_page(world: World) -> None:
    """htmx does not swap a 401 in: the form, and the text typed into it, stay on the page."""
    client = _signed_in(world)
    _idle_for(client, 31 * 60)
    before = Evaluation.objects.get(pk=world.evaluation.pk)
    url = reverse("evaluations:autosave", kwargs={"pk": world.evaluation.pk, "section": "other"})
    response = client.post(url, {"version": before.version}, HTTP_HX_REQUEST="true")
    assert response.status_code == 401
    assert response["HX-Trigger"] == "jixiao:session-expired"
    after = Evaluation.objects.get(pk=world.evaluation.pk)
    assert (after.version, after.data) == (before.version, before.data)


def test_polling_and_the_status_check_are_not_activity(world: World) -> None:
    client = _signed_in(world)
    _idle_for(client, 29 * 60)
    stamp = client.session[LAST_ACTIVITY]
    polled = client.get(reverse("jobs:list"), HTTP_X_JIXIAO_BACKGROUND="1")
    assert polled.status_code == 200
    status = client.get(reverse("session_status"), HTTP_X_JIXIAO_BACKGROUND="1")
    assert client.session[LAST_ACTIVITY] == stamp
    assert 50 <= status.json()["remaining"] <= 60
    # 保持登录 is activity: the full time again.
    kept = client.post(reverse("session_keepalive"))
    assert kept.json()["remaining"] == 30 * 60
    assert client.session[LAST_ACTIVITY] > stamp


def test_the_api_answers_401_after_the_limit(world: World) -> None:
    client = _signed_in(world)
    _idle_for(client, 31 * 60)
    response = client.get(reverse("api:list_evaluations"))
    assert response.status_code == 401


def test_the_page_carries_the_timer_and_the_warning(world: World) -> None:
    client = _signed_in(world)
    page = client.get(reverse("home")).content.decode()
    assert 'data-idle-seconds="1800"' in page
    assert 'data-idle-warning-seconds="120"' in page
    assert "即将因长时间未操作而退出" in page
    assert "保持登录" in page
