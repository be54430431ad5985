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
