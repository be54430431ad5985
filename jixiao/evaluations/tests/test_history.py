"""Issue 8.2 on the web: an actual far outside the unit's earlier years is flagged in the live score
panel, the 缺项清单, the reviewer's view and the API; the earlier evaluation is the same unit's,
of the same kind, one or two years back, about the same project (one query)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.conftest import World
from jixiao.evaluations.checklist import linked_problems
from jixiao.evaluations.history import previous_actuals
from jixiao.evaluations.models import Evaluation
from jixiao.evaluations.tests.conftest import client_for
from jixiao.projects.models import Project
from jixiao.reviews.services import submission_problems
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db

# T2 (新增取得高级工及以上职业技能等级认定证书) is 5570 人次 in 2025 and has no explanation.
FLAG = (
    "2025 年实际完成值 5570人次 是 2024 年 500人次 的 11.1 倍，与往年相差过大，"
    "请核对；如无误须说明原因"
)


def earlier(world: World, *, year: int = 2024, t2: str = "500", **fields: Any) -> Evaluation:
    kind = fields.pop("kind", "department")
    campaign = f.CampaignFactory.create(bureau=world.bureau, year=year, kind=kind)
    data = f.seed_evaluation_data()
    data["year"] = year
    data["targets"][2]["actual"] = t2
    return f.EvaluationFactory.create(
        campaign=campaign, unit=fields.pop("unit", world.unit), data=data, **fields
    )


def test_last_years_evaluation_flags_a_far_jump_everywhere(world: World) -> None:
    earlier(world)
    e = world.evaluation
    editor = client_for(world.editor)
    # The live score panel on the entry page, and its refresh while typing.
    assert FLAG in editor.get(reverse("evaluations:edit", args=[e.pk, "targets"])).content.decode()
    # The 缺项清单: a required explanation, linked to the target's explanation field.
    problems = linked_problems(e, submission_problems(e))
    item = next(p for p in problems if FLAG in p)
    assert item == "新增取得高级工及以上职业技能等级认定证书：" + FLAG
    assert item.url.endswith("/edit/targets/#f-targets-2-explanation")
    # The reviewer's view of the evaluation.
    reviewer = client_for(world.department_reviewer)
    assert FLAG in reviewer.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    # The API's score.
    body = reviewer.get(f"/api/evaluations/{e.pk}/score").json()
    t2 = next(i for i in body["indicators"] if i["code"] == "T2")
    assert [(fl["code"], fl["message"]) for fl in t2["flags"]] == [("outside_history", FLAG)]
    assert "新增取得高级工及以上职业技能等级认定证书：" + FLAG in body["missing_explanations"]
    assert body["total"] == "98.00"  # the flag never changes a score


def test_the_live_panel_flags_what_is_typed(world: World, form_of: Any) -> None:
    earlier(world, t2="5000")
    e = world.evaluation
    client = client_for(world.editor)
    edit = reverse("evaluations:edit", args=[e.pk, "targets"])
    data = form_of(client, edit)
    assert "与往年相差过大" not in client.get(edit).content.decode()
    data["targets-2-actual"] = "800"
    panel = client.post(reverse("evaluations:preview_score", args=[e.pk, "targets"]), data)
    assert "2025 年实际完成值 800人次 仅为 2024 年 5000人次 的 16%" in panel.content.decode()


def test_an_explained_jump_is_shown_but_asks_nothing(world: World) -> None:
    earlier(world)
    e = world.evaluation
    e.data["targets"][2]["explanation"] = "新增两个考点"
    e.save()
    assert not [p for p in submission_problems(e) if "与往年相差过大" in p]
    page = client_for(world.department_reviewer).get(reverse("evaluations:detail", args=[e.pk]))
    assert "与往年相差过大，已说明原因" in page.content.decode()


def test_only_the_same_units_same_kind_earlier_years_count(world: World) -> None:
    earlier(world, unit=world.other_unit)  # another unit
    earlier(world, kind="project", project_name="某项目")  # another kind
    earlier(world, year=2022)  # three years back
    earlier(world, year=2026)  # later
    assert previous_actuals(world.evaluation) == ()
    assert not [p for p in submission_problems(world.evaluation) if "与往年相差过大" in p]
    earlier(world, year=2023)  # two years back counts
    fresh = Evaluation.objects.get(pk=world.evaluation.pk)  # the history is kept per instance
    assert any("2023 年 500人次" in p for p in submission_problems(fresh))


def test_a_project_evaluation_is_held_to_the_same_project(world: World) -> None:
    campaign = f.CampaignFactory.create(bureau=world.bureau, year=2025, kind="project")
    this_year = Project.objects.create(unit=world.unit, year=2025, code="P-01", name="鉴定补助")
    last_year = Project.objects.create(unit=world.unit, year=2024, code="P-01", name="鉴定补助")
    other = Project.objects.create(unit=world.unit, year=2024, code="P-02", name="其他项目")
    e = f.EvaluationFactory.create(
        campaign=campaign, unit=world.unit, project=this_year, project_name="鉴定补助"
    )
    earlier(world, kind="project", project=other, project_name="其他项目")
    assert previous_actuals(e) == ()
    earlier(world, kind="project", project=last_year, project_name="鉴定补助", t2="700")
    fresh = Evaluation.objects.get(pk=e.pk)
    assert {(p.year, p.code, str(p.actual)) for p in previous_actuals(fresh)} >= {
        (2024, "T2", "700")
    }


def test_the_history_is_one_query_whatever_the_number_of_targets(world: World) -> None:
    earlier(world)
    earlier(world, year=2023)
    e = Evaluation.objects.select_related("campaign").get(pk=world.evaluation.pk)
    with CaptureQueriesContext(connection) as queries:
        found = previous_actuals(e)
        previous_actuals(e)  # kept on the instance
    assert len(queries) == 1
    assert {p.year for p in found} == {2023, 2024}
