"""A rule-set with explain_below_points (docs/rulesets.md「评分选项」): a score below its points
without 偏差原因及改进措施 is an item of the 缺项清单, linked to the row's explanation field."""

from __future__ import annotations

import copy
from decimal import Decimal

from jixiao.campaigns.models import StoredRuleSet
from jixiao.evaluations.checklist import linked_problems
from jixiao.evaluations.sections import fixed_leaves
from jixiao.reviews.services import submission_problems
from scoring.loading import find_ruleset
from scoring.ruleset import ScoringOptions
from scoring.ruleset_sheet import ruleset_to_yaml


def test_below_points_is_a_fault_the_entry_shows(world):
    strict = find_ruleset("gd-department").model_copy(
        update={"version": "strict", "options": ScoringOptions(explain_below_points=True)}
    )
    StoredRuleSet.objects.create(ref=strict.ref, name=strict.name, yaml=ruleset_to_yaml(strict))
    e = world.evaluation
    data = copy.deepcopy(e.data)
    data["ruleset"] = strict.ref
    e.data = data
    assert not any("低于分值" in p for p in submission_problems(e))  # the seed explains both
    for a in data["assessments"]:
        if a["code"] == "S2":
            a["explanation"] = ""
    e.data = data
    items = {str(i): i.url for i in linked_problems(e, submission_problems(e))}
    row = [leaf.indicator.code for leaf in fixed_leaves(strict)].index("S2")
    text = "绩效自评质量：得分 4 低于分值 5，须填写偏差原因分析及改进措施"
    assert items[text].endswith(f"/edit/assessments/#f-assessments-{row}-explanation")


def _rescaling(world):
    """The seed evaluation under a stored gd-department that drops 不适用 indicators."""
    from scoring.ruleset import NotApplicableRule

    ruleset = find_ruleset("gd-department").model_copy(
        update={
            "version": "na",
            "options": ScoringOptions(not_applicable=NotApplicableRule.RESCALE),
        }
    )
    StoredRuleSet.objects.create(ref=ruleset.ref, name=ruleset.name, yaml=ruleset_to_yaml(ruleset))
    # the rule-set is the campaign's (server-owned): a save takes it from there
    campaign = world.evaluation.campaign
    campaign.ruleset_ref = ruleset.ref
    campaign.save()
    e = world.evaluation
    e.data = {**e.data, "ruleset": ruleset.ref}
    e.save()
    return e, ruleset


def test_the_entry_offers_not_applicable_only_when_the_ruleset_drops_it(world, form_of):
    from django.urls import reverse

    from jixiao.evaluations.tests.conftest import client_for

    client = client_for(world.editor)
    url = reverse("evaluations:edit", args=[world.evaluation.pk, "targets"])
    assert 'name="targets-0-not_applicable"' not in client.get(url).content.decode()
    assert 'name="targets-0-category"' in client.get(url).content.decode()
    e, _ = _rescaling(world)
    assert 'name="targets-0-not_applicable"' in client.get(url).content.decode()
    data = form_of(client, url)
    codes = [data[f"targets-{i}-code"] for i in range(5)]
    data[f"targets-{codes.index('T3')}-not_applicable"] = "on"
    data[f"targets-{codes.index('T3')}-category"] = "质量指标"
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    e.refresh_from_db()
    t3 = next(t for t in e.data["targets"] if t["code"] == "T3")
    assert (t3["not_applicable"], t3["category"]) == (True, "质量指标")
    # T3's 5 points dropped: the seed's 93 of the other 95 points, rescaled leaf by leaf
    from jixiao.evaluations.scoring_bridge import score_data

    scored = score_data(e.data)
    assert scored.problems == ()
    assert scored.result is not None and scored.result.total == Decimal("97.90")

    url = reverse("evaluations:edit", args=[e.pk, "assessments"])
    page = client.get(url).content.decode()
    assert "不适用（剔除，其余指标分值按总分折算）" in page
    data = form_of(client, url)
    row = next(k for k, v in data.items() if k.endswith("-code") and v == "S2")
    data[row.replace("-code", "-not_applicable")] = "on"
    assert client.post(url, data, follow=True).status_code == 200
    e.refresh_from_db()
    s2 = next(a for a in e.data["assessments"] if a["code"] == "S2")
    assert s2["not_applicable"] is True
