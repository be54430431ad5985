"""#9.10: the 操作日志 keeps who acted as they were at the time; renames do not rewrite history."""

from __future__ import annotations

from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.activity.services import record_event
from jixiao.organisations.services import save_organisation


def test_the_actor_is_stored_as_they_were(world):
    world.department_reviewer.display_name = "张审核"
    world.department_reviewer.save()
    event = record_event(
        actor=world.department_reviewer,
        action="evaluation.department_return",
        target=world.evaluation,
        summary="退回",
    )
    event.refresh_from_db()
    assert (event.actor_username, event.actor_name, event.actor_role) == (
        "dept",
        "张审核",
        "department_reviewer",
    )
    assert event.actor_organisation_id == world.department.pk
    assert event.actor_organisation_name == "湛江市人力资源和社会保障局"
    assert event.unit_id == world.unit.pk  # the evaluation's unit
    assert event.target_label == str(world.evaluation)


def test_renaming_the_account_and_its_organisation_keeps_the_logged_names(client, world):
    world.department_reviewer.display_name = "张审核"
    world.department_reviewer.save()
    record_event(
        actor=world.department_reviewer,
        action="evaluation.department_return",
        target=world.evaluation,
        summary="退回一份自评",
    )
    world.department_reviewer.display_name = "李新名"
    world.department_reviewer.role = "bureau_reviewer"
    world.department_reviewer.save()
    save_organisation(
        user=world.bureau_admin,
        organisation_id=world.department.pk,
        values={"name": "湛江市人社局（新名称）"},
    )
    client.force_login(world.bureau_admin)
    page = client.get(reverse("activity:list")).content.decode()
    row = next(line for line in page.split("<tr") if "退回一份自评" in line)
    assert "张审核" in row and "湛江市人力资源和社会保障局" in row and "主管部门审核人" in row
    assert "李新名" not in row and "新名称" not in row and "财政复核人" not in row


def test_an_event_without_a_stored_target(world):
    event = record_event(
        actor=None,
        action="auth.login_failed",
        target=None,
        target_type="account",
        target_label="nobody_by_that_name",
        summary="登录失败：账号不存在",
        address="10.0.0.8",
    )
    event.refresh_from_db()
    assert (event.actor_id, event.actor_name, event.target_id) == (None, "", "")
    assert (event.target_type, event.target_label, event.address) == (
        "account",
        "nobody_by_that_name",
        "10.0.0.8",
    )
    assert Event.objects.count() == 1
