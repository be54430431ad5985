"""The overview's counters (evaluations.counters): kept by triggers, equal to the direct aggregate
after any sequence of writes, rebuilt by ``manage.py rebuild_counters``, and the overview read from
them equal to the overview aggregated from every evaluation."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.campaigns.selectors import campaign_overview, year_comparison
from jixiao.evaluations import counters
from jixiao.evaluations.models import DepartmentCounter, Evaluation, ReturnedTwice, Status
from jixiao.evaluations.selectors import counted_matches, status_counts
from jixiao.organisations.models import Role
from jixiao.organisations.selectors import unit_fk_scope_q
from jixiao.reviews.models import Transition
from jixiao.testing import factories as f

STATUSES = [s.value for s in Status]
GRADES = ["优", "良", "中", "差", "", "合格"]
TOTALS = [None, Decimal("0.00"), Decimal("59.99"), Decimal("60.00"), Decimal("79.50"),
          Decimal("89.99"), Decimal("90.00"), Decimal("100.00")]  # fmt: skip


def _overview_figures(overview: object) -> tuple[object, ...]:
    return (
        overview.kpis,  # type: ignore[attr-defined]
        overview.charts,  # type: ignore[attr-defined]
        overview.attention_total,  # type: ignore[attr-defined]
        [dataclasses.asdict(line) for line in overview.departments],  # type: ignore[attr-defined]
        [(i.evaluation.pk, [r.text for r in i.reasons]) for i in overview.attention],  # type: ignore[attr-defined]
    )


def _walk(user: Any, group: list[Any], source: str) -> list[tuple[int, list[str]]]:
    """Every page of the needs-attention list, three rows a page, following the cursors."""
    seen: list[tuple[int, list[str]]] = []
    cursor = None
    for _ in range(200):
        overview = campaign_overview(
            user=user, campaigns=group, cursor=cursor, size=3, source=source
        )
        seen += [(i.evaluation.pk, [r.text for r in i.reasons]) for i in overview.attention]
        page = overview.attention_page
        cursor = page.next_cursor if page is not None else None
        if cursor is None:
            return seen
    raise AssertionError("the attention list did not end")


def assert_overviews_agree(users: list[Any], campaigns: list[Any]) -> None:
    """The counter-based overview and year comparison equal the direct aggregates, and the
    needs-attention list read in streams equals the one sorted whole, page after page."""
    groups = [[c] for c in campaigns] + ([campaigns] if len(campaigns) > 1 else [])
    for user in users:
        for group in groups:
            counted = campaign_overview(user=user, campaigns=group)
            direct = campaign_overview(user=user, campaigns=group, source="direct")
            assert _overview_figures(counted) == _overview_figures(direct), (user, group)
            walked = _walk(user, group, "counters")
            assert walked == _walk(user, group, "direct"), (user, group)
            assert len(walked) == counted.attention_total
            assert len({pk for pk, _r in walked}) == len(walked)
        assert year_comparison(user=user) == year_comparison(user=user, source="direct")
        assert status_counts(user=user) == status_counts(user=user, source="direct"), user
        # The lists' first-page count (绩效自评列表, /api/evaluations) from the counters.
        for year in (None, 2025):
            for state in ("", "draft", "submitted", "department_approved"):
                visible = Evaluation.objects.filter(unit_fk_scope_q(user, "unit"))
                if year is not None:
                    visible = visible.filter(campaign_year=year)
                if state:
                    visible = visible.filter(status=state)
                number = counted_matches(user=user, year=year, status=state)
                assert number == visible.count(), (user, year, state)
                for campaign in campaigns:
                    assert (
                        counted_matches(user=user, year=year, status=state, campaign_id=campaign.pk)
                        == visible.filter(campaign=campaign).count()
                    ), (user, year, state, campaign)


# ---------------------------------------------------------------- random sequences of writes

OPS = st.one_of(
    st.tuples(st.just("create"), st.integers(0, 5), st.integers(0, 1), st.integers(0, 2)),
    st.tuples(st.just("status"), st.integers(0, 99), st.sampled_from(STATUSES)),
    st.tuples(st.just("score"), st.integers(0, 99), st.sampled_from(TOTALS), st.sampled_from(GRADES)),
    st.tuples(st.just("first_save"), st.integers(0, 99), st.booleans()),
    st.tuples(st.just("over"), st.integers(0, 99), st.integers(0, 3), st.integers(0, 3)),
    st.tuples(st.just("extend"), st.integers(0, 99), st.sampled_from([None, -5, 5])),
    st.tuples(st.just("return"), st.integers(0, 99), st.sampled_from(["department_return", "bureau_return", "submit"])),
    st.tuples(st.just("unreturn"), st.integers(0, 99)),
    st.tuples(st.just("return_many"), st.integers(0, 99), st.integers(2, 3)),
    st.tuples(st.just("unreturn_all"), st.integers(0, 99)),
    st.tuples(st.just("retarget"), st.integers(0, 99), st.integers(0, 99)),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("move_unit"), st.integers(0, 5), st.integers(0, 2)),
    st.tuples(st.just("bulk"), st.sampled_from(STATUSES)),
    st.tuples(st.just("text"), st.integers(0, 99)),
)  # fmt: skip


def _pick(items: list, index: int):  # type: ignore[no-untyped-def]
    return items[index % len(items)] if items else None


def _apply(op: tuple, world: dict) -> None:  # type: ignore[type-arg]
    """One write, through the ORM paths the application uses (save, QuerySet.update,
    bulk_update, create, delete)."""
    kind = op[0]
    evaluations = list(Evaluation.objects.order_by("pk"))
    e = _pick(evaluations, op[1]) if kind not in ("create", "bulk", "move_unit") else None
    if kind == "create":
        unit, campaign = world["units"][op[1]], world["campaigns"][op[2]]
        name = f"项目{op[3]}"
        if not Evaluation.objects.filter(campaign=campaign, unit=unit, project_name=name).exists():
            f.EvaluationFactory.create(campaign=campaign, unit=unit, project_name=name)
    elif e is None:
        return
    elif kind == "status":
        e.status = op[2]
        e.save()
    elif kind == "score":
        Evaluation.objects.filter(pk=e.pk).update(total=op[2], grade=op[3])
    elif kind == "first_save":
        e.first_saved_at = timezone.now() if op[2] else None
        e.save(update_fields=["first_saved_at"])
    elif kind == "over":
        e.over_completions, e.over_unexplained = op[2], min(op[2], op[3])
        Evaluation.objects.bulk_update([e], ["over_completions", "over_unexplained"])
    elif kind == "extend":
        when = None if op[2] is None else timezone.now() + dt.timedelta(days=op[2])
        Evaluation.objects.filter(pk=e.pk).update(deadline_override=when)
    elif kind == "return":
        Transition.objects.create(
            evaluation=e, action=op[2], from_status="submitted", to_status="returned",
            actor=world["actor"],
        )  # fmt: skip
    elif kind == "unreturn":
        t = Transition.objects.filter(evaluation=e).order_by("pk").first()
        if t is not None:
            t.delete()
    elif kind == "return_many":  # several rows in one statement
        Transition.objects.bulk_create(
            [
                Transition(evaluation=e, action="department_return", from_status="submitted",
                           to_status="returned", actor=world["actor"])
                for _ in range(op[2])
            ]
        )  # fmt: skip
    elif kind == "unreturn_all":  # one DELETE statement for every row
        Transition.objects.filter(evaluation=e).delete()
    elif kind == "retarget":
        t = Transition.objects.order_by("pk").first()
        other = _pick(evaluations, op[2])
        if t is not None:
            Transition.objects.filter(pk=t.pk).update(evaluation=other)
    elif kind == "delete":
        e.transitions.all().delete()
        e.delete()
    elif kind == "move_unit":
        unit = world["units"][op[1]]
        unit.parent = world["departments"][op[2]]
        unit.save()
    elif kind == "bulk":
        Evaluation.objects.filter(pk__in=[x.pk for x in evaluations[::2]]).update(status=op[1])
    elif kind == "text":  # a save that changes no counted input
        e.data = {**e.data, "note": "改"}
        e.save()


@pytest.fixture
def city(db: None) -> dict:  # type: ignore[type-arg]
    bureau = f.BureauFactory.create()
    departments = [f.DepartmentFactory.create(parent=bureau) for _ in range(3)]
    units = [f.UnitFactory.create(parent=departments[i % 2]) for i in range(6)]
    past = timezone.now() - dt.timedelta(days=1)
    future = timezone.now() + dt.timedelta(days=1)
    campaigns = [
        f.CampaignFactory.create(bureau=bureau, year=2025, deadline=past),
        f.CampaignFactory.create(bureau=bureau, year=2024, deadline=future),
    ]
    actor = f.UserFactory.create(username="b", role=Role.BUREAU_REVIEWER, organisation=bureau)
    reviewers = [
        f.UserFactory.create(username=f"d{i}", role=Role.DEPARTMENT_REVIEWER, organisation=d)
        for i, d in enumerate(departments)
    ]
    return {
        "bureau": bureau,
        "departments": departments,
        "units": units,
        "campaigns": campaigns,
        "actor": actor,
        "users": [actor, *reviewers],
    }


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=st.lists(OPS, min_size=1, max_size=14))
def test_counters_equal_the_direct_aggregate_after_every_write(city, ops) -> None:  # type: ignore[no-untyped-def]
    with transaction.atomic():
        for op in ops:
            _apply(op, city)
            assert counters.drift() == [], op
        assert_overviews_agree(city["users"], city["campaigns"])
        transaction.set_rollback(True)


def test_drift_is_reported_and_rebuild_repairs_it(city) -> None:  # type: ignore[no-untyped-def]
    for i, unit in enumerate(city["units"]):
        f.EvaluationFactory.create(campaign=city["campaigns"][i % 2], unit=unit)
    assert counters.drift() == []
    row = DepartmentCounter.objects.filter(tasks__gt=0).first()
    assert row is not None
    DepartmentCounter.objects.filter(pk=row.pk).update(tasks=row.tasks + 7, pending=99)
    problems = counters.drift()
    assert len(problems) == 1
    assert f"tasks {row.tasks + 7}≠{row.tasks}" in problems[0]
    with pytest.raises(CommandError):
        call_command("rebuild_counters", "--check", stdout=StringIO())
    out = StringIO()
    call_command("rebuild_counters", stdout=out)
    assert counters.drift() == []
    assert "2" in out.getvalue()  # two campaign × department rows with tasks
    call_command("rebuild_counters", "--check", stdout=StringIO())


def test_the_returned_twice_table_follows_the_returns_and_is_rebuilt(city) -> None:  # type: ignore[no-untyped-def]
    once, twice = (
        f.EvaluationFactory.create(campaign=city["campaigns"][0], unit=unit)
        for unit in city["units"][:2]
    )

    def sent_back(e: Evaluation) -> Transition:
        return Transition.objects.create(
            evaluation=e, action="bureau_return", from_status="submitted", to_status="returned",
            actor=city["actor"],
        )  # fmt: skip

    sent_back(once)
    first = sent_back(twice)
    assert not ReturnedTwice.objects.exists()
    sent_back(twice)
    assert list(ReturnedTwice.objects.values_list("evaluation_id", flat=True)) == [twice.pk]
    first.delete()  # one return left: no longer twice
    assert not ReturnedTwice.objects.exists()
    sent_back(twice)
    ReturnedTwice.objects.all().delete()  # as a restore without triggers would leave it
    ReturnedTwice.objects.create(evaluation=once)
    problems = counters.drift()
    assert problems == [
        f"returned twice, not in {ReturnedTwice._meta.db_table}: {twice.pk}",
        f"in {ReturnedTwice._meta.db_table}, not returned twice: {once.pk}",
    ]
    call_command("rebuild_counters", stdout=StringIO())
    assert counters.drift() == []
    assert list(ReturnedTwice.objects.values_list("evaluation_id", flat=True)) == [twice.pk]


def test_counters_hold_the_figures_of_each_department(city) -> None:  # type: ignore[no-untyped-def]
    campaign = city["campaigns"][0]
    dept_a, dept_b = city["departments"][:2]
    a1, b1, a2 = city["units"][0], city["units"][1], city["units"][2]
    # The factory scores its content on creation; the figures under test are set afterwards.
    published = f.EvaluationFactory.create(campaign=campaign, unit=a1)
    Evaluation.objects.filter(pk=published.pk).update(status=Status.PUBLISHED, total=Decimal("95.00"), grade="优", over_completions=0)  # fmt: skip
    e = f.EvaluationFactory.create(campaign=campaign, unit=a2)
    Evaluation.objects.filter(pk=e.pk).update(
        status=Status.RETURNED, total=None, grade="", over_completions=0
    )
    low = f.EvaluationFactory.create(campaign=campaign, unit=b1)
    Evaluation.objects.filter(pk=low.pk).update(status=Status.SUBMITTED, total=Decimal("55.50"), grade="差", over_completions=0)  # fmt: skip
    for _ in range(2):
        Transition.objects.create(evaluation=e, action="bureau_return", from_status="approved", to_status="returned", actor=city["actor"])  # fmt: skip
    a = DepartmentCounter.objects.get(campaign=campaign, department_id=dept_a.pk)
    b = DepartmentCounter.objects.get(campaign=campaign, department_id=dept_b.pk)
    assert (a.tasks, a.published, a.returned, a.scored, a.score_sum, a.grade_excellent) == (
        2, 1, 1, 1, Decimal("95.00"), 1,
    )  # fmt: skip
    assert (a.returned_twice, a.attention_fixed, a.pending, a.pending_calm) == (1, 1, 1, 0)
    assert (a.approved_scored, a.approved_score_sum, a.score_90_100) == (1, Decimal("95.00"), 1)
    assert (b.tasks, b.submitted, b.score_below_60, b.grade_poor, b.attention_fixed) == (
        1,
        1,
        1,
        1,
        1,
    )
    assert (b.approved_scored, b.pending) == (0, 0)


def test_an_autosave_of_text_does_not_write_the_counter_row(city) -> None:  # type: ignore[no-untyped-def]
    """The update trigger's WHEN: a draft's text saved again leaves the department's row alone
    (no write, so no lock shared by every unit of the department)."""
    e = f.EvaluationFactory.create(campaign=city["campaigns"][0], unit=city["units"][0])
    row = DepartmentCounter.objects.get(campaign=e.campaign, department_id=e.unit.parent_id or 0)
    # A marker that any write by the trigger would keep but a rebuild would not.
    DepartmentCounter.objects.filter(pk=row.pk).update(tasks=1000)
    e.data = {**e.data, "note": "只改文字"}
    e.version += 1
    e.save()
    assert DepartmentCounter.objects.get(pk=row.pk).tasks == 1000
    e.status = Status.SUBMITTED
    e.save()
    assert DepartmentCounter.objects.get(pk=row.pk).tasks == 1000  # moved between states only
    assert DepartmentCounter.objects.get(pk=row.pk).submitted == 1


def test_overdue_follows_the_clock_not_the_counters(city) -> None:  # type: ignore[no-untyped-def]
    """Overdue is read at request time: a deadline that passes, or an extension, changes it
    without any write to the evaluations."""
    past, future = city["campaigns"]
    bureau_user = city["actor"]
    f.EvaluationFactory.create(campaign=future, unit=city["units"][0])
    late = f.EvaluationFactory.create(campaign=future, unit=city["units"][1])
    Evaluation.objects.update(over_completions=0, over_unexplained=0)  # the seed's over-completion
    assert campaign_overview(user=bureau_user, campaigns=[future]).kpis["overdue"] == 0
    Evaluation.objects.filter(pk=late.pk).update(
        deadline_override=timezone.now() - dt.timedelta(minutes=1)
    )
    overview = campaign_overview(user=bureau_user, campaigns=[future])
    assert (overview.kpis["overdue"], overview.attention_total) == (1, 1)
    type(future).objects.filter(pk=future.pk).update(
        deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    future.refresh_from_db()
    overview = campaign_overview(user=bureau_user, campaigns=[future])
    assert (overview.kpis["overdue"], overview.attention_total) == (2, 2)
    assert_overviews_agree(city["users"], [past, future])


def test_department_reviewer_sees_only_their_units_from_the_counters(city) -> None:  # type: ignore[no-untyped-def]
    campaign = city["campaigns"][0]
    for unit in city["units"]:
        e = f.EvaluationFactory.create(campaign=campaign, unit=unit)
        Evaluation.objects.filter(pk=e.pk).update(status=Status.SUBMITTED)
    reviewer = city["users"][1]  # of departments[0]: units 0, 2, 4
    overview = campaign_overview(user=reviewer, campaigns=[campaign])
    assert overview.kpis["total"] == 3
    assert [line.name for line in overview.departments] == [city["departments"][0].name]
    assert year_comparison(user=reviewer)[0].tasks == 3
    empty = city["users"][3]  # departments[2] has no units
    assert campaign_overview(user=empty, campaigns=[campaign]).kpis["total"] == 0


def test_a_generated_city_reads_the_same_from_counters_and_direct(city) -> None:  # type: ignore[no-untyped-def]
    import random

    rng = random.Random(14)
    now = timezone.now()
    rows = []
    for campaign in city["campaigns"]:
        for unit in city["units"]:
            for p in range(4):
                status = rng.choice(STATUSES)
                total = rng.choice(TOTALS)
                rows.append(
                    Evaluation(
                        campaign=campaign, campaign_year=campaign.year,  # as pre_save fills it
                        unit=unit, project_name=f"项目{p}", status=status,
                        total=total, grade=rng.choice(GRADES) if total is not None else "",
                        ruleset_ref="2025-项目支出", over_completions=rng.choice([0, 0, 1, 2]),
                        deadline_override=rng.choice([None, None, now - dt.timedelta(hours=1), now + dt.timedelta(hours=1)]),
                        first_saved_at=rng.choice([None, now]),
                    )
                )  # fmt: skip
    Evaluation.objects.bulk_create(rows)
    for e in rng.sample(list(Evaluation.objects.all()), 12):
        for _ in range(rng.choice([1, 2, 3])):
            Transition.objects.create(evaluation=e, action="department_return", from_status="submitted", to_status="returned", actor=city["actor"])  # fmt: skip
    assert counters.drift() == []
    assert_overviews_agree(city["users"], city["campaigns"])
