"""从上年报告预填 (/audit/prefill/<pk>/): upload, confirm field by field, save with the version."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.audit.views import apply_values, complete_new_targets, localise, path_label
from jixiao.conftest import World
from jixiao.evaluations.models import Evaluation, Status
from jixiao.organisations.models import User
from jixiao.testing import factories as f

pytestmark = pytest.mark.django_db


def url(evaluation: Evaluation) -> str:
    return f"/audit/prefill/{evaluation.pk}/"


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def upload_seed(client: Client, evaluation: Evaluation, text: str) -> Any:
    report = SimpleUploadedFile("2025年度自评报告.txt", text.encode(), content_type="text/plain")
    return client.post(url(evaluation), {"action": "upload", "file": report})


def state(evaluation: Evaluation) -> tuple[Any, ...]:
    evaluation.refresh_from_db()
    return (evaluation.version, evaluation.data, evaluation.total)


@pytest.fixture
def changed(world: World) -> Evaluation:
    """The unit's draft where a few figures differ from the report."""
    data = f.seed_evaluation_data()
    data["unit"]["staff_actual"] = 4
    data["targets"][1]["actual"] = "100"  # T1 新增取得职业技能等级认定证书
    data["targets"][1]["explanation"] = "待填"
    data["problems"] = ["旧问题"]
    Evaluation.objects.filter(pk=world.evaluation.pk).update(data=data)
    world.evaluation.refresh_from_db()
    return world.evaluation


# --- access -------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(world: World) -> None:
    response = Client().get(url(world.evaluation))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("username", ["editor", "head"])
def test_own_unit_users_see_the_upload_form(
    world: World, username: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(User.objects.get(username=username))
    with django_assert_max_num_queries(4):  # session, user, evaluation, organisation
        response = client.get(url(world.evaluation))
    assert response.status_code == 200
    content = response.content.decode()
    assert "从上年报告预填" in content
    assert 'name="file"' in content


@pytest.mark.parametrize(
    ("username", "which"),
    [
        ("editor", "other_evaluation"),
        ("editor", "foreign_evaluation"),
        ("other_editor", "evaluation"),
        ("dept", "evaluation"),
        ("other_dept", "evaluation"),
        ("bureau", "evaluation"),
        ("admin", "evaluation"),
    ],
)
def test_anyone_else_gets_404_and_nothing_changes(
    world: World, username: str, which: str, audit_seed_text: str
) -> None:
    evaluation = getattr(world, which)
    before = state(evaluation)
    client = client_for(User.objects.get(username=username))
    assert client.get(url(evaluation)).status_code == 404
    assert upload_seed(client, evaluation, audit_seed_text).status_code == 404
    response = client.post(url(evaluation), {"action": "apply", "version": 1, "apply": ["other"]})
    assert response.status_code == 404
    assert state(evaluation) == before


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.APPROVED, Status.PUBLISHED])
def test_a_locked_evaluation_is_404(world: World, status: str) -> None:
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=status)
    assert client_for(world.editor).get(url(world.evaluation)).status_code == 404


def test_a_returned_evaluation_may_be_prefilled(world: World) -> None:
    Evaluation.objects.filter(pk=world.evaluation.pk).update(status=Status.RETURNED)
    assert client_for(world.editor).get(url(world.evaluation)).status_code == 200


# --- upload and confirm --------------------------------------------------------------------------


def test_upload_shows_each_field_next_to_the_current_value(
    world: World, changed: Evaluation, audit_seed_text: str
) -> None:
    client = client_for(world.editor)
    response = upload_seed(client, changed, audit_seed_text)
    assert response.status_code == 302
    assert response["Location"] == url(changed)
    page = client.get(url(changed))
    assert page.status_code == 200
    rows = {row["path"]: row for group in page.context["groups"] for row in group["rows"]}
    staff = rows["unit.staff_actual"]
    assert (staff["label"], staff["value"], staff["current"], staff["same"]) == (
        "实有人数",
        "5",
        "4",
        False,
    )
    assert staff["confidence"] == "high"
    # The report's first target is the evaluation's second row (matched by name, not position).
    t1 = rows["targets.1.actual"]
    assert (t1["label"], t1["value"], t1["current"]) == ("第 2 项 · 实际完成值", "18969", "100")
    assert rows["targets.1.target"]["confidence"] == "low"
    assert "targets.0.code" not in rows and "targets.1.code" not in rows
    assert rows["unit.staffing_quota"]["same"] is True
    # Campaign-owned fields are shown but cannot be ticked.
    assert rows["year"]["importable"] is False
    assert rows["notice.number"]["importable"] is False
    content = page.content.decode()
    assert 'value="unit.staff_actual"' in content
    assert 'name="apply" value="year"' not in content
    assert f'name="version" value="{changed.version}"' in content
    assert " checked aria-label" not in content  # nothing is ticked for the user


def test_only_ticked_fields_are_written_with_a_new_version(
    world: World, changed: Evaluation, audit_seed_text: str
) -> None:
    client = client_for(world.editor)
    upload_seed(client, changed, audit_seed_text)
    response = client.post(
        url(changed),
        {
            "action": "apply",
            "version": changed.version,
            "apply": ["unit.staff_actual", "targets.1.actual", "problems.0", "problems.2"],
        },
    )
    assert response.status_code == 302
    changed.refresh_from_db()
    assert changed.version == 2
    assert changed.data["unit"]["staff_actual"] == 5
    assert changed.data["targets"][1]["actual"] == "18969"
    assert changed.data["targets"][1]["explanation"] == "待填"  # not ticked: kept
    assert changed.data["problems"] == [
        "绩效管理精细化程度不足，部分绩效指标量化不够精准。",
        "信息化监管水平有待提升，对院校、社培机构、企业的动态监管效率仍需提高。",
    ]
    assert str(changed.total) == "98.00"
    assert changed.updated_by == world.editor
    # The pending import is gone: the page offers an upload again.
    assert client.get(url(changed)).context["pending"] is None


def test_a_stale_version_is_refused_and_the_ticks_stay(
    world: World, changed: Evaluation, audit_seed_text: str
) -> None:
    client = client_for(world.editor)
    upload_seed(client, changed, audit_seed_text)
    # A colleague saves in between.
    from jixiao.evaluations.services import save_evaluation_data

    # (the same field the import fills: field-level locking merges saves of other fields)
    save_evaluation_data(
        user=world.head,
        evaluation_id=changed.pk,
        expected_version=1,
        data={**changed.data, "unit": {**changed.data["unit"], "staff_actual": 99}},
    )
    before = state(changed)
    response = client.post(
        url(changed), {"action": "apply", "version": 1, "apply": ["unit.staff_actual"]}
    )
    assert response.status_code == 200
    assert state(changed) == before
    (error,) = response.context["confirm_errors"]
    assert error.startswith("保存被拒绝：")
    assert response.context["checked"] == {"unit.staff_actual"}
    assert response.context["version"] == 2  # confirming again builds on the newest version
    assert 'value="unit.staff_actual" id="pick-unit.staff_actual"' in response.content.decode()


def test_nothing_ticked_is_a_form_error(
    world: World, changed: Evaluation, audit_seed_text: str
) -> None:
    client = client_for(world.editor)
    upload_seed(client, changed, audit_seed_text)
    before = state(changed)
    response = client.post(url(changed), {"action": "apply", "version": 1})
    assert response.status_code == 200
    assert response.context["apply_errors"] == ["请至少勾选一项要导入的内容"]
    assert state(changed) == before


def test_a_campaign_owned_or_unknown_path_cannot_be_imported(
    world: World, changed: Evaluation, audit_seed_text: str
) -> None:
    client = client_for(world.editor)
    upload_seed(client, changed, audit_seed_text)
    before = state(changed)
    for path in ("year", "unit.credit_code"):
        response = client.post(url(changed), {"action": "apply", "version": 1, "apply": [path]})
        assert response.context["apply_errors"] == ["勾选的内容已失效，请重新上传报告"]
    assert state(changed) == before


def test_apply_without_an_upload_asks_for_one(world: World, changed: Evaluation) -> None:
    before = state(changed)
    response = client_for(world.editor).post(
        url(changed), {"action": "apply", "version": 1, "apply": ["unit.staff_actual"]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == ["预填内容已失效，请重新上传报告"]
    assert state(changed) == before


def test_an_unreadable_upload_is_a_form_error(world: World) -> None:
    client = client_for(world.editor)
    report = SimpleUploadedFile("scan.pdf", b"%PDF-1.4 nothing", content_type="application/pdf")
    response = client.post(url(world.evaluation), {"action": "upload", "file": report})
    assert response.status_code == 200
    assert response.context["upload_form"].errors["file"]
    assert response.context["pending"] is None


def test_discard_forgets_the_upload(world: World, audit_seed_text: str) -> None:
    client = client_for(world.editor)
    upload_seed(client, world.evaluation, audit_seed_text)
    client.post(url(world.evaluation), {"action": "discard"})
    assert client.get(url(world.evaluation)).context["pending"] is None


# --- the merging rules ------------------------------------------------------------------------


def test_apply_values_grows_lists_and_leaves_no_holes() -> None:
    data = {"problems": ["a"], "targets": [{"code": "T1", "name": "甲"}]}
    merged = apply_values(data, {"problems.3": "d", "targets.2.name": "丙", "unit.staff_actual": 5})
    assert merged == {
        "problems": ["a", "d"],
        "targets": [{"code": "T1", "name": "甲"}, {"name": "丙"}],
        "unit": {"staff_actual": 5},
    }
    assert data == {"problems": ["a"], "targets": [{"code": "T1", "name": "甲"}]}


def test_new_targets_get_a_fresh_code_and_the_usual_parent() -> None:
    data = {
        "targets": [{"code": "T1", "parent": "U1"}, {"code": "T3", "parent": "U1"}, {"name": "新"}]
    }
    assert complete_new_targets(data)["targets"][2] == {"name": "新", "code": "T2", "parent": "U1"}


def test_localise_matches_targets_by_name_and_appends_new_ones() -> None:
    fields = {
        "targets.0.name": {"value": "乙"},
        "targets.0.actual": {"value": "5"},
        "targets.0.code": {"value": "T1"},
        "targets.1.name": {"value": "新指标"},
    }
    current = {"targets": [{"name": "甲"}, {"name": "乙"}]}
    assert sorted(localise(fields, current)) == [
        "targets.1.actual",
        "targets.1.name",
        "targets.2.name",
    ]


def test_path_labels_count_from_one() -> None:
    assert path_label("targets.0.actual") == "第 1 项 · 实际完成值"
    assert path_label("unit.staffing_quota") == "编制数"
    assert path_label("budget.rows.0.initial") == "第 1 项 · 年初预算数（万元）"
