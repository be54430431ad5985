"""#8.7: one list of parts per kind (scoring.report_parts) drives the entry tabs, the return form,
the comment display and the report's headings: the same parts, in the same order, in the same words."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from jixiao.documents.builder import render_markup
from jixiao.documents.tests.conftest import project_evaluation, project_ruleset
from jixiao.evaluations.models import Status
from jixiao.evaluations.sections import SECTIONS_BY_KEY, sections_for
from jixiao.reviews import workflow
from jixiao.reviews.services import transition
from jixiao.reviews.tests.helpers import move
from scoring import score_evaluation
from scoring.report_parts import parts_of


def make_project(evaluation):  # type: ignore[no-untyped-def]
    evaluation.data["kind"] = "project"
    evaluation.data["project"] = {
        "name": "职业技能培训补贴",
        "goal_expected": "",
        "goal_actual": "",
    }
    evaluation.save()


def box_labels(html: str) -> list[str]:
    boxes = html.split('class="rp-section-boxes"', 1)[1].split("</details>", 1)[0]
    return re.findall(r"<label>([^<]+)<textarea name=\"section_", boxes)


def tab_labels(html: str) -> list[str]:
    nav = html.split('class="tabs ev-tabs"', 1)[1].split("</nav>", 1)[0]
    return [re.sub(r"<sup.*", "", t).strip() for t in re.findall(r"<a [^>]*>(.*?)</a>", nav)]


@pytest.mark.parametrize("kind", ["department", "project"])
def test_tabs_and_return_boxes_are_the_parts_of_the_kind(client, world, kind):
    e = world.evaluation
    if kind == "project":
        make_project(e)
    move(e, Status.SUBMITTED, world.head, "submit")
    client.force_login(world.department_reviewer)
    html = client.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    titles = [p.title for p in parts_of(kind)]
    assert box_labels(html) == titles
    tabs = tab_labels(html)
    assert tabs[0] == "概览" and tabs[-1] == "佐证材料"
    assert tabs[1:-1] == [p.title for p in parts_of(kind) if p.editable]
    assert [s.key for s in sections_for(kind)] == [p.key for p in parts_of(kind) if p.editable]


def test_a_project_budget_box_is_not_the_department_one(client, world):
    make_project(world.evaluation)
    move(world.evaluation, Status.SUBMITTED, world.head, "submit")
    client.force_login(world.department_reviewer)
    html = client.get(reverse("evaluations:detail", args=[world.evaluation.pk])).content.decode()
    labels = box_labels(html)
    assert "项目资金情况" in labels and "部门整体支出情况" not in labels
    assert "封面与通知" in labels and "年度重点工作任务" in labels


def test_comments_read_with_the_tab_names_and_link_to_the_tab(client, world):
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer,
        evaluation_id=e.pk,
        action=workflow.DEPARTMENT_RETURN,
        section_comments={"cover": "通知文号有误", "key_tasks": "补充第三项", "group": "补充过程"},
    )
    client.force_login(world.editor)
    html = client.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    box = html.split('class="rp-return"', 1)[1].split("</ul>", 1)[0]
    found = re.findall(r"<li><b>([^<]+)</b>", box)
    assert found == ["封面与通知", "年度重点工作任务", "自评工作开展情况"]
    assert reverse("evaluations:edit", args=[e.pk, "key_tasks"]) in box
    # The tab the editor opens carries the same name.
    tab = client.get(reverse("evaluations:edit", args=[e.pk, "group"])).content.decode()
    assert "<h2>自评工作开展情况</h2>" in tab


def test_the_report_headings_come_from_the_same_list():
    evaluation = project_evaluation()
    result = score_evaluation(evaluation, project_ruleset())
    text = render_markup(evaluation, result)
    assert "## （三）项目资金情况" in text
    assert "部门整体支出" not in text
    assert f"# 二、{SECTIONS_BY_KEY['group'].label}" in text
