"""A task made from the 项目库: its 项目名称 and 实施单位 are the register's, on every path."""

from __future__ import annotations

import copy

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.campaigns import services as campaign_services
from jixiao.evaluations.ownership import ServerOwnedChange
from jixiao.evaluations.services import save_evaluation_data
from jixiao.evaluations.tests.conftest import read_form
from jixiao.projects.selectors import CampaignScope
from jixiao.projects.tests.test_register import make_project


def registered_task(world):
    make_project(world, code="R1")
    _campaign, tasks = campaign_services.create_campaign(
        user=world.bureau_admin,
        values={
            "year": 2026, "title": "项目", "notice_title": "通知", "notice_number": "号",
            "kind": "project", "ruleset_ref": "national-project@2020.1",
            "deadline": world.campaign.deadline,
        },
        units=[world.unit],
        project_scope=CampaignScope(year=2026),
    )  # fmt: skip
    return tasks[0]


def test_the_form_shows_the_registered_name_and_does_not_take_another(world, client: Client):
    task = registered_task(world)
    client.force_login(world.editor)
    url = reverse("evaluations:edit", args=[task.pk, "cover"])
    html = client.get(url).content.decode()
    assert "以项目库登记的项目为准" in html
    data = read_form(html)
    data["project-project_name"] = "别的名称"
    data["project-goal_expected"] = "完成认定"
    client.post(url, data)
    task.refresh_from_db()
    assert task.data["project"]["name"] == "项目R1"
    assert task.data["project"]["goal_expected"] == "完成认定"


def test_the_save_service_refuses_another_name_and_accepts_the_registered_one(world):
    task = registered_task(world)
    data = copy.deepcopy(task.data)
    data["project"]["name"] = "别的名称"
    with pytest.raises(ServerOwnedChange, match="以项目库登记的项目为准"):
        save_evaluation_data(
            user=world.editor, evaluation_id=task.pk, expected_version=task.version, data=data
        )
    data["project"]["name"] = "项目R1"
    data["project"]["goal_actual"] = "已完成"
    saved = save_evaluation_data(
        user=world.editor, evaluation_id=task.pk, expected_version=task.version, data=data
    )
    assert saved.data["project"]["goal_actual"] == "已完成"


def test_a_project_task_without_the_register_keeps_its_name_the_units(world):
    _campaign, tasks = campaign_services.create_campaign(
        user=world.bureau_admin,
        values={
            "year": 2026, "title": "项目", "notice_title": "通知", "notice_number": "号",
            "kind": "project", "ruleset_ref": "national-project@2020.1",
            "deadline": world.campaign.deadline,
        },
        units=[world.unit],
        project_name="",
    )  # fmt: skip
    task = tasks[0]
    assert task.project is None
    data = copy.deepcopy(task.data)
    data["project"]["name"] = "单位自填的项目名称"
    saved = save_evaluation_data(
        user=world.editor, evaluation_id=task.pk, expected_version=task.version, data=data
    )
    assert saved.data["project"]["name"] == "单位自填的项目名称"
