"""The list (scope, filters, countdown, query count), the overview, and the documents."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from jixiao.evaluations.models import Evaluation, Status
from jixiao.evaluations.tests.conftest import client_for
from jixiao.testing import factories as f


def names(response) -> list[str]:
    return [e.unit.name for e in response.context["evaluations"]]


def test_list_is_scoped_per_role(world):
    url = reverse("evaluations:list")
    assert names(client_for(world.editor).get(url)) == [world.unit.name]
    assert sorted(names(client_for(world.department_reviewer).get(url))) == sorted(
        [world.unit.name, world.other_unit.name]
    )
    assert len(names(client_for(world.bureau_admin).get(url))) == 3
    assert names(client_for(world.other_department_reviewer).get(url)) == [world.foreign_unit.name]


def test_list_filters_by_year_and_status(world):
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(status=Status.SUBMITTED)
    older = f.CampaignFactory.create(bureau=world.bureau, year=2024, title="2024年度自评")
    f.EvaluationFactory.create(campaign=older, unit=world.unit)
    client = client_for(world.bureau_reviewer)
    url = reverse("evaluations:list")
    assert len(names(client.get(url))) == 4
    assert names(client.get(url, {"year": "2024"})) == [world.unit.name]
    assert names(client.get(url, {"status": "submitted"})) == [world.other_unit.name]
    assert names(client.get(url, {"status": "bogus", "year": "x"})) != []
    page = client.get(url, {"year": "2025"}).content.decode()
    assert '<option value="2025" selected>' in page


def test_list_shows_countdown_and_overdue(world):
    Evaluation.objects.filter(pk=world.evaluation.pk).update(
        deadline_override=timezone.now() + dt.timedelta(days=2, hours=1)
    )
    Evaluation.objects.filter(pk=world.other_evaluation.pk).update(
        deadline_override=timezone.now() - dt.timedelta(hours=1)
    )
    page = client_for(world.department_reviewer).get(reverse("evaluations:list")).content.decode()
    assert "剩余 3 天" in page
    assert "已逾期" in page
    assert "98.00" in page and "grade-优" in page


def test_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries):
    for _ in range(10):
        f.EvaluationFactory.create(
            campaign=world.campaign, unit=f.UnitFactory.create(parent=world.department)
        )
    client = client_for(world.bureau_admin)
    # session, user, the years for the filter, the count (first page only), the page's ids in
    # order, the page's rows (with campaign, unit, department and last editor joined in), and the
    # user's organisation for the top bar.
    with django_assert_num_queries(7):
        response = client.get(reverse("evaluations:list"))
    assert len(response.context["evaluations"]) == 13


def test_detail_shows_indicator_table_and_ratios(world):
    page = (
        client_for(world.department_reviewer)
        .get(reverse("evaluations:detail", args=[world.evaluation.pk]))
        .content.decode()
    )
    for text in [
        "新增取得职业技能等级认定证书",
        "158.08%",
        "≥12000 人次",
        "18969 人次",
        "71.43%",
        "15.53%",
        "100.00%",
        "98.00",
        "优秀",
    ]:
        assert text in page, text


def test_detail_of_incomplete_draft_lists_what_is_missing(world):
    e = world.evaluation
    e.data["targets"][1]["actual"] = None
    e.save()
    page = client_for(world.editor).get(reverse("evaluations:detail", args=[e.pk])).content.decode()
    # The rest still scores; the target without its actual value scores nothing and is listed.
    assert "未评分：缺少实际完成值" in page
    assert "88.00" in page  # 98 − the 10 points of that target


@pytest.mark.parametrize(
    ("fmt", "starts", "name"),
    [
        ("txt", "部门整体支出绩效自评报告".encode(), "绩效自评报告.txt"),
        ("docx", b"PK", "绩效自评报告.docx"),
        ("data.xlsx", b"PK", "绩效自评数据表.xlsx"),
        ("scoring.xlsx", b"PK", "绩效自评评分表.xlsx"),
    ],
)
def test_documents_render_from_current_data(world, fmt, starts, name):
    response = client_for(world.department_reviewer).get(
        reverse("evaluations:document", args=[world.evaluation.pk, fmt])
    )
    assert response.status_code == 200
    assert response.content.startswith(starts)
    # One naming rule for previews and frozen files (jixiao/documents/naming.py).
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''" + quote(
        "2025年度" + world.unit.name + name
    )


def test_pdf_document(world):
    response = client_for(world.editor).get(
        reverse("evaluations:document", args=[world.evaluation.pk, "pdf"])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


def test_unknown_format_is_404(world):
    client = client_for(world.editor)
    assert (
        client.get(reverse("evaluations:document", args=[world.evaluation.pk, "exe"])).status_code
        == 404
    )


def test_documents_of_an_incomplete_draft_say_what_is_missing(world):
    e = world.evaluation
    e.data["budget"]["rows"][0]["executed"] = None
    e.save()
    client = client_for(world.editor)
    for url in (
        reverse("evaluations:document", args=[e.pk, "pdf"]),
        reverse("evaluations:preview", args=[e.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 409
        page = response.content.decode()
        assert "暂不能生成报送材料" in page and "预算第 1 行（当年财政拨款） · 全年执行数" in page


def test_html_preview_embeds_the_report(world):
    page = (
        client_for(world.bureau_reviewer)
        .get(reverse("evaluations:preview", args=[world.evaluation.pk]))
        .content.decode()
    )
    assert "<iframe" in page and "sandbox" in page
    assert "部门整体支出绩效自评报告" in page or "绩效自评报告" in page


def test_list_pages_fifty_at_a_time_and_finds_by_name(world, django_assert_max_num_queries):
    for _ in range(55):
        f.EvaluationFactory.create(
            campaign=world.campaign, unit=f.UnitFactory.create(parent=world.department)
        )
    client = client_for(world.bureau_admin)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("evaluations:list"))
    first = response.content.decode()
    assert "共 58 项" in first and first.count('class="status status-') == 50
    cursor = response.context["page"].next_cursor
    assert f'href="?after={cursor}"' in first
    second = client.get(reverse("evaluations:list"), {"after": cursor}).content.decode()
    assert second.count('class="status status-') == 8
    assert "共 58 项" not in second and 'rel="next"' not in second  # counted on page one only
    found = client.get(reverse("evaluations:list"), {"q": "鉴定指导"}).content.decode()
    assert "共 1 项" in found and world.unit.name in found


def test_checklist_counts_what_the_submission_check_asks_for(world):
    e = world.evaluation
    e.data["filled_on"] = None
    e.data["targets"][1]["explanation"] = ""  # T1 over-completes: its explanation is required
    e.save()
    response = client_for(world.editor).get(reverse("evaluations:detail", args=[e.pk]))
    sections = {s.key: n for s, n in response.context["sections"]}
    assert sections["targets"] == 1
    assert sections["cover"] == 1
    assert sections["budget"] == 0 and sections["problems"] == 0
