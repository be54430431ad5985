"""A task just handed out (prefilled, nearly empty) can be opened, filled section by section and
scored once complete; a project evaluation also asks for its project."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.sections import SECTIONS
from jixiao.evaluations.services import create_tasks
from jixiao.evaluations.tests.conftest import client_for
from jixiao.testing import factories as f


@pytest.fixture
def fresh(world) -> Evaluation:
    campaign = f.CampaignFactory.create(bureau=world.bureau, year=2026, title="2026年度自评")
    (evaluation,) = create_tasks(user=world.bureau_admin, campaign=campaign, units=[world.unit])
    return evaluation


def test_every_section_of_a_fresh_task_opens(world, fresh):
    client = client_for(world.editor)
    assert (
        "暂不能评分" in client.get(reverse("evaluations:detail", args=[fresh.pk])).content.decode()
    )
    for section in SECTIONS:
        assert (
            client.get(reverse("evaluations:edit", args=[fresh.pk, section.key])).status_code == 200
        )


def test_filling_a_fresh_task_section_by_section(world, fresh, form_of):
    client = client_for(world.editor)

    def post(section: str, changes: dict[str, str]) -> int:
        url = reverse("evaluations:edit", args=[fresh.pk, section])
        data = form_of(client, url)
        data.update(changes)
        return client.post(url, data).status_code

    assert fresh.data["unit"]["name"] == world.unit.name  # prefilled from the organisation
    assert (
        post(
            "budget",
            {
                "rows-TOTAL_FORMS": "1",
                "rows-0-source": "当年财政拨款",
                "rows-0-initial": "100",
                "rows-0-full_year": "120",
                "rows-0-executed": "114",
            },
        )
        == 302
    )
    fresh.refresh_from_db()
    assert fresh.data["budget"]["rows"] == [
        {"source": "当年财政拨款", "initial": "100", "full_year": "120", "executed": "114"}
    ]
    assert fresh.total is None  # no targets yet: not scorable


def test_project_evaluation_asks_for_its_project(world):
    campaign = f.CampaignFactory.create(
        bureau=world.bureau, kind="project", ruleset_ref="national-project", title="项目自评"
    )
    (evaluation,) = create_tasks(
        user=world.bureau_admin, campaign=campaign, units=[world.unit], project_name="技能人才评价"
    )
    client = client_for(world.editor)
    url = reverse("evaluations:edit", args=[evaluation.pk, "cover"])
    page = client.get(url).content.decode()
    assert 'name="project-project_name"' in page and 'value="技能人才评价"' in page
    assert (
        client.get(reverse("evaluations:edit", args=[evaluation.pk, "assessments"])).status_code
        == 200
    )
