"""The public portal: only published evaluations, the exact approved bytes, filters and query counts."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from urllib.parse import parse_qsl, quote

import pytest
from django.urls import reverse

from jixiao.evaluations.models import Status
from jixiao.reviews import workflow
from jixiao.reviews.models import FrozenDocument, Publication
from jixiao.reviews.services import transition
from jixiao.reviews.tests.helpers import move, publish_directly
from jixiao.testing import factories as f
from jixiao.testing.factories import PASSWORD

ROLES = [
    "editor",
    "head",
    "department_reviewer",
    "other_department_reviewer",
    "bureau_reviewer",
    "bureau_admin",
]


def as_user(client, world, who):
    if who != "anonymous":
        assert client.login(username=getattr(world, who).username, password=PASSWORD)
    return client


def test_the_bytes_served_are_the_bytes_approved(
    client, world, monkeypatch, django_capture_on_commit_callbacks
):
    """Approve and publish through the real workflow and the real renderers, then download."""
    import jixiao.documents.package as package

    rendered: dict[str, bytes] = {}
    real = package.render_document

    def recording(evaluation, result, fmt, **kwargs):
        content = real(evaluation, result, fmt, **kwargs)
        rendered[fmt] = content
        return content

    monkeypatch.setattr(package, "render_document", recording)
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    with django_capture_on_commit_callbacks(execute=True):  # the freeze job, after the commit
        transition(user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_APPROVE)
    transition(user=world.bureau_admin, evaluation_id=e.pk, action=workflow.PUBLISH)
    assert sorted(rendered) == ["data.xlsx", "docx", "pdf", "scoring.xlsx"]
    publication = Publication.objects.get(evaluation=e)

    detail = client.get(reverse("portal:detail", args=[publication.pk]))
    assert detail.status_code == 200
    expected_types = {
        "pdf": "application/pdf",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "data.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "scoring.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for fmt, content_type in expected_types.items():
        frozen = FrozenDocument.objects.get(evaluation=e, format=fmt)
        response = client.get(reverse("portal:download", args=[publication.pk, fmt]))
        assert response.status_code == 200
        served = response.content
        assert hashlib.sha256(served).hexdigest() == frozen.sha256
        assert frozen.sha256 == hashlib.sha256(rendered[fmt]).hexdigest()
        assert served == rendered[fmt]
        assert response["Content-Type"] == content_type
        assert response["Content-Length"] == str(len(rendered[fmt]))
        fallback = f"jixiao-{publication.pk}-{fmt}" + ("" if "." in fmt else f".{fmt}")
        assert response["Content-Disposition"] == (
            f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(frozen.filename)}"
        )
        assert frozen.sha256 in detail.content.decode()
    assert FrozenDocument.objects.get(evaluation=e, format="pdf").filename == (
        "2025年度湛江市职业技能鉴定指导中心绩效自评报告.pdf"
    )


@pytest.mark.parametrize("status", [s for s in Status if s != Status.PUBLISHED])
def test_unpublished_is_404_everywhere(client, world, status):
    """Approved (files frozen) but not yet published, or any earlier state: nothing is public."""
    publication = publish_directly(world.evaluation, world.bureau_admin)
    move(world.evaluation, status, world.bureau_admin)
    assert client.get(reverse("portal:detail", args=[publication.pk])).status_code == 404
    assert client.get(reverse("portal:download", args=[publication.pk, "pdf"])).status_code == 404
    index = client.get(reverse("portal:index"))
    assert list(index.context["page"].rows) == []
    assert world.unit.name not in index.content.decode().split("portal-list")[-1]


def test_unknown_publication_and_format_are_404(client, world):
    publication = publish_directly(world.evaluation, world.bureau_admin)
    assert client.get(reverse("portal:detail", args=[publication.pk + 99])).status_code == 404
    assert client.get(reverse("portal:download", args=[publication.pk, "exe"])).status_code == 404
    assert (
        client.get(reverse("portal:download", args=[publication.pk + 99, "pdf"])).status_code == 404
    )


def test_downloads_of_another_publication_are_not_mixed_up(client, world):
    a = publish_directly(world.evaluation, world.bureau_admin)
    b = publish_directly(world.other_evaluation, world.bureau_admin)
    assert (
        client.get(reverse("portal:download", args=[a.pk, "pdf"])).content
        == f"{world.evaluation.pk}:pdf".encode()
    )
    assert (
        client.get(reverse("portal:download", args=[b.pk, "pdf"])).content
        == f"{world.other_evaluation.pk}:pdf".encode()
    )


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_every_role_and_the_public_see_the_same_portal(client, world, who):
    publication = publish_directly(world.evaluation, world.bureau_admin)
    as_user(client, world, who)
    index = client.get(reverse("portal:index"))
    assert index.status_code == 200
    assert [p.pk for p in index.context["page"].rows] == [publication.pk]
    detail = client.get(reverse("portal:detail", args=[publication.pk]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert (
        "湛江市职业技能鉴定指导中心" in body
        and "98.00" in body
        and "湛江市人力资源和社会保障局" in body
    )
    assert client.get(reverse("portal:download", args=[publication.pk, "docx"])).status_code == 200


def test_portal_is_read_only(client, world):
    publication = publish_directly(world.evaluation, world.bureau_admin)
    assert client.post(reverse("portal:index")).status_code == 405
    assert client.post(reverse("portal:detail", args=[publication.pk])).status_code == 405


@pytest.fixture
def many(world):
    """Published: own unit 2025 (98), foreign unit 2025 (lower, 良), own unit 2024; one unpublished."""
    own = publish_directly(world.evaluation, world.bureau_admin)
    foreign = world.foreign_evaluation
    foreign.total, foreign.grade = Decimal("85.50"), "良"
    foreign.save()
    foreign_pub = publish_directly(foreign, world.bureau_admin)
    old_campaign = f.CampaignFactory.create(bureau=world.bureau, year=2024, title="2024年度自评")
    old = f.EvaluationFactory.create(campaign=old_campaign, unit=world.unit)
    old_pub = publish_directly(old, world.bureau_admin)
    move(world.other_evaluation, Status.APPROVED, world.bureau_admin)  # not public
    return own, foreign_pub, old_pub


def test_index_lists_by_year_then_department_with_summary(client, world, many):
    own, foreign_pub, old_pub = many
    response = client.get(reverse("portal:index"))
    assert [p.pk for p in response.context["page"].rows] == [
        own.pk,
        foreign_pub.pk,
        old_pub.pk,
    ]
    summary = response.context["summary"]
    assert summary.count == 3
    assert summary.average == Decimal("93.83")
    assert summary.by_grade == {"优": 2, "良": 1, "中": 0, "差": 0}
    options = response.context["options"]
    assert options.years == [2025, 2024]
    assert [name for _, name in options.departments] == [
        "湛江市人力资源和社会保障局",
        "湛江市教育局",
    ]
    assert world.other_unit.name not in response.content.decode()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2024"}, ["old"]),
        ({"year": "2025"}, ["own", "foreign"]),
        ({"department": "DEPT"}, ["own", "old"]),
        ({"unit": "FOREIGN_UNIT"}, ["foreign"]),
        ({"grade": "良"}, ["foreign"]),
        ({"q": "职业技能"}, ["own", "old"]),
        ({"year": "abc", "department": "-1"}, ["own", "foreign", "old"]),  # malformed: ignored
    ],
)
def test_index_filters(client, world, many, query, expected):
    own, foreign_pub, old_pub = many
    names = {"own": own.pk, "foreign": foreign_pub.pk, "old": old_pub.pk}
    query = {
        k: {"DEPT": str(world.department.pk), "FOREIGN_UNIT": str(world.foreign_unit.pk)}.get(v, v)
        for k, v in query.items()
    }
    response = client.get(reverse("portal:index"), query)
    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].rows] == [names[n] for n in expected]


def test_index_query_count_is_flat(client, world, django_assert_max_num_queries):
    for _ in range(40):
        e = f.EvaluationFactory.create(
            campaign=world.campaign, unit=f.UnitFactory.create(parent=world.department)
        )
        publish_directly(e, world.bureau_admin)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("portal:index"))
    assert response.context["summary"].count == 40
    assert len(response.context["page"].rows) == 30
    # after a cursor, each run of columns sorted one way is its own index range (keyset.py):
    # year ↓ | department, unit, project ↑ | version ↓ | id ↑ — at most four, whatever the size
    with django_assert_max_num_queries(9):
        page2 = client.get(reverse("portal:index"), dict(parse_qsl(response.context["next_query"])))
    assert len(page2.context["page"].rows) == 10
    first = {p.pk for p in response.context["page"].rows}
    assert first.isdisjoint(p.pk for p in page2.context["page"].rows)  # each row once


def test_detail_query_count(client, world, django_assert_max_num_queries):
    publication = publish_directly(world.evaluation, world.bureau_admin)
    with django_assert_max_num_queries(3):
        response = client.get(reverse("portal:detail", args=[publication.pk]))
    assert [d.format for d in response.context["documents"]] == [
        "pdf",
        "docx",
        "data.xlsx",
        "scoring.xlsx",
    ]


def test_detail_shows_first_level_subtotals_and_ratios(client, world):
    publication = publish_directly(world.evaluation, world.bureau_admin)
    response = client.get(reverse("portal:detail", args=[publication.pk]))
    result = response.context["result"]
    assert result.total == publication.total == Decimal("98.00")
    assert [(g.name, g.points, g.score) for g in result.groups] == [
        ("预算编制", Decimal("20"), Decimal("19")),
        ("预算执行", Decimal("30"), Decimal("30")),
        ("预算监督", Decimal("15"), Decimal("14")),
        ("预算使用效益", Decimal("35"), Decimal("35")),
    ]
    body = response.content.decode()
    assert "得分概况" in body and "预算执行率" in body


def test_download_answers_not_modified_to_a_matching_etag(client, world):
    publication = publish_directly(world.evaluation, world.bureau_admin)
    frozen = FrozenDocument.objects.get(evaluation=world.evaluation, format="docx")
    url = reverse("portal:download", args=[publication.pk, "docx"])
    response = client.get(url, headers={"If-None-Match": f'"{frozen.sha256}"'})
    assert response.status_code == 304
    assert response.content == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).content == bytes(frozen.content)


def test_unit_choices_follow_the_chosen_department(client, world, many):
    response = client.get(reverse("portal:index"))
    assert response.context["unit_choices"] == []
    assert "请先选择主管部门" in response.content.decode()
    response = client.get(reverse("portal:index"), {"department": world.other_department.pk})
    assert response.context["unit_choices"] == [(world.foreign_unit.pk, world.foreign_unit.name)]


def test_every_frozen_file_carries_its_sm3_shown_beside_its_sha256(
    client, world, django_capture_on_commit_callbacks
):
    """#9 beyond: SM3 (GB/T 32905) is computed when the documents are frozen and published."""
    from jixiao.documents.digests import sm3_hex_pure

    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    with django_capture_on_commit_callbacks(execute=True):  # the freeze job, after the commit
        transition(user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_APPROVE)
    transition(user=world.bureau_admin, evaluation_id=e.pk, action=workflow.PUBLISH)
    publication = Publication.objects.get(evaluation=e)
    page = client.get(reverse("portal:detail", args=[publication.pk])).content.decode()
    api = client.get("/api/public/reports").json()["items"][0]["documents"]
    for frozen in FrozenDocument.objects.filter(evaluation=e):
        content = bytes(frozen.content)
        assert frozen.sm3 == sm3_hex_pure(content) and len(frozen.sm3) == 64
        assert frozen.sha256 in page and frozen.sm3 in page
        assert {d["format"]: d["sm3"] for d in api}[frozen.format] == frozen.sm3
    assert "openssl dgst -sm3" in page
    assert client.login(username=world.bureau_reviewer.username, password=PASSWORD)
    review = client.get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    assert all(d.sm3 in review for d in FrozenDocument.objects.filter(evaluation=e))


def test_a_publication_keeps_the_names_it_was_published_under(
    client, world, django_capture_on_commit_callbacks
):
    """#9.13: renaming the unit or its department later does not rewrite what the public read."""
    e = world.evaluation
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    with django_capture_on_commit_callbacks(execute=True):  # the freeze job, after the commit
        transition(user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_APPROVE)
    transition(user=world.bureau_admin, evaluation_id=e.pk, action=workflow.PUBLISH)
    publication = Publication.objects.get(evaluation=e)
    old_unit, old_department = world.unit.name, world.unit.parent.name
    assert (publication.unit_name, publication.department_name) == (old_unit, old_department)
    world.unit.name = "改名后的单位"
    world.unit.save()
    world.unit.parent.name = "改名后的主管部门"
    world.unit.parent.save()

    detail = client.get(reverse("portal:detail", args=[publication.pk])).content.decode()
    index = client.get(reverse("portal:index")).content.decode().split("portal-list")[-1]
    for page in (detail, index):
        assert old_unit in page and old_department in page
        assert "改名后的单位" not in page and "改名后的主管部门" not in page
    item = client.get("/api/public/reports").json()["items"][0]
    assert (item["unit"], item["department"]) == (old_unit, old_department)
    # A reader who knows either name finds it.
    for q in (old_unit, "改名后的单位"):
        found = client.get(reverse("portal:index"), {"q": q}).context["page"].rows
        assert [p.pk for p in found] == [publication.pk]


def test_the_public_page_names_the_ruleset_by_its_title_without_demo_marks(client, world):
    """#8.13: no "jixiao 默认分值", no 示例 marks where the public reads (the seed is full of them)."""
    publication = publish_directly(world.evaluation, world.bureau_admin)
    page = client.get(reverse("portal:detail", args=[publication.pk])).content.decode()
    assert "部门整体支出绩效自评指标评分表（广东省格式）" in page
    for mark in ("默认分值", "示例", "jixiao 默认"):
        assert mark not in page
    assert "在职人员控制率" in page  # a department evaluation keeps it


def test_index_walks_keyset_pages_in_the_published_order_each_row_once(client, world):
    """65 publications over two years, many of one unit (they tie on year, department and unit):
    pages of 30, 30, 5 in year ↓, department, unit, project order, none twice, none missed."""
    old_campaign = f.CampaignFactory.create(bureau=world.bureau, year=2024, title="2024年度自评")
    unit = f.UnitFactory.create(parent=world.department)
    made = []
    for i in range(65):
        campaign = world.campaign if i % 3 else old_campaign
        e = f.EvaluationFactory.create(campaign=campaign, unit=unit, project_name=f"项目{i:03d}")
        made.append(publish_directly(e, world.bureau_admin))
    seen: list[int] = []
    query: dict[str, str] = {}
    pages = []
    while True:
        response = client.get(reverse("portal:index"), query)
        rows = response.context["page"].rows
        pages.append(len(rows))
        seen += [p.pk for p in rows]
        if not response.context["next_query"]:
            break
        query = dict(parse_qsl(response.context["next_query"]))
    assert pages == [30, 30, 5]
    expected = sorted(made, key=lambda p: (-p.year, p.department_name, p.unit_name, p.project_name))
    assert seen == [p.pk for p in expected]
    assert response.context["summary"].count == 65  # the figures cover every page
