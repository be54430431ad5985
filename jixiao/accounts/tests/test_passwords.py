"""Password rules, history, self-service change, forced change after an admin's reset, expiry (9.8)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from jixiao.accounts import services
from jixiao.accounts.models import PasswordHistory
from jixiao.activity.models import Event
from jixiao.organisations.models import Role, User
from jixiao.testing.factories import PASSWORD

GOOD = "Qx7-kettle-lamp"
DEMO_PASSWORD = "jixiao-demo-2025"  # README, load_demo


def refused(password: str, user: User | None) -> list[str]:
    with translation.override("zh-hans"):
        try:
            password_validation.validate_password(password, user)
        except ValidationError as exc:
            return [str(m) for m in exc.messages]
    return []


@pytest.mark.parametrize("password", ["zhanjiang", "jixiao2025", "Zj2025ab"])
def test_the_passwords_the_probe_got_accepted_are_refused(world, password):
    assert refused(password, world.editor)


def test_length_and_three_character_classes(world):
    assert "密码太短，至少需要 10 个字符。" in refused("Qx7-lamp", world.editor)
    assert refused("kettlelamp77", world.editor) == [
        "密码须包含小写字母、大写字母、数字、符号中的至少 3 类。"
    ]
    assert refused(GOOD, world.editor) == []


def test_not_the_username_nor_the_organisations_name(world):
    name_rule = "密码不能包含用户名或所属单位名称。"
    assert name_rule in refused("Ｅｄｉｔｏｒ-2026-x", world.editor)  # full width, capitals
    assert name_rule in refused("湛江市职业技能鉴定指导中心-2026a", world.editor)
    assert name_rule in refused("Best-我中心-2026", world.editor)  # the short name
    assert refused("Best-我中心-2026", world.bureau_admin) == []


def test_demo_and_test_passwords_meet_the_rules(world):
    for user in (world.editor, world.head, world.bureau_admin):
        assert refused(DEMO_PASSWORD, user) == [], user.username
    assert refused(PASSWORD, User(username="new_person", organisation=world.unit)) == []


def change(user: User, password: str) -> None:
    password_validation.validate_password(password, user)
    services.change_password(user=user, password=password)
    user.refresh_from_db()


def test_none_of_the_last_five_passwords(world):
    user = world.editor  # has PASSWORD
    with pytest.raises(ValidationError) as exc:
        change(user, PASSWORD)
    assert exc.value.messages == ["不能使用最近 5 次用过的密码。"]
    for n in range(1, 7):
        change(user, f"{GOOD}-{n}")
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for n in range(2, 7):
        assert refused(f"{GOOD}-{n}", user) == ["不能使用最近 5 次用过的密码。"]
    change(user, f"{GOOD}-1")  # six passwords ago: allowed again
    assert user.check_password(f"{GOOD}-1")


def sign_in(client: Client, username: str, password: str) -> None:
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()


def test_self_service_change_from_the_top_bar(world):
    client = Client()
    sign_in(client, "editor", PASSWORD)
    other_session = Client()
    sign_in(other_session, "editor", PASSWORD)
    home = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in home
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200
    assert "至少 3 类" in page.content.decode()
    wrong_old = client.post(
        reverse("accounts:password_change"),
        {"old_password": "not-it", "new_password1": GOOD, "new_password2": GOOD},
    )
    assert wrong_old.status_code == 400
    weak = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": "jixiao2025", "new_password2": "jixiao2025"},
    )
    assert weak.status_code == 400
    world.editor.refresh_from_db()
    assert world.editor.check_password(PASSWORD)
    done = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": GOOD, "new_password2": GOOD},
    )
    assert done.status_code == 302
    assert client.get(reverse("home")).status_code == 200  # this session stays signed in
    assert other_session.get(reverse("home")).status_code == 302  # every other one ends
    world.editor.refresh_from_db()
    assert world.editor.check_password(GOOD)
    event = Event.objects.get(action="account.password_change")
    assert (event.actor, event.target_id, event.details) == (
        world.editor,
        str(world.editor.pk),
        {"forced": False, "expired": False},
    )


def test_after_an_admin_reset_the_new_password_comes_first(world):
    admin = Client()
    admin.force_login(world.bureau_admin)
    reset = admin.post(
        reverse("organisations:user_password", args=[world.editor.pk]),
        {"password1": "Reset-by-admin-77", "password2": "Reset-by-admin-77"},
    )
    assert reset.status_code == 302
    world.editor.refresh_from_db()
    assert world.editor.must_change_password
    assert Event.objects.get(action="account.password").details == {"must_change_password": True}
    client = Client()
    sign_in(client, "editor", "Reset-by-admin-77")
    for url in (reverse("home"), reverse("evaluations:list")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:password_change") + "?next=")
    api = client.get("/api/evaluations")
    assert api.status_code == 403
    assert "修改密码" in api.json()["detail"]
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "请先设置一个只有您自己知道的新密码" in page
    done = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "Reset-by-admin-77",
            "new_password1": GOOD,
            "new_password2": GOOD,
            "next": reverse("evaluations:list"),
        },
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("evaluations:list")
    assert client.get(reverse("home")).status_code == 200
    world.editor.refresh_from_db()
    assert not world.editor.must_change_password
    assert Event.objects.get(action="account.password_change").details["forced"] is True


def test_a_new_account_chooses_its_own_password_at_first_sign_in(world):
    admin = Client()
    admin.force_login(world.bureau_admin)
    created = admin.post(
        reverse("organisations:user_create"),
        {
            "username": "newcomer",
            "display_name": "新同事",
            "organisation": world.unit.pk,
            "role": Role.UNIT_EDITOR,
            "password1": "Initial-pass-2026",
            "password2": "Initial-pass-2026",
        },
    )
    assert created.status_code == 302
    client = Client()
    sign_in(client, "newcomer", "Initial-pass-2026")
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:password_change"))


def test_admin_cannot_set_a_password_naming_the_unit(world):
    admin = Client()
    admin.force_login(world.bureau_admin)
    response = admin.post(
        reverse("organisations:user_create"),
        {
            "username": "newcomer",
            "display_name": "新同事",
            "organisation": world.unit.pk,
            "role": Role.UNIT_EDITOR,
            "password1": "我中心-Pass-2026",
            "password2": "我中心-Pass-2026",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password1"] == ["密码不能包含用户名或所属单位名称。"]
    assert not User.objects.filter(username="newcomer").exists()


def test_expiry_follows_the_bureau_policy(world, settings):
    client = Client()
    client.force_login(world.editor)
    User.objects.filter(pk=world.editor.pk).update(
        password_changed_at=timezone.now() - timedelta(days=91)
    )
    settings.JIXIAO_PASSWORD_MAX_AGE_DAYS = 0  # the default: no expiry
    assert client.get(reverse("home")).status_code == 200
    settings.JIXIAO_PASSWORD_MAX_AGE_DAYS = 90
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("accounts:password_change"))
    assert (
        "已超过规定的使用期限" in client.get(reverse("accounts:password_change")).content.decode()
    )
    settings.JIXIAO_PASSWORD_MAX_AGE_DAYS = 120
    assert client.get(reverse("home")).status_code == 200


def test_setting_a_password_records_when(world):
    before = timezone.now()
    change(world.editor, GOOD)
    assert world.editor.password_changed_at is not None
    assert world.editor.password_changed_at >= before
