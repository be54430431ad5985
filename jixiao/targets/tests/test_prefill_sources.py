"""What new declarations and monitoring reports start from, read once for a batch of units
(targets.declarations.DeclarationSources, monitoring.services.PrefillSources): the same as one
report at a time, for every unit of the batch, and nothing borrowed from another task."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jixiao.campaigns.services import create_campaign
from jixiao.evaluations.models import Evaluation, Status
from jixiao.monitoring import services as monitoring
from jixiao.projects.models import BudgetLine, Project
from jixiao.targets.declarations import prefill_declaration
from jixiao.targets.models import AdjustmentStatus, TargetAdjustment
from jixiao.targets.selectors import targets_in_force
from jixiao.testing.factories import CampaignFactory, EvaluationFactory
from scoring.monitoring import Thresholds

pytestmark = pytest.mark.django_db


def target(name: str, value: str) -> dict[str, str]:
    return {"code": name, "level1": "产出指标", "level2": "数量指标", "name": name,
            "direction": ">=", "value": value, "unit": "人"}  # fmt: skip


def declared(world, *, year, unit, project, goal, targets, adjusted=None):
    """An approved declaration of ``year`` (and an approved adjustment when ``adjusted``)."""
    campaign = CampaignFactory.create(
        bureau=world.bureau, year=year, kind="targets", ruleset_ref="", notice_number=f"{year}"
    )
    declaration = EvaluationFactory.create(
        campaign=campaign,
        unit=unit,
        project=project,
        project_name=project.name if project else "",
        status=Status.APPROVED,
        ruleset_ref="",
        data={"kind": "targets", "overall_goal": goal, "targets": targets},
    )
    if adjusted is not None:
        TargetAdjustment.objects.create(
            declaration=declaration,
            number=1,
            status=AdjustmentStatus.APPROVED,
            reason="调整",
            data={"kind": "targets", "overall_goal": goal, "targets": adjusted},
            requested_by=world.bureau_admin,
        )
    return declaration


@pytest.fixture
def registers(world):
    """2025: world.unit's 部门整体 and P001 declared (P001 adjusted), other_unit's 部门整体 declared;
    2026: P001 again and P009, new; budget lines of 2026."""
    old = Project.objects.create(unit=world.unit, year=2025, code="P001", name="鉴定补贴")
    declared(world, year=2025, unit=world.unit, project=None, goal="部门目标",
             targets=[target("部门", "1")])  # fmt: skip
    declared(world, year=2025, unit=world.unit, project=old, goal="项目目标",
             targets=[target("项目", "2")], adjusted=[target("项目", "3")])  # fmt: skip
    declared(world, year=2025, unit=world.other_unit, project=None, goal="另一单位",
             targets=[target("另一单位", "4")])  # fmt: skip
    again = Project.objects.create(
        unit=world.unit, year=2026, code="P001", name="鉴定补贴", initial_total=Decimal("250")
    )
    new = Project.objects.create(unit=world.unit, year=2026, code="P009", name="新设项目")
    for source, initial in (("财政拨款", "30.00"), ("其他资金", "5.50")):
        BudgetLine.objects.create(unit=world.unit, year=2026, source=source, initial=initial,
                                  adjusted=initial, executed="1.00")  # fmt: skip
    BudgetLine.objects.create(unit=world.unit, year=2026, project=again, source="财政拨款",
                              initial="250", adjusted="260", executed="100")  # fmt: skip
    return again, new


def test_declarations_start_from_their_own_last_year_and_a_new_project_from_nothing(
    world, registers
):
    again, new = registers
    campaign, tasks = create_campaign(
        user=world.bureau_admin,
        values={"year": 2026, "title": "申报", "notice_title": "通知", "notice_number": "2026-1",
                "kind": "targets", "ruleset_ref": "", "deadline": dt.datetime.now(dt.UTC)
                + dt.timedelta(days=20)},
        units=[world.unit, world.other_unit],
    )  # fmt: skip
    by = {(t.unit_id, t.project_id): t.data for t in tasks}
    assert len(by) == 4
    own = by[(world.unit.pk, None)]
    assert (own["overall_goal"], own["targets"], own["amount"]) == (
        "部门目标",
        [target("部门", "1")],
        "35.50",
    )
    project = by[(world.unit.pk, again.pk)]
    # The adjustment in force, not the declaration as first approved.
    assert (project["overall_goal"], project["targets"], project["amount"]) == (
        "项目目标",
        [target("项目", "3")],
        "250.00",
    )
    fresh = by[(world.unit.pk, new.pk)]
    assert (fresh["overall_goal"], fresh["targets"], fresh["amount"]) == ("", [], None)
    other = by[(world.other_unit.pk, None)]
    assert (other["overall_goal"], other["amount"]) == ("另一单位", None)
    # One at a time, each reads the same.
    for (unit_id, project_id), data in by.items():
        unit = world.unit if unit_id == world.unit.pk else world.other_unit
        project = None if project_id is None else Project.objects.filter(pk=project_id).first()
        one = prefill_declaration(campaign=campaign, unit=unit, project=project)
        assert one == data


def test_monitoring_reports_start_from_their_own_budget_and_targets_in_force(world, registers):
    again, new = registers
    in_force = declared(world, year=2026, unit=world.unit, project=again, goal="x",
                        targets=[target("今年", "5")], adjusted=[target("今年", "6")])  # fmt: skip
    found = targets_in_force(unit_id=world.unit.pk, year=2026, project_id=again.pk)
    assert found is not None and found.declaration == in_force
    campaign = CampaignFactory.create(
        bureau=world.bureau, year=2026, kind="monitoring", ruleset_ref="", notice_number="m"
    )
    tasks = monitoring.open_round(
        user=world.bureau_admin,
        campaign=campaign,
        as_of=dt.date(2026, 7, 31),
        thresholds=Thresholds(),
        units=[world.unit, world.other_unit],
    )
    by = {(t.unit_id, t.project_id): t.data for t in tasks}
    assert len(by) == 4
    project = by[(world.unit.pk, again.pk)]
    assert project["budget"] == [{"source": "财政拨款", "adjusted": "260.00", "executed": "100.00"}]
    assert [t["name"] for t in project["targets"]] == ["今年"]
    assert [t["value"] for t in project["targets"]] == ["6"]
    own = by[(world.unit.pk, None)]
    assert [line["source"] for line in own["budget"]] == ["其他资金", "财政拨款"]
    assert own["targets"] == []  # nothing approved for 2026's 部门整体
    assert by[(world.unit.pk, new.pk)]["targets"] == []
    for (unit_id, project_id), data in by.items():
        unit = world.unit if unit_id == world.unit.pk else world.other_unit
        project_row = None if project_id is None else Project.objects.filter(pk=project_id).first()
        assert monitoring.prefill(campaign=campaign, unit=unit, project=project_row) == data
    assert Evaluation.objects.filter(campaign=campaign).count() == 4


def test_a_unit_listed_twice_or_declared_again_gets_each_declaration_once(world, registers):
    from jixiao.targets.declarations import create_declaration_tasks

    campaign = CampaignFactory.create(
        bureau=world.bureau, year=2026, kind="targets", ruleset_ref="", notice_number="t"
    )
    made = create_declaration_tasks(
        user=world.bureau_admin, campaign=campaign, units=[world.unit, world.unit]
    )
    assert sorted((t.project.code if t.project else "") for t in made) == ["", "P001", "P009"]
    again = create_declaration_tasks(user=world.bureau_admin, campaign=campaign, units=[world.unit])
    assert again == [] and Evaluation.objects.filter(campaign=campaign).count() == 3
