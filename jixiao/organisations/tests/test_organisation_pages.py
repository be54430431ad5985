"""单位管理 pages: only the bureau admin sees them; forms validate and save through the services."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.organisations.models import Organisation, OrganisationKind
from jixiao.testing.factories import PASSWORD, UnitFactory, valid_credit_code

NON_ADMIN_ROLES = ["unit_editor", "unit_head", "department_reviewer", "bureau_reviewer"]


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def unit_values(world, **overrides):
    values = {
        "kind": "unit",
        "name": "湛江市就业服务中心",
        "short_name": "我中心",
        "credit_code": valid_credit_code(900),
        "unit_type": "公益一类事业单位",
        "parent": world.department.pk,
        "staffing_quota": "12",
        "staff_actual": "10",
        "functions": "负责就业服务\n负责失业登记",
        "is_active": "on",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
@pytest.mark.parametrize(
    "name,args",
    [
        ("organisations:list", []),
        ("organisations:create", []),
        ("organisations:import", []),
        ("organisations:import_template", []),
        ("organisations:users", []),
        ("organisations:user_create", []),
    ],
)
def test_pages_do_not_exist_for_anyone_but_the_admin(client, world, role, name, args):
    login(client, world.user(role))
    assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize("role", NON_ADMIN_ROLES)
def test_edit_by_non_admin_is_404_and_changes_nothing(client, world, role):
    login(client, world.user(role))
    url = reverse("organisations:edit", args=[world.unit.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, unit_values(world, name="改名", credit_code=world.unit.credit_code))
    assert response.status_code == 404
    world.unit.refresh_from_db()
    assert world.unit.name == "湛江市职业技能鉴定指导中心"


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("organisations:list"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_list_groups_units_under_departments_in_constant_queries(
    client, world, django_assert_max_num_queries
):
    for _ in range(15):
        UnitFactory.create(parent=world.other_department)
    login(client, world.bureau_admin)
    # 7: the page's account counts are a query of their own (not a GROUP BY over every unit)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("organisations:list"))
    assert response.status_code == 200
    groups = response.context["groups"]
    assert [g["head"].name for g in groups] == [
        "湛江市财政局",
        "湛江市人力资源和社会保障局",
        "湛江市教育局",
    ]
    assert len(groups[1]["units"]) == 2
    assert len(groups[2]["units"]) == 16
    assert groups[2]["quota"] == 16 * 7 and groups[2]["actual"] == 16 * 5
    assert response.context["unit_count"] == 18
    # Active accounts per organisation: the seed unit has an editor and a head.
    counts = {u.name: u.account_count for u in groups[1]["units"]}
    assert counts == {"湛江市职业技能鉴定指导中心": 2, world.other_unit.name: 1}
    assert groups[2]["units"][0].account_count == 0
    html = response.content.decode()
    assert world.unit.credit_code in html and "公益二类事业单位" in html


def test_list_search_by_credit_code(client, world):
    login(client, world.bureau_admin)
    response = client.get(reverse("organisations:list"), {"q": world.unit.credit_code})
    units = [u for g in response.context["groups"] for u in g["units"]]
    assert units == [world.unit]


def test_admin_creates_a_unit_with_normalised_credit_code(client, world):
    login(client, world.bureau_admin)
    code = valid_credit_code(900)
    spaced = f" {code[:6].lower()} {code[6:]} "
    response = client.post(reverse("organisations:create"), unit_values(world, credit_code=spaced))
    assert response.status_code == 302
    unit = Organisation.objects.get(name="湛江市就业服务中心")
    assert unit.credit_code == code
    assert unit.kind == OrganisationKind.UNIT and unit.parent == world.department
    assert (unit.staffing_quota, unit.staff_actual) == (12, 10)
    assert unit.function_lines == ["负责就业服务", "负责失业登记"]


@pytest.mark.parametrize(
    "overrides,field,message",
    [
        ({"credit_code": "12440800000000900X"}, "credit_code", "统一社会信用代码校验位错误"),
        ({"credit_code": "1244080000"}, "credit_code", "应为 18 位，现为 10 位"),
        ({"staffing_quota": "-1"}, "staffing_quota", "编制数不能为负数"),
        ({"staff_actual": "-3"}, "staff_actual", "实有人数不能为负数"),
        ({"parent": ""}, "parent", "预算单位的上级必须是一个主管部门"),
        ({"unit_type": ""}, "unit_type", "预算单位须选择单位类型"),
    ],
)
def test_bad_unit_input_is_refused_with_chinese_errors(client, world, overrides, field, message):
    login(client, world.bureau_admin)
    before = Organisation.objects.count()
    response = client.post(reverse("organisations:create"), unit_values(world, **overrides))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors
    assert Organisation.objects.count() == before
    # What the user typed stays in the form.
    assert "湛江市就业服务中心" in response.content.decode()


def test_unit_under_the_bureau_is_refused(client, world):
    login(client, world.bureau_admin)
    response = client.post(
        reverse("organisations:create"), unit_values(world, parent=world.bureau.pk)
    )
    assert "预算单位的上级必须是一个主管部门" in " ".join(response.context["form"].errors["parent"])
    assert not Organisation.objects.filter(name="湛江市就业服务中心").exists()


def test_credit_code_of_another_organisation_is_refused(client, world):
    login(client, world.bureau_admin)
    response = client.post(
        reverse("organisations:create"),
        unit_values(world, credit_code=world.other_unit.credit_code),
    )
    assert response.context["form"].errors["credit_code"] == [
        f"该统一社会信用代码已属于“{world.other_unit.name}”"
    ]


def test_admin_edits_a_unit(client, world):
    login(client, world.bureau_admin)
    url = reverse("organisations:edit", args=[world.unit.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        unit_values(
            world,
            name=world.unit.name,
            credit_code=world.unit.credit_code,
            staff_actual="6",
            parent=world.other_department.pk,
        ),
    )
    assert response.status_code == 302
    world.unit.refresh_from_db()
    assert world.unit.staff_actual == 6 and world.unit.parent == world.other_department


def test_department_with_accounts_cannot_change_kind(client, world):
    login(client, world.bureau_admin)
    response = client.post(
        reverse("organisations:edit", args=[world.department.pk]),
        {"kind": "bureau", "name": world.department.name, "is_active": "on"},
    )
    assert response.status_code == 200
    assert "该组织下还有下级单位，不能更改类型" in response.context["form"].non_field_errors()
    world.department.refresh_from_db()
    assert world.department.kind == "department"


def test_edit_unknown_organisation_is_404(client, world):
    login(client, world.bureau_admin)
    assert client.get(reverse("organisations:edit", args=[99999])).status_code == 404


def test_list_pages_units_with_a_keyset(client, world):
    """At province scale the list is paged (issue 14): pages follow one another, each department's
    count and staffing sums stay those of all its units, and a department filter narrows it."""
    for _ in range(15):
        UnitFactory.create(parent=world.other_department)
    login(client, world.bureau_admin)
    url = reverse("organisations:list")
    first = client.get(url, {"size": "10"})
    seen = [u.pk for g in first.context["groups"] for u in g["units"]]
    assert len(seen) == 10
    education = next(g for g in first.context["groups"] if g["head"] == world.other_department)
    assert education["count"] == 16 and education["quota"] == 16 * 7
    second = client.get(url, {"size": "10", "after": first.context["page"].next_cursor})
    seen += [u.pk for g in second.context["groups"] for u in g["units"]]
    assert second.context["page"].next_cursor is None
    assert len(seen) == len(set(seen)) == 18
    only = client.get(url, {"department": world.department.pk}).context["groups"]
    assert [g["head"] for g in only] == [world.department]
    assert {u.pk for u in only[0]["units"]} == {world.unit.pk, world.other_unit.pk}
