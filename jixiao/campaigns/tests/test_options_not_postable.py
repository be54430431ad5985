"""Rule-set options (docs/rulesets.md「评分选项」) live in the rule-set file only: a campaign form or
an entry form that posts one changes nothing (the entry form: jixiao/evaluations/tests/
test_options_not_postable.py; the API refuses them: jixiao/api/tests/test_ruleset_options.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.campaigns.models import Campaign
from jixiao.campaigns.rulesets import get_ruleset
from jixiao.campaigns.tests.test_campaign_pages import campaign_values, login
from scoring.loading import find_ruleset

pytestmark = pytest.mark.django_db

POSTED_OPTIONS = {
    "options": "not_applicable: rescale",
    "reverse": "linear",
    "equal_zero_target": "at_most",
    "not_applicable": "rescale",
    "explain_below_points": "true",
    "category_caps": "成本指标:50",
    "over_completion": "120",
    "thresholds": "over_completion: 120",
    "grades": "优 50",
}


def test_a_campaign_form_posting_options_gets_the_rule_set_as_it_is(client, world) -> None:
    login(client, world.user("bureau_admin"))
    response = client.post(reverse("campaigns:create"), campaign_values(**POSTED_OPTIONS))
    assert response.status_code == 302
    campaign = Campaign.objects.get(notice_number="湛财绩〔2027〕1号")
    assert campaign.ruleset_ref == "gd-department@2025.1"
    shipped = find_ruleset("gd-department@2025.1")
    used = get_ruleset(campaign.ruleset_ref)
    assert (used.options, used.thresholds, used.grades) == (
        shipped.options,
        shipped.thresholds,
        shipped.grades,
    )
    assert not any(key in campaign.__dict__ for key in POSTED_OPTIONS)
