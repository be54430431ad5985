"""单位选择器 (issue 14): the forms that choose units among 50,000 render only what is chosen and a
search box; the search answers one keyset page, scoped to bureau users; the server still checks
what is posted against the field's queryset."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.evaluations.models import Evaluation
from jixiao.organisations.models import Organisation
from jixiao.testing.factories import PASSWORD, DepartmentFactory, UnitFactory

UNIT_PICKER_PAGES = [
    ("campaigns:create", None),
    ("campaigns:add_units", "campaign"),
    ("organisations:user_create", None),
    ("projects:create", None),
]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _url(world, name, arg):
    return reverse(name, args=[world.campaign.pk]) if arg else reverse(name)


@pytest.mark.parametrize("name,arg", UNIT_PICKER_PAGES)
def test_forms_do_not_list_every_unit(client, world, django_assert_num_queries, name, arg):
    """3 or 30 more units: the same queries and none of their names on the page (a select of
    every unit was 450 KiB at 5,000 units)."""
    login(client, world.bureau_admin)
    url = _url(world, name, arg)
    client.get(url)  # warm (rule-sets, templates)
    sizes = []
    for extra in (3, 30):
        Organisation.objects.filter(name__startswith="选择器测试").delete()
        for n in range(extra):
            UnitFactory.create(parent=world.other_department, name=f"选择器测试{n:03d}")
        with django_assert_num_queries(_queries(client, url)):
            response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "选择器测试" not in html
        assert "data-org-picker" in html
        sizes.append(len(html))
    assert sizes[0] == sizes[1]


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def test_search_pages_through_matches_in_department_then_name_order(client, world):
    """A keyset walk across pages of 2 with ties on the department's name: every match once."""
    twin = DepartmentFactory.create(name="湛江市教育局（二）")
    made = [
        UnitFactory.create(parent=parent, name=f"检索单位{n}")
        for n, parent in enumerate(
            [world.other_department, twin, world.other_department, twin, twin]
        )
    ]
    login(client, world.bureau_admin)
    url = reverse("organisations:picker")
    params = {"source": "units", "name": "units", "multiple": "1", "q": "检索单位"}
    seen = []
    response = client.get(url, params)
    for _ in range(5):
        seen += [pk for pk, _text in response.context["results"]]
        if not response.context["next_url"]:
            break
        response = client.get(response.context["next_url"])
    expected = sorted(made, key=lambda u: (u.parent.name if u.parent else "", u.name, u.pk))
    assert seen == [u.pk for u in expected]
    assert 'type="checkbox" name="units"' in response.content.decode()


def test_search_by_credit_code_and_single_choice(client, world):
    login(client, world.bureau_admin)
    response = client.get(
        reverse("organisations:picker"),
        {"source": "account", "name": "organisation", "q": world.unit.credit_code[-6:].lower()},
    )
    assert [pk for pk, _t in response.context["results"]] == [world.unit.pk]
    assert 'type="radio" name="organisation"' in response.content.decode()


def test_add_units_search_offers_only_units_without_a_task(client, world):
    late = UnitFactory.create(parent=world.department, name="湛江市新设中心")
    login(client, world.bureau_admin)
    response = client.get(
        reverse("organisations:picker"),
        {"source": "units", "name": "units", "multiple": "1", "campaign": world.campaign.pk},
    )
    offered = [pk for pk, _t in response.context["results"]]
    assert late.pk in offered
    assert not Evaluation.objects.filter(campaign=world.campaign, unit_id__in=offered).exists()


@pytest.mark.parametrize("role", ["unit_editor", "unit_head", "department_reviewer"])
def test_search_is_404_for_others(client, world, role):
    login(client, world.user(role))
    response = client.get(reverse("organisations:picker"), {"source": "units", "q": "湛江"})
    assert response.status_code == 404


def test_chosen_unit_stays_chosen_when_the_form_is_refused(client, world):
    """The form comes back with its errors and the unit chosen (checked), nothing else listed."""
    login(client, world.bureau_admin)
    response = client.post(
        reverse("organisations:user_create"),
        {"username": "", "organisation": world.unit.pk, "role": "unit_editor"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'name="organisation" value="{world.unit.pk}" checked' in html
    assert world.other_unit.name not in html


@pytest.mark.parametrize("term", ["鉴", "中心", "湛江市职业", "zz"])
def test_short_and_long_terms_find_what_icontains_finds(client, world, term):
    """One or two characters go through the grams columns on PostgreSQL (organisations 0005),
    longer ones through the trigram indexes: the same units as a plain icontains either way."""
    UnitFactory.create(parent=world.department, name="湛江市职业技能鉴定中心（二）")
    login(client, world.bureau_admin)
    response = client.get(
        reverse("organisations:picker"), {"source": "units", "name": "units", "q": term}
    )
    found = {pk for pk, _t in response.context["results"]}
    expected = set(
        Organisation.objects.filter(kind="unit", is_active=True, name__icontains=term).values_list(
            "pk", flat=True
        )
    )
    assert found == expected


def test_every_chosen_unit_comes_back_when_the_campaign_form_is_refused(client, world):
    """600 units picked by hand and a refused form (no title): all 600 are posted back."""
    picked = [
        UnitFactory.create(parent=world.other_department, name=f"已选单位{n:03d}").pk
        for n in range(600)
    ]
    login(client, world.bureau_admin)
    response = client.post(reverse("campaigns:create"), {"scope": "units", "units": picked})
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f'name="units" value="{pk}" checked' in html for pk in picked)
