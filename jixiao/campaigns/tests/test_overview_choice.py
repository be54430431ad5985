"""全市概览 opens on the campaign with the most units in scope, or on the person's last choice."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from jixiao.conftest import World
from jixiao.testing import factories as f


def _selected(client: Client, query: str = "") -> int:
    response = client.get(reverse("campaigns:overview") + query)
    assert response.status_code == 200
    return response.context["selected_campaign"].pk


def test_opens_on_the_largest_campaign_then_remembers_the_choice(world: World) -> None:
    newer = f.CampaignFactory.create(bureau=world.bureau, title="最新的专项自评", year=2026)
    f.EvaluationFactory.create(campaign=newer, unit=world.unit)
    client = Client()
    client.force_login(world.bureau_reviewer)
    assert _selected(client) == world.campaign.pk  # three units, not the newest with one
    assert _selected(client, f"?campaign={newer.pk}") == newer.pk
    assert _selected(client) == newer.pk  # remembered in the session
    assert _selected(client, f"?campaign={world.campaign.pk}") == world.campaign.pk
    assert _selected(client) == world.campaign.pk
