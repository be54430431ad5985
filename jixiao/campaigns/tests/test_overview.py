"""全市概览: KPIs, chart data, department table and the needs-attention list, per role."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation, Status
from jixiao.reviews.models import Transition
from jixiao.testing.factories import PASSWORD, CampaignFactory, EvaluationFactory, UnitFactory


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def set_state(world):
    """unit: published 98; other_unit: returned twice, overdue; foreign: submitted, 55 points."""
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.PUBLISHED)
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(
        status=Status.RETURNED, deadline_override=timezone.now() - dt.timedelta(hours=5)
    )
    for _ in range(2):
        Transition.objects.create(
            evaluation=world.other_evaluation,
            action="department_return",
            from_status="submitted",
            to_status="returned",
            actor=world.department_reviewer,
        )
    Evaluation.objects.filter(pk=world.foreign_evaluation.pk).update(
        status=Status.SUBMITTED, total=Decimal("55.00"), grade="差"
    )


def test_bureau_overview_kpis_charts_and_attention(client, world):
    set_state(world)
    login(client, world.bureau_reviewer)
    response = client.get(reverse("campaigns:overview"))
    assert response.status_code == 200
    data = response.context["overview"]
    assert data.kpis == {
        "total": 3,
        "handed_in": 2,
        "handed_in_percent": Decimal("66.7"),
        "approved": 1,
        "published": 1,
        "returned": 1,
        "average": Decimal("76.50"),
        "overdue": 1,
    }
    assert data.charts["progress"]["departments"] == ["湛江市人力资源和社会保障局", "湛江市教育局"]
    series = {s["key"]: s["data"] for s in data.charts["progress"]["series"]}
    assert series["published"] == [1, 0]
    assert series["returned"] == [1, 0]
    assert series["submitted"] == [0, 1]
    assert data.charts["grades"] == [
        {"name": "优", "label": "优", "value": 1},
        {"name": "差", "label": "差", "value": 1},
    ]
    assert data.charts["scores"]["data"] == [1, 0, 0, 0, 1]
    [hr, education] = data.departments
    assert (hr.name, hr.total, hr.handed_in, hr.average, hr.overdue) == (
        "湛江市人力资源和社会保障局",
        2,
        1,
        Decimal("98.00"),
        1,
    )
    assert (education.average, education.percent) == (Decimal("55.00"), Decimal("100.0"))
    attention = {
        item.evaluation.unit.name: [r.text for r in item.reasons] for item in data.attention
    }
    # The seed's one over-completion (158.08 %) is explained: a reason, not a severe one.
    over = "1 项指标偏离度过大，均已说明原因"
    when = timezone.localtime(
        Evaluation.objects.get(pk=world.other_evaluation.pk).deadline
    ).strftime("%m-%d %H:%M")
    assert attention == {
        world.other_unit.name: [f"逾期未报送（截止 {when}）", "已被退回 2 次", over],
        world.foreign_unit.name: ["得分 55.00 低于 60 分", over],
        world.unit.name: [over],
    }
    # Most urgent first.
    assert [item.evaluation.unit for item in data.attention][-1] == world.unit
    # The chart data is a json_script block, parsed back equal.
    html = response.content.decode()
    start = html.index('<script id="overview-data" type="application/json">') + len(
        '<script id="overview-data" type="application/json">'
    )
    parsed = json.loads(html[start : html.index("</script>", start)])
    assert parsed["scores"]["data"] == [1, 0, 0, 0, 1]


def test_department_sees_only_its_units(client, world):
    set_state(world)
    login(client, world.department_reviewer)
    response = client.get(reverse("campaigns:overview"))
    data = response.context["overview"]
    assert data.kpis["total"] == 2
    assert [line.name for line in data.departments] == ["湛江市人力资源和社会保障局"]
    # One bar per unit for a department, coloured by its state.
    chart = data.charts["progress"]
    assert chart["per_unit"] is True
    assert sorted(chart["departments"]) == sorted([world.unit.name, world.other_unit.name])
    series = {s["key"]: s["data"] for s in chart["series"]}
    pairs = zip(series["published"], series["returned"], strict=True)
    by_unit = dict(zip(chart["departments"], pairs, strict=True))
    assert by_unit == {world.unit.name: (1, 0), world.other_unit.name: (0, 1)}
    assert world.foreign_unit.name not in response.content.decode()


@pytest.mark.parametrize("role", ["unit_editor", "unit_head"])
def test_units_get_404(client, world, role):
    login(client, world.user(role))
    assert client.get(reverse("campaigns:overview")).status_code == 404


def test_department_cannot_select_a_campaign_it_has_no_units_in(client, world):
    other = Campaign.objects.create(
        bureau=world.bureau,
        year=2025,
        title="只下达给教育局",
        notice_title="通知",
        notice_number="湛财绩〔2026〕9号",
        ruleset_ref="gd-department@2025.1",
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    EvaluationFactory.create(campaign=other, unit=world.foreign_unit)
    login(client, world.department_reviewer)
    assert client.get(reverse("campaigns:overview"), {"campaign": other.pk}).status_code == 404


def test_year_selection_aggregates_campaigns(client, world):
    project = Campaign.objects.create(
        bureau=world.bureau,
        year=2025,
        title="2025年度项目支出绩效自评",
        kind="project",
        notice_title="通知",
        notice_number="湛财绩〔2026〕3号",
        ruleset_ref="national-project@2020.1",
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    EvaluationFactory.create(campaign=project, unit=world.unit, project_name="职业技能提升")
    login(client, world.bureau_admin)
    response = client.get(reverse("campaigns:overview"), {"campaign": "y2025"})
    assert response.context["overview"].kpis["total"] == 4
    assert response.context["selected_year"] == 2025
    response = client.get(reverse("campaigns:overview"), {"campaign": project.pk})
    assert response.context["overview"].kpis["total"] == 1


def test_overview_runs_in_constant_queries(client, world, django_assert_max_num_queries):
    set_state(world)
    for i in range(20):
        unit = UnitFactory.create(parent=world.other_department if i % 2 else world.department)
        EvaluationFactory.create(campaign=world.campaign, unit=unit, status=Status.SUBMITTED)
    login(client, world.bureau_admin)
    # session, user, organisation, choices, largest campaign; the tasks returned twice (1), the
    # counters (1), the departments' names (1), the overdue extensions (1), the attention page's
    # ids (candidates, the severity-1 and severity-0 streams per campaign, their order: 4) and
    # rows (1), its return counts (1); the year comparison's counters (1) and its targets (1) —
    # the rule-sets are cached by then
    with django_assert_max_num_queries(18):
        response = client.get(reverse("campaigns:overview"))
    assert response.context["overview"].kpis["total"] == 23


def test_overview_compares_the_years_in_scope(client, world):
    """历年对比: per year the self-evaluations in scope, how many approved, their average score and
    grades — not target declarations or monitoring reports, not other departments' units."""
    older = CampaignFactory.create(bureau=world.bureau, year=2024)
    for unit, total, grade in ((world.unit, "96", "优"), (world.other_unit, "82.5", "良")):
        made = EvaluationFactory.create(campaign=older, unit=unit, status=Status.APPROVED)
        Evaluation.objects.filter(pk=made.pk).update(total=Decimal(total), grade=grade)
    EvaluationFactory.create(campaign=older, unit=world.foreign_unit, status=Status.SUBMITTED)
    declarations = CampaignFactory.create(bureau=world.bureau, year=2024, kind="targets")
    EvaluationFactory.create(campaign=declarations, unit=world.unit, status=Status.APPROVED)
    from jixiao.results.services import refresh_year

    # 指标达成 from the stored 结果应用 rows: one unit reached 3 of 3 targets, the other 2 of 3.
    missed = Evaluation.objects.get(campaign=older, unit=world.other_unit)
    t2 = next(t for t in missed.data["targets"] if t["code"] == "T2")
    t2["actual"], t2["explanation"] = "4000", "延期开班"
    Evaluation.objects.filter(pk=missed.pk).update(data=missed.data)
    refresh_year(2024)
    login(client, world.bureau_admin)
    page = client.get(reverse("campaigns:overview"))
    years = {y.year: y for y in page.context["years"]}
    y2024 = years[2024]
    assert (y2024.tasks, y2024.approved, y2024.average) == (3, 2, "89.25")
    assert y2024.approved_share == "66.67%"
    assert dict(y2024.grades) == {"优": 1, "良": 1}
    assert (y2024.targets_met, y2024.targets_total, y2024.targets_share) == (5, 6, "83.33%")
    assert "5 / 6" in page.content.decode()
    login(client, world.department_reviewer)  # its own units only
    y2024 = {y.year: y for y in client.get(reverse("campaigns:overview")).context["years"]}[2024]
    assert (y2024.tasks, y2024.approved) == (2, 2)
    assert (y2024.targets_met, y2024.targets_total) == (5, 6)


def test_empty_overview(client, world):
    Evaluation.objects.all().delete()
    Campaign.objects.all().delete()
    login(client, world.bureau_admin)
    response = client.get(reverse("campaigns:overview"))
    assert response.status_code == 200
    assert response.context["overview"].kpis["total"] == 0
    assert "还没有自评工作" in response.content.decode()


def test_attention_list_is_paged_most_severe_first(client, world):
    set_state(world)
    login(client, world.bureau_admin)
    url = reverse("campaigns:overview")
    first = client.get(url, {"size": "2"}).context["overview"]
    assert first.attention_total == 3
    assert [item.evaluation.unit for item in first.attention] == [
        world.other_unit,  # overdue and returned twice: 2 severe reasons
        world.foreign_unit,  # below 60: 1
    ]
    second = client.get(url, {"size": "2", "after": first.attention_page.next_cursor})
    items = second.context["overview"].attention
    assert [item.evaluation.unit for item in items] == [world.unit]
    assert second.context["overview"].attention_page.next_cursor is None


def test_grades_chart_counts_a_rule_sets_own_grade_label(client, world):
    set_state(world)
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(
        status=Status.APPROVED, total=Decimal("88.00"), grade="良好"
    )
    login(client, world.bureau_admin)
    charts = client.get(reverse("campaigns:overview")).context["overview"].charts
    assert [(g["name"], g["value"]) for g in charts["grades"]] == [
        ("优", 1),
        ("差", 1),
        ("良好", 1),
    ]


def test_an_unexplained_over_completion_is_a_severe_reason_from_the_stored_counts(client, world):
    """The reason is the stored counts (the engine's flags, summary.over_completions), with no
    evaluation's content read: an evaluation whose one over-completion lost its explanation is
    listed as severe, and sorts before one whose over-completion is explained."""
    from jixiao.evaluations.services import save_evaluation_data

    evaluation = Evaluation.objects.get(pk=world.evaluation.pk)
    data = dict(evaluation.data)
    data["targets"] = [
        {**t, "explanation": ""} if t["code"] == "T1" else t for t in data["targets"]
    ]
    save_evaluation_data(
        user=world.editor,
        evaluation_id=evaluation.pk,
        data=data,
        expected_version=evaluation.version,
    )
    evaluation.refresh_from_db()
    assert (evaluation.over_completions, evaluation.over_unexplained) == (1, 1)
    login(client, world.bureau_admin)
    overview = client.get(reverse("campaigns:overview")).context["overview"]
    reasons = {
        item.evaluation.unit: [(r.text, r.severe) for r in item.reasons]
        for item in overview.attention
    }
    assert reasons[world.unit] == [("1 项指标偏离度过大，其中 1 项未说明原因", True)]
    assert reasons[world.other_unit] == [("1 项指标偏离度过大，均已说明原因", False)]
    units = [item.evaluation.unit for item in overview.attention]
    assert units.index(world.unit) < units.index(world.other_unit)


def test_a_large_department_gets_its_stacked_bar_not_one_bar_per_task(client, world, monkeypatch):
    """Above PER_UNIT_BARS tasks the department reviewer's chart stacks by department (one bar
    with every state's count), as the bureau's does: thousands of one-task bars are unreadable."""
    from jixiao.campaigns import selectors

    set_state(world)
    login(client, world.department_reviewer)
    monkeypatch.setattr(selectors, "PER_UNIT_BARS", 1)  # the department has 2 tasks
    chart = client.get(reverse("campaigns:overview")).context["overview"].charts["progress"]
    assert chart["per_unit"] is False
    assert chart["departments"] == ["湛江市人力资源和社会保障局"]
    series = {s["key"]: s["data"] for s in chart["series"]}
    assert (series["published"], series["returned"]) == ([1], [1])
    page = client.get(reverse("campaigns:overview")).content.decode()
    assert "各主管部门报送进度" in page and "各单位报送进度" not in page
    monkeypatch.setattr(selectors, "PER_UNIT_BARS", 2)
    chart = client.get(reverse("campaigns:overview")).context["overview"].charts["progress"]
    assert chart["per_unit"] is True and len(chart["departments"]) == 2
