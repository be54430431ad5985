"""Every administrative change leaves an event; the log page is the bureau admin's alone."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jixiao.activity.models import Event
from jixiao.campaigns.services import update_campaign
from jixiao.organisations.services import save_organisation, set_user_active


def test_organisation_update_records_what_changed(world):
    save_organisation(
        user=world.bureau_admin, organisation_id=world.unit.pk, values={"staff_actual": 6}
    )
    event = Event.objects.get(action="organisation.update")
    assert event.actor == world.bureau_admin
    assert event.target_id == str(world.unit.pk)
    assert event.details["changes"] == {"staff_actual": [5, 6]}
    assert event.summary == "修改组织：湛江市职业技能鉴定指导中心"


def test_account_and_campaign_changes_are_recorded(world):
    set_user_active(user=world.bureau_admin, user_id=world.editor.pk, active=False)
    new_deadline = timezone.now() + dt.timedelta(days=60)
    update_campaign(
        user=world.bureau_admin,
        campaign_id=world.campaign.pk,
        title="新标题",
        deadline=new_deadline,
    )
    assert list(Event.objects.order_by("pk").values_list("action", flat=True)) == [
        "account.deactivate",
        "campaign.update",
    ]
    assert Event.objects.get(action="campaign.update").details["changes"]["title"] == [
        "2025年度市级部门整体支出绩效自评",
        "新标题",
    ]


def test_a_refused_change_records_nothing(world):
    import pytest

    from jixiao.organisations.services import OrganisationRefused

    with pytest.raises(OrganisationRefused):
        set_user_active(user=world.bureau_admin, user_id=world.bureau_admin.pk, active=False)
    assert not Event.objects.exists()


def test_log_page_only_for_the_bureau_admin(client, world):
    save_organisation(
        user=world.bureau_admin, organisation_id=world.unit.pk, values={"staff_actual": 6}
    )
    client.force_login(world.bureau_admin)
    page = client.get(reverse("activity:list"))
    assert (
        page.status_code == 200 and "修改组织：湛江市职业技能鉴定指导中心" in page.content.decode()
    )
    for user in (world.bureau_reviewer, world.department_reviewer, world.editor):
        client.force_login(user)
        assert client.get(reverse("activity:list")).status_code == 404
