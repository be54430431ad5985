"""The 指标库 collects every approved target and actual (jixiao.indicators.services)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from jixiao.evaluations.models import Status
from jixiao.indicators import services
from jixiao.indicators.models import Indicator, IndicatorKind, IndicatorUse
from jixiao.indicators.tests.helpers import declaration, target
from jixiao.reviews import workflow
from jixiao.reviews.services import transition
from jixiao.targets.models import AdjustmentStatus, TargetAdjustment
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db


def _uses(unit):  # type: ignore[no-untyped-def]
    return {
        (u.year, u.name, u.measure): (u.target_value, u.actual_value)
        for u in IndicatorUse.objects.filter(unit=unit)
    }


def test_common_indicators_come_from_every_rule_set_and_stay_in_step() -> None:
    count = services.sync_common_indicators()
    common = Indicator.objects.filter(kind=IndicatorKind.COMMON)
    assert common.count() == count == 39
    row = common.get(ruleset_ref="gd-department@2025.1", code="E2")
    assert (row.level1, row.name, row.measure, row.direction) == (
        "预算执行",
        "预算调整率",
        "%",
        "<=",
    )
    assert services.sync_common_indicators() == 39  # idempotent
    assert common.count() == 39


def test_an_approved_declaration_records_its_targets(world) -> None:  # type: ignore[no-untyped-def]
    d = declaration(
        world.unit,
        2026,
        [
            target("T1", "新增取得职业技能等级认定证书", "18,000"),
            target(
                "T2", "服务对象满意度", 90, "％", level1="满意度指标", level2="服务对象满意度指标"
            ),
            target("T3", "  ", 1),  # no name: nothing to record
        ],
    )
    services.record_approved_evaluation(d.pk)
    assert _uses(world.unit) == {
        (2026, "新增取得职业技能等级认定证书", "人次"): (Decimal("18000"), None),
        (2026, "服务对象满意度", "％"): (Decimal("90"), None),
    }
    row = IndicatorUse.objects.get(name="服务对象满意度")
    assert (row.measure_key, row.department_id, row.declaration_id) == (
        "%",
        world.department.pk,
        d.pk,
    )
    entry = row.indicator
    assert (entry.kind, entry.level1, entry.level2, entry.unit_count, entry.use_count) == (
        IndicatorKind.CUSTOM, "满意度指标", "服务对象满意度指标", 1, 1,
    )  # fmt: skip
    # Recording twice writes the same rows.
    services.record_approved_evaluation(d.pk)
    assert IndicatorUse.objects.count() == 2


def test_a_declaration_not_approved_records_nothing(world) -> None:  # type: ignore[no-untyped-def]
    d = declaration(
        world.unit, 2026, [target("T1", "培训人次", 100)], status=Status.DEPARTMENT_APPROVED
    )
    services.record_approved_evaluation(d.pk)
    assert not IndicatorUse.objects.exists()


def test_an_approved_adjustment_replaces_the_declared_targets(world) -> None:  # type: ignore[no-untyped-def]
    d = declaration(
        world.unit, 2026, [target("T1", "培训人次", 100), target("T2", "鉴定场次", 12, "场")]
    )
    services.record_approved_evaluation(d.pk)
    adjustment = TargetAdjustment.objects.create(
        declaration=d,
        number=1,
        status=AdjustmentStatus.APPROVED,
        reason="场地改造",
        data={"scope": "department", "year": 2026, "targets": [target("T1", "培训人次", 80)]},
        base_data=d.data,
        requested_by=world.head,
    )
    services.record_targets(d, adjustment=adjustment)
    assert _uses(world.unit) == {(2026, "培训人次", "人次"): (Decimal("80"), None)}
    assert IndicatorUse.objects.get().adjustment == adjustment
    # The entry nobody uses any more is kept but counts no use (the search hides it).
    assert Indicator.objects.get(name="鉴定场次").use_count == 0
    # Rebuilding from scratch takes the latest approved adjustment too.
    IndicatorUse.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_indicator_library", stdout=out)
    assert "目标申报 1 份" in out.getvalue()
    assert _uses(world.unit) == {(2026, "培训人次", "人次"): (Decimal("80"), None)}


def test_bureau_approval_of_a_self_evaluation_records_its_actuals(
    world,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    # Declared for 2025 first: the year-end evaluation adds the actuals to the declared rows.
    declared = declaration(
        world.unit, 2025,
        [target("T1", "新增取得职业技能等级认定证书", 12000, level2="数量指标")],
    )  # fmt: skip
    services.record_approved_evaluation(declared.pk)
    world.evaluation.status = Status.DEPARTMENT_APPROVED
    world.evaluation.save()
    with django_capture_on_commit_callbacks() as callbacks:
        transition(
            user=world.bureau_reviewer,
            evaluation_id=world.evaluation.pk,
            action=workflow.BUREAU_APPROVE,
        )
    hooks = [
        c for c in callbacks if getattr(c, "__qualname__", "") == "transition.<locals>.<lambda>"
    ]
    assert len(hooks) == 1
    hooks[0]()
    uses = _uses(world.unit)
    # The declared row keeps its declared target and gets the actual.
    assert uses[(2025, "新增取得职业技能等级认定证书", "人次")] == (
        Decimal("12000"),
        Decimal("18969"),
    )
    # Targets only the self-evaluation has are recorded with its own target (none for T0).
    assert uses[(2025, "新增取得高级工及以上职业技能等级认定证书", "人次")] == (
        Decimal("4400"), Decimal("5570"),
    )  # fmt: skip
    assert uses[(2025, "参加职业技能等级认定人次数", "人次")] == (None, Decimal("25478"))
    assert len(uses) == 5
    row = IndicatorUse.objects.get(name="新增取得高级工及以上职业技能等级认定证书")
    assert (row.level1, row.evaluation_id, row.declaration_id) == (
        "产出指标",
        world.evaluation.pk,
        None,
    )
    kept = IndicatorUse.objects.get(name="新增取得职业技能等级认定证书")
    assert kept.level2 == "数量指标" and kept.declaration_id == declared.pk


def test_other_steps_and_returns_record_nothing(
    world,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    world.evaluation.status = Status.DEPARTMENT_APPROVED
    world.evaluation.save()
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            user=world.bureau_reviewer,
            evaluation_id=world.evaluation.pk,
            action=workflow.BUREAU_RETURN,
            comment="请补充佐证",
        )
    assert not IndicatorUse.objects.exists()


def test_project_scopes_are_kept_apart(world) -> None:  # type: ignore[no-untyped-def]
    campaign = f.CampaignFactory.create(year=2026, kind="targets")
    for name, value in (("职业培训项目", 100), ("技能竞赛项目", 40)):
        d = declaration(
            world.unit,
            2026,
            [target("T1", "培训人次", value)],
            campaign=campaign,
            project_name=name,
        )
        services.record_approved_evaluation(d.pk)
    rows = IndicatorUse.objects.order_by("project_name")
    assert [(r.project_name, r.scope_key, r.target_value) for r in rows] == [
        ("技能竞赛项目", "name:技能竞赛项目", Decimal("40")),
        ("职业培训项目", "name:职业培训项目", Decimal("100")),
    ]
    entry = Indicator.objects.get(name="培训人次")
    assert (entry.unit_count, entry.use_count, entry.last_year) == (1, 2, 2026)


def test_an_uploaded_rule_set_adds_its_common_indicators(
    world,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from jixiao.campaigns.services import store_ruleset_sheet
    from jixiao.campaigns.tests.test_ruleset_pages import sheet_with

    services.sync_common_indicators()
    with django_capture_on_commit_callbacks(execute=True):
        upload = store_ruleset_sheet(user=world.bureau_admin, data=sheet_with(), filename="表.xlsx")
    assert upload.stored is not None
    added = Indicator.objects.filter(kind=IndicatorKind.COMMON, ruleset_ref="gd-department@2026.1")
    assert added.count() == 11
    assert Indicator.objects.filter(kind=IndicatorKind.COMMON).count() == 50


def test_the_approval_hook_never_raises(world, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    def broken(evaluation_id: int) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "record_approved_evaluation", broken)
    services.after_approval(world.evaluation.pk)  # logged, not raised
    assert "rebuild_indicator_library" in caplog.text
