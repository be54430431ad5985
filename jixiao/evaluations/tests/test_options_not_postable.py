"""The entry form and rule-set options (docs/rulesets.md「评分选项」): whatever is posted, the
options are the campaign's rule-set's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.campaigns.tests.test_options_not_postable import POSTED_OPTIONS
from jixiao.evaluations.tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_an_entry_form_posting_not_applicable_under_a_refusing_rule_set_is_ignored(
    world, form_of
) -> None:
    """The 不适用 box exists only under a rule-set that drops indicators; posted without it, the
    mark is not stored and the score is the same."""
    client = client_for(world.editor)
    url = reverse("evaluations:edit", args=[world.evaluation.pk, "targets"])
    data = form_of(client, url)
    data["targets-0-not_applicable"] = "on"
    data.update(POSTED_OPTIONS)
    total = world.evaluation.total
    assert client.post(url, data, follow=True).status_code == 200
    world.evaluation.refresh_from_db()
    assert not any(t.get("not_applicable") for t in world.evaluation.data["targets"])
    assert not set(POSTED_OPTIONS) & set(world.evaluation.data)
    assert world.evaluation.total == total


def _stored_options_ruleset(world):
    """The seed's campaign on gd-department with linear reverse scoring, 成本指标 capped at 4
    points and 优 from 99 (docs/rulesets.md「评分选项」), stored as a bureau's upload is."""
    from decimal import Decimal

    from jixiao.campaigns.models import StoredRuleSet
    from scoring.loading import find_ruleset
    from scoring.ruleset import CategoryCap, Grade, ReverseScoring, ScoringOptions
    from scoring.ruleset_sheet import ruleset_to_yaml

    base = find_ruleset("gd-department")
    ruleset = base.model_copy(
        update={
            "version": "opts",
            "options": ScoringOptions(
                reverse=ReverseScoring.LINEAR,
                category_caps=(CategoryCap(category="成本指标", max_points=Decimal(4)),),
            ),
            "grades": (
                Grade(code="excellent", label="优", name="优秀", min_score=Decimal(99)),
                *base.grades[1:],
            ),
        }
    )
    StoredRuleSet.objects.create(ref=ruleset.ref, name=ruleset.name, yaml=ruleset_to_yaml(ruleset))
    campaign = world.evaluation.campaign
    campaign.ruleset_ref = ruleset.ref
    campaign.save()
    e = world.evaluation
    e.data = {**e.data, "ruleset": ruleset.ref}
    e.save()
    return e


def test_linear_reverse_category_cap_and_grades_through_the_entry_form(world, form_of) -> None:
    from decimal import Decimal

    from jixiao.evaluations.scoring_bridge import score_data

    e = _stored_options_ruleset(world)
    client = client_for(world.editor)
    url = reverse("evaluations:edit", args=[e.pk, "targets"])
    data = form_of(client, url)
    row = [data[f"targets-{i}-code"] for i in range(5)].index("T3")
    # T3 (5 points) as a cost target: ≤ 300, actual 354; in 成本指标, over the cap of 4
    data[f"targets-{row}-direction"] = "<="
    data[f"targets-{row}-target"] = "300"
    data[f"targets-{row}-category"] = "成本指标"
    data[f"targets-{row}-explanation"] = "物价上涨，成本超出。"
    assert client.post(url, data, follow=True).status_code == 200
    e.refresh_from_db()
    scored = score_data(e.data)
    assert "「成本指标」类绩效目标分值合计 5，超过规则集规定的上限 4" in [
        str(p) for p in scored.problems
    ]
    assert scored.result is not None
    t3 = next(i for i in scored.result.indicators if i.code == "T3")
    assert t3.score == 0  # over the cap: not scored

    data = form_of(client, url)
    data[f"targets-{row}-category"] = "质量指标"
    assert client.post(url, data, follow=True).status_code == 200
    e.refresh_from_db()
    scored = score_data(e.data)
    assert scored.problems == ()
    assert scored.result is not None
    t3 = next(i for i in scored.result.indicators if i.code == "T3")
    # linear: 5 × (1 − 54/300) = 4.10 (the ratio rule would give 5 × 300/354 = 4.24)
    assert t3.score == Decimal("4.10")
    # the seed's 98 less 0.90: 97.10, 良 under this rule-set's 优 ≥ 99
    assert (e.total, e.grade) == (Decimal("97.10"), "良")
    page = client.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    assert "97.1" in page and "良" in page


def test_a_dropped_indicator_reads_not_applicable_on_the_pages(world) -> None:
    """Detail table and live score panel: 不适用 in the 得分 cell, not a 0.00 that reads as a miss;
    the other rows carry their rescaled points."""
    from jixiao.evaluations.tests.test_below_points_checklist import _rescaling

    e, _ = _rescaling(world)
    data = dict(e.data)
    data["targets"] = [
        {**t, "not_applicable": True} if t["code"] == "T3" else t for t in data["targets"]
    ]
    e.data = data
    e.save()
    client = client_for(world.editor)
    detail = client.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    assert '<td class="num score">不适用</td>' in detail
    assert '<td class="num score">0.00</td>' not in detail
    assert '<td class="num">10.53</td>' in detail  # T1's 10 points, rescaled
    panel = client.get(reverse("evaluations:edit", args=[e.pk, "targets"])).content.decode()
    assert '<td class="num">不适用</td>' in panel


def test_the_reviewers_snapshot_reads_not_applicable(client, world) -> None:
    """The snapshot a reviewer opens of a submitted evaluation: 不适用 in the 得分 cell."""
    from jixiao.evaluations.tests.test_below_points_checklist import _rescaling
    from jixiao.reviews import workflow
    from jixiao.reviews.models import Transition
    from jixiao.reviews.services import transition
    from jixiao.testing.factories import PASSWORD

    e, _ = _rescaling(world)
    data = dict(e.data)
    data["targets"] = [
        {**t, "not_applicable": True} if t["code"] == "T3" else t for t in data["targets"]
    ]
    e.data = data
    e.save()
    step = transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    t = Transition.objects.get(evaluation=step)
    assert client.login(username=world.user("bureau_reviewer").username, password=PASSWORD)
    body = client.get(reverse("reviews:snapshot", args=[t.pk])).content.decode()
    row = next(x for x in body.split("<tr>") if "<td>T3</td>" in x)
    assert '<td class="num">0</td><td class="num">不适用</td>' in row
