"""A project campaign drawn from the 项目库: one evaluation per project in scope, prefilled from the
register; campaigns without a scope keep one task per unit."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from jixiao.campaigns import services as campaign_services
from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation
from jixiao.projects.selectors import CampaignScope
from jixiao.projects.services import LineValues
from jixiao.projects.tests.test_register import make_project
from jixiao.testing.factories import UnitFactory
from tests.test_access_matrix import fingerprint

D = Decimal
RULESET = "national-project@2020.1"


def values(**overrides):
    from jixiao.campaigns.tests.test_campaign_pages import campaign_values

    return campaign_values(
        **{
            "kind": "project",
            "ruleset_ref": RULESET,
            "title": "2026年度项目支出绩效自评",
            "project_source": "register",
            "project_year": "2026",
        }
        | overrides
    )


def register(world):
    """The seed unit has 15 projects of 2026 (P00 … P14, 10 万元 × n), another unit one, a unit of
    another department two; one 2025 project is out of the year."""
    for n in range(15):
        make_project(
            world,
            code=f"P{n:02d}",
            lines=[LineValues("当年财政拨款", D(10 * n), D(10 * n + 1), D(5 * n))],
        )
    make_project(world, unit=world.other_unit, code="O1")
    make_project(world, unit=world.foreign_unit, code="F1")
    make_project(world, unit=world.foreign_unit, code="F2")
    make_project(world, code="OLD", year=2025)


def test_a_unit_with_15_projects_gets_15_evaluations(world, client: Client):
    register(world)
    client.force_login(world.bureau_admin)
    response = client.post(reverse("campaigns:create"), values())
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get(title="2026年度项目支出绩效自评")
    assert (campaign.project_scope or {})["year"] == 2026
    tasks = Evaluation.objects.filter(campaign=campaign)
    assert tasks.filter(unit=world.unit).count() == 15
    assert tasks.count() == 15 + 1 + 2
    assert not tasks.filter(project__code="OLD").exists()
    task = tasks.get(project__code="P03")
    assert task.project_name == "项目P03"
    assert task.data["project"] == {"name": "项目P03", "implementing_unit": world.unit.name}
    assert task.data["budget"]["rows"] == [
        {"source": "当年财政拨款", "initial": "30.00", "full_year": "31.00", "executed": "15.00"}
    ]
    assert task.data["kind"] == "project" and task.data["year"] == 2026
    page = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "项目范围：2026 年度项目库" in page


def test_scope_by_department_threshold_category_and_codes(world):
    register(world)
    make_project(world, unit=world.foreign_unit, code="F3").__class__.objects.filter(
        code="F3"
    ).update(category="基本建设")

    def create(scope: CampaignScope, units=None, **kwargs):
        _campaign, tasks = campaign_services.create_campaign(
            user=world.bureau_reviewer,
            values={
                "year": 2026,
                "title": f"项目 {scope}",
                "notice_title": "通知",
                "notice_number": "湛财绩〔2027〕1号",
                "kind": "project",
                "ruleset_ref": RULESET,
                "deadline": world.campaign.deadline,
            },
            units=units or [world.unit, world.other_unit, world.foreign_unit],
            project_scope=scope,
        )
        return sorted(t.project.code for t in tasks if t.project)

    assert create(CampaignScope(year=2026, departments=(world.other_department.pk,))) == [
        "F1",
        "F2",
        "F3",
    ]
    # 全年预算 (调整后) at least 121 万元: P12 (121), P13, P14; the others' 140 too.
    assert create(CampaignScope(year=2026, min_amount=D("121"))) == [
        "F1", "F2", "F3", "O1", "P12", "P13", "P14",
    ]  # fmt: skip
    assert create(CampaignScope(year=2026, category="基本建设")) == ["F3"]
    assert create(CampaignScope(year=2026, codes=("P01", "F2", "NOPE"))) == ["F2", "P01"]
    # The unit scope of the form still applies.
    assert create(CampaignScope(year=2026, codes=("P01", "F2")), units=[world.unit]) == ["P01"]


def test_an_empty_scope_is_refused_and_writes_nothing(world):
    register(world)
    before = fingerprint()
    try:
        campaign_services.create_campaign(
            user=world.bureau_admin,
            values={
                "year": 2026,
                "title": "空",
                "notice_title": "通知",
                "notice_number": "号",
                "kind": "project",
                "ruleset_ref": RULESET,
                "deadline": world.campaign.deadline,
            },
            units=[world.unit],
            project_scope=CampaignScope(year=2030),
        )
    except campaign_services.CampaignRefused as exc:
        assert "没有符合所选范围的项目" in str(exc)
    else:
        raise AssertionError("an empty scope was accepted")
    assert fingerprint() == before


def test_two_projects_of_one_unit_with_the_same_name_get_distinct_tasks(world):
    first = make_project(world, code="A")
    second = make_project(world, code="B")
    second.name = first.name
    second.save()
    _campaign, tasks = campaign_services.create_campaign(
        user=world.bureau_admin,
        values={
            "year": 2026, "title": "同名", "notice_title": "通知", "notice_number": "号",
            "kind": "project", "ruleset_ref": RULESET, "deadline": world.campaign.deadline,
        },
        units=[world.unit],
        project_scope=CampaignScope(year=2026),
    )  # fmt: skip
    assert sorted(t.project_name for t in tasks) == ["项目A", "项目A（B）"]


def test_adding_a_unit_to_a_scoped_campaign_adds_its_projects(world):
    register(world)
    late = UnitFactory.create(parent=world.department)
    campaign, tasks = campaign_services.create_campaign(
        user=world.bureau_admin,
        values={
            "year": 2026, "title": "追加", "notice_title": "通知", "notice_number": "号",
            "kind": "project", "ruleset_ref": RULESET, "deadline": world.campaign.deadline,
        },
        units=[world.other_unit],
        project_scope=CampaignScope(year=2026),
    )  # fmt: skip
    assert [t.project.code for t in tasks if t.project] == ["O1"]
    make_project(world, unit=late, code="L1")
    make_project(world, unit=late, code="L2")
    added = campaign_services.add_units(user=world.bureau_admin, campaign=campaign, units=[late])
    assert sorted(t.project.code for t in added if t.project) == ["L1", "L2"]


def test_a_campaign_without_a_scope_keeps_one_task_per_unit(world, client: Client):
    register(world)
    client.force_login(world.bureau_admin)
    response = client.post(
        reverse("campaigns:create"),
        values(
            project_source="name", project_name="统一项目", scope="units", units=[world.unit.pk]
        ),
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(title="2026年度项目支出绩效自评")
    assert campaign.project_scope is None
    tasks = list(Evaluation.objects.filter(campaign=campaign))
    assert [(t.unit, t.project, t.project_name) for t in tasks] == [(world.unit, None, "统一项目")]
    # A department campaign cannot be drawn from the register.
    response = client.post(
        reverse("campaigns:create"),
        values(kind="department", ruleset_ref="gd-department@2025.1", title="部门"),
    )
    assert response.status_code == 200
    assert "只有项目支出绩效自评和绩效目标申报可以按项目库下达" in response.content.decode()
