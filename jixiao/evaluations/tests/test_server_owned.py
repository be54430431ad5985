"""Issue 9.4: the campaign's fields (kind, rule-set, year, notice), the unit's identity (name,
统一社会信用代码, 单位性质, 主管部门) and review deductions are not writable by a unit through any
path — forms, autosave, prefill from a report (all through services.save_evaluation_data) and the
API (jixiao/api/tests/test_server_owned.py)."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from jixiao.audit.views import is_campaign_owned
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.ownership import ServerOwnedChange, is_server_owned
from jixiao.evaluations.services import save_evaluation_data
from jixiao.evaluations.tests.conftest import client_for


def edit(e: Evaluation, section: str) -> str:
    return reverse("evaluations:edit", args=[e.pk, section])


def autosave(e: Evaluation, section: str) -> str:
    return reverse("evaluations:autosave", args=[e.pk, section])


def test_the_unit_form_shows_identity_but_does_not_take_it(world, form_of):
    e = world.evaluation
    client = client_for(world.editor)
    html = client.get(edit(e, "unit")).content.decode()
    assert 'name="unit-name"' in html and "以财政局维护的单位信息为准" in html
    data = form_of(client, edit(e, "unit"))
    data["unit-name"] = "改名后的单位"
    data["unit-supervisor"] = "湛江市财政局"
    data["unit-unit_type"] = "行政单位"
    data["unit-credit_code"] = ""
    data["unit-short_name"] = "本中心"
    assert client.post(edit(e, "unit"), data).status_code == 302
    e.refresh_from_db()
    unit = e.data["unit"]
    assert (unit["name"], unit["supervisor"], unit["unit_type"]) == (
        "湛江市职业技能鉴定指导中心",
        "湛江市人力资源和社会保障局",
        "公益二类事业单位",
    )
    assert unit["short_name"] == "本中心"  # the unit's own words stay the unit's


@pytest.mark.parametrize("path", ["edit", "autosave"])
def test_the_cover_form_does_not_take_year_or_notice(world, form_of, path):
    e = world.evaluation
    client = client_for(world.editor)
    data = form_of(client, edit(e, "cover"))
    data["cover-year"] = "2019"
    data["cover-notice_title"] = "另一个通知"
    data["cover-notice_number"] = "湛财绩〔2019〕1号"
    data["cover-filled_on"] = "2026-05-22"
    url = edit(e, "cover") if path == "edit" else autosave(e, "cover")
    assert client.post(url, data).status_code in (200, 302)
    e.refresh_from_db()
    assert e.version == 2 and e.data["filled_on"] == "2026-05-22"
    assert e.data["year"] == 2025
    assert e.data["notice"]["title"] == "湛江市财政局关于开展2026年市级财政资金绩效自评工作的通知"
    assert e.data["notice"]["number"] == "湛财绩〔2026〕2号"


@pytest.mark.parametrize(
    ("key", "value"),
    [("ruleset", "national-project@2020.1"), ("year", 2030), ("kind", "project")],
)
def test_the_save_service_refuses_campaign_fields(world, key, value):
    e = world.evaluation
    data = copy.deepcopy(e.data)
    data[key] = value
    with pytest.raises(ServerOwnedChange) as caught:
        save_evaluation_data(user=world.editor, evaluation_id=e.pk, expected_version=1, data=data)
    assert caught.value.problems == [(key, "由自评工作确定，单位不能修改")]
    e.refresh_from_db()
    assert e.version == 1 and e.data[key] != value


def test_a_stored_review_deduction_survives_a_save_that_leaves_it_out(world):
    e = world.evaluation
    data = copy.deepcopy(e.data)
    data["assessments"][0]["reviewer_deduction"] = "1"
    data["assessments"][0]["reviewer_deduction_reason"] = "佐证不足"
    Evaluation.objects.filter(pk=e.pk).update(data=data)
    e.refresh_from_db()
    mine = copy.deepcopy(e.data)
    del mine["assessments"][0]["reviewer_deduction"]
    del mine["assessments"][0]["reviewer_deduction_reason"]
    mine["other"] = "改了其他"
    saved = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=1, data=mine
    )
    assert saved.version == 2 and saved.data["other"] == "改了其他"
    assert saved.data["assessments"][0]["reviewer_deduction"] == "1"
    assert saved.data["assessments"][0]["reviewer_deduction_reason"] == "佐证不足"
    mine = copy.deepcopy(saved.data)
    mine["assessments"][0]["reviewer_deduction"] = None  # removing it is changing it
    with pytest.raises(ServerOwnedChange):
        save_evaluation_data(user=world.editor, evaluation_id=e.pk, expected_version=2, data=mine)


def test_a_renamed_unit_may_take_its_recorded_name(world):
    # The stored name came from the record when the task was created; after the bureau renames
    # the unit, the new recorded name is allowed too — anything else is not.
    e = world.evaluation
    world.unit.name = "湛江市职业技能评价中心"
    world.unit.save()
    data = copy.deepcopy(e.data)
    data["unit"]["name"] = "湛江市职业技能评价中心"
    saved = save_evaluation_data(
        user=world.editor, evaluation_id=e.pk, expected_version=1, data=data
    )
    assert saved.data["unit"]["name"] == "湛江市职业技能评价中心"
    data["unit"]["name"] = "随便起的名字"
    with pytest.raises(ServerOwnedChange):
        save_evaluation_data(user=world.editor, evaluation_id=e.pk, expected_version=2, data=data)


@pytest.mark.parametrize(
    ("path", "owned"),
    [
        ("ruleset", True),
        ("notice.number", True),
        ("year", True),
        ("kind", True),
        ("unit.name", True),
        ("unit.credit_code", True),
        ("unit.supervisor", True),
        ("unit.unit_type", True),
        ("targets.3.reviewer_deduction", True),
        ("assessments.0.reviewer_deduction_reason", True),
        ("unit.short_name", False),
        ("unit.staff_actual", False),
        ("targets.3.actual", False),
        ("project.name", False),
        ("filled_on", False),
    ],
)
def test_one_list_decides_for_every_importer(path, owned):
    assert is_server_owned(path) is owned
    # Prefill from last year's report offers no server-owned field.
    assert is_campaign_owned(path) is (owned or path == "filled_on")
