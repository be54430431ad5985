"""账号管理: create and edit people, role fits the organisation kind, reset password, deactivate."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from jixiao.organisations.models import User
from jixiao.testing.factories import PASSWORD, UserFactory

NON_ADMIN_ROLES = ["unit_editor", "unit_head", "department_reviewer", "bureau_reviewer"]
NEW_PASSWORD = "Zhanjiang-2026-secure"


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def account_values(world, **overrides):
    values = {
        "username": "liwei",
        "display_name": "李伟",
        "phone": "0759-1234567",
        "email": "liwei@example.cn",
        "organisation": world.unit.pk,
        "role": "unit_editor",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize("extra", [3, 30])
def test_list_shows_accounts_in_constant_queries(client, world, django_assert_num_queries, extra):
    for _ in range(extra):
        UserFactory.create(organisation=world.other_unit)
    login(client, world.bureau_admin)
    # session, user, the layout's badge, the page, the count: the same for 3 accounts as for 30
    # (and 150,000)
    with django_assert_num_queries(5):
        response = client.get(reverse("organisations:users"))
    assert response.status_code == 200
    assert response.context["count"] == 7 + extra
    assert len(response.context["page"].rows) == 7 + extra
    assert "湛江市职业技能鉴定指导中心" in response.content.decode()


def test_list_filters_by_role(client, world):
    login(client, world.bureau_admin)
    response = client.get(reverse("organisations:users"), {"role": "department_reviewer"})
    assert [a.username for a in response.context["page"].rows] == ["dept", "other_dept"]


def test_list_pages_by_username_with_the_filters_kept(client, world):
    """A keyset walk: every active unit editor once, in username order, across pages of 4,
    the role filter and the search carried by the next link."""
    for n in range(9):
        UserFactory.create(
            organisation=world.other_unit, role="unit_editor", username=f"walk{n:02d}"
        )
    UserFactory.create(
        organisation=world.other_unit, role="unit_editor", username="walk99", is_active=False
    )
    login(client, world.bureau_admin)
    url = reverse("organisations:users")
    seen: list[str] = []
    params = {"role": "unit_editor", "q": "walk", "size": "4"}
    for _ in range(5):
        response = client.get(url, params)
        seen += [a.username for a in response.context["page"].rows]
        assert response.context["count"] == 9
        if not response.context["next_query"]:
            break
        assert "role=unit_editor" in response.context["next_query"]
        params = {**params, "after": response.context["page"].next_cursor}
    assert seen == [f"walk{n:02d}" for n in range(9)]


def test_list_search_finds_accounts_by_their_organisation(client, world):
    login(client, world.bureau_admin)
    response = client.get(reverse("organisations:users"), {"q": "职业技能鉴定"})
    organisations = {a.organisation for a in response.context["page"].rows}
    assert organisations == {world.unit}
    assert response.context["count"] == len(response.context["page"].rows) >= 1


def test_admin_creates_an_account_with_an_argon2_password(client, world, settings):
    # The test settings hash with MD5 for speed; production's Argon2 is what this test is about.
    login(client, world.bureau_admin)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = client.post(reverse("organisations:user_create"), account_values(world))
    assert response.status_code == 302
    account = User.objects.get(username="liwei")
    assert (account.display_name, account.organisation, account.role) == (
        "李伟",
        world.unit,
        "unit_editor",
    )
    assert identify_hasher(account.password).algorithm == "argon2"
    assert account.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    "role,organisation_attr",
    [
        ("unit_editor", "department"),
        ("department_reviewer", "unit"),
        ("bureau_admin", "department"),
        ("bureau_reviewer", "unit"),
    ],
)
def test_role_must_fit_the_organisation_kind(client, world, role, organisation_attr):
    login(client, world.bureau_admin)
    organisation = getattr(world, organisation_attr)
    response = client.post(
        reverse("organisations:user_create"),
        account_values(world, role=role, organisation=organisation.pk),
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["role"]
    assert error.startswith("角色“") and f"而“{organisation.name}”是" in error
    assert not User.objects.filter(username="liwei").exists()


def test_mismatched_and_weak_passwords_are_refused(client, world):
    login(client, world.bureau_admin)
    response = client.post(
        reverse("organisations:user_create"), account_values(world, password2="other-thing-99")
    )
    assert response.context["form"].errors["password2"] == ["两次输入的密码不一致"]
    response = client.post(
        reverse("organisations:user_create"),
        account_values(world, password1="123", password2="123"),
    )
    assert response.context["form"].errors["password1"]
    assert not User.objects.filter(username="liwei").exists()


def test_admin_edits_an_account(client, world):
    login(client, world.bureau_admin)
    url = reverse("organisations:user_edit", args=[world.editor.pk])
    assert client.get(url).status_code == 200
    values = account_values(world, username="editor", role="unit_head", display_name="王芳")
    response = client.post(url, values)
    assert response.status_code == 302
    world.editor.refresh_from_db()
    assert (world.editor.role, world.editor.display_name) == ("unit_head", "王芳")
    assert world.editor.check_password(PASSWORD)  # editing never touches the password


def test_admin_cannot_demote_themselves(client, world):
    login(client, world.bureau_admin)
    url = reverse("organisations:user_edit", args=[world.bureau_admin.pk])
    response = client.post(
        url,
        account_values(
            world, username="admin", organisation=world.bureau.pk, role="bureau_reviewer"
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "不能取消自己的财政管理员角色，请由另一位管理员操作"
    ]
    world.bureau_admin.refresh_from_db()
    assert world.bureau_admin.role == "bureau_admin"


def test_reset_password(client, world, settings):
    login(client, world.bureau_admin)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    url = reverse("organisations:user_password", args=[world.editor.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    world.editor.refresh_from_db()
    assert world.editor.check_password(NEW_PASSWORD)
    assert identify_hasher(world.editor.password).algorithm == "argon2"


def test_reset_password_mismatch_changes_nothing(client, world):
    login(client, world.bureau_admin)
    url = reverse("organisations:user_password", args=[world.editor.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": "nope-nope-123"})
    assert response.status_code == 400
    world.editor.refresh_from_db()
    assert world.editor.check_password(PASSWORD)


def test_deactivate_and_reactivate(client, world):
    login(client, world.bureau_admin)
    url = reverse("organisations:user_active", args=[world.editor.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    world.editor.refresh_from_db()
    assert world.editor.is_active is False
    login(client, world.bureau_admin)
    client.post(url, {"active": "1"})
    world.editor.refresh_from_db()
    assert world.editor.is_active is True


def test_deactivated_person_cannot_sign_in(client, world):
    login(client, world.bureau_admin)
    client.post(reverse("organisations:user_active", args=[world.editor.pk]), {"active": "0"})
    client.logout()
    assert client.login(username="editor", password=PASSWORD) is False


def test_admin_cannot_deactivate_themselves(client, world):
    login(client, world.bureau_admin)
    response = client.post(
        reverse("organisations:user_active", args=[world.bureau_admin.pk]),
        {"active": "0"},
        follow=True,
    )
    assert "不能停用自己的账号" in response.content.decode()
    world.bureau_admin.refresh_from_db()
    assert world.bureau_admin.is_active is True


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_non_admin_account_actions_are_404_and_change_nothing(client, world, role):
    login(client, world.user(role))
    target = world.other_editor
    password_before = target.password
    assert client.get(reverse("organisations:user_edit", args=[target.pk])).status_code == 404
    assert (
        client.post(
            reverse("organisations:user_edit", args=[target.pk]),
            account_values(world, username="hacked"),
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("organisations:user_password", args=[target.pk]),
            {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        ).status_code
        == 404
    )
    assert (
        client.post(
            reverse("organisations:user_active", args=[target.pk]), {"active": "0"}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("organisations:user_create"), account_values(world)).status_code == 404
    )
    target.refresh_from_db()
    assert (target.username, target.is_active, target.password) == (
        "other_editor",
        True,
        password_before,
    )
    assert not User.objects.filter(username="liwei").exists()


def test_unknown_account_is_404(client, world):
    login(client, world.bureau_admin)
    assert client.get(reverse("organisations:user_edit", args=[99999])).status_code == 404


@pytest.mark.parametrize("term", ["王", "小明", "职业", "wang"])
def test_list_search_short_terms_find_what_icontains_finds(client, world, term):
    """账号管理's search with one or two characters (grams columns on PostgreSQL, organisations
    0005) finds what icontains over username, name and organisation name finds."""
    UserFactory.create(organisation=world.other_unit, username="wangxm", display_name="王小明")
    UserFactory.create(organisation=world.other_unit, username="lihua", display_name="李华")
    login(client, world.bureau_admin)
    response = client.get(reverse("organisations:users"), {"q": term})
    found = {a.username for a in response.context["page"].rows}
    expected = {
        a.username
        for a in User.objects.select_related("organisation").filter(is_active=True)
        if term.lower() in a.username.lower()
        or term in a.display_name
        or (a.organisation and term in a.organisation.name)
    }
    assert found == expected and response.context["count"] == len(expected)
