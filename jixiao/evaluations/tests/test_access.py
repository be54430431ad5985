"""Every page for every role: in scope → the page (read-only unless the unit may edit), out of scope
→ 404, never 403 and never a leak; denied writes change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from jixiao.evaluations.tests.conftest import client_for, read_form

IN_SCOPE = ["editor", "head", "department_reviewer", "bureau_reviewer", "bureau_admin"]
OUT_OF_SCOPE = ["other_editor", "other_department_reviewer"]
EDITORS = {"editor", "head"}


def get_pages(pk: int) -> list[str]:
    return [
        reverse("evaluations:detail", args=[pk]),
        reverse("evaluations:edit", args=[pk, "targets"]),
        reverse("evaluations:edit", args=[pk, "assessments"]),
        reverse("evaluations:evidence", args=[pk]),
        reverse("evaluations:preview", args=[pk]),
        reverse("evaluations:document", args=[pk, "txt"]),
    ]


@pytest.mark.parametrize("who", IN_SCOPE)
def test_in_scope_roles_can_read_every_page(world, who):
    client = client_for(getattr(world, who))
    for url in get_pages(world.evaluation.pk):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_out_of_scope_roles_get_404_everywhere(world, who):
    client = client_for(getattr(world, who))
    for url in get_pages(world.evaluation.pk):
        assert client.get(url).status_code == 404, url
    for url in [
        reverse("evaluations:edit", args=[world.evaluation.pk, "other"]),
        reverse("evaluations:preview_score", args=[world.evaluation.pk, "other"]),
        reverse("evaluations:autosave", args=[world.evaluation.pk, "other"]),
        reverse("evaluations:evidence", args=[world.evaluation.pk]),
    ]:
        assert client.post(url, {"version": "1"}).status_code == 404, url
    world.evaluation.refresh_from_db()
    assert world.evaluation.version == 1


def test_unit_users_do_not_see_other_units(world):
    client = client_for(world.editor)
    for other in (world.other_evaluation, world.foreign_evaluation):
        assert client.get(reverse("evaluations:detail", args=[other.pk])).status_code == 404


def test_department_reviewer_sees_its_units_only(world):
    client = client_for(world.department_reviewer)
    assert (
        client.get(reverse("evaluations:detail", args=[world.other_evaluation.pk])).status_code
        == 200
    )
    assert (
        client.get(reverse("evaluations:detail", args=[world.foreign_evaluation.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("who", IN_SCOPE)
def test_only_the_units_editor_and_head_get_a_writable_form(world, who):
    e = world.evaluation
    url = reverse("evaluations:edit", args=[e.pk, "other"])
    client = client_for(getattr(world, who))
    page = client.get(url).content.decode()
    data = read_form(page)
    data["other-other"] = f"{who} 的修改"
    data["version"] = "1"
    response = client.post(url, data)
    e.refresh_from_db()
    if who in EDITORS:
        assert "hx-post" in page and "只读" not in page
        assert response.status_code == 302
        assert e.version == 2 and e.data["other"] == f"{who} 的修改"
    else:
        assert "只读" in page and "hx-post" not in page and "disabled" in page
        assert response.status_code == 403
        assert e.version == 1 and e.data["other"].startswith("本次自评工作")


@pytest.mark.parametrize("who", IN_SCOPE)
def test_detail_offers_editing_only_to_the_unit(world, who):
    page = (
        client_for(getattr(world, who))
        .get(reverse("evaluations:detail", args=[world.evaluation.pk]))
        .content.decode()
    )
    # The world's evaluation was saved before: its editors continue (继续填报), others only view.
    assert ("继续填报" in page) is (who in EDITORS)
    assert "98.00" in page and "审核流程" in page


def test_anonymous_users_are_sent_to_login(client, world):
    response = client.get(reverse("evaluations:detail", args=[world.evaluation.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize("who", IN_SCOPE)
def test_live_score_and_evidence_download_for_every_role_in_scope(world, who, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jixiao.evaluations.services import attach_evidence
    from jixiao.evaluations.tests.test_evidence import PDF

    settings.MEDIA_ROOT = tmp_path
    e = world.evaluation
    item = attach_evidence(
        user=world.editor,
        evaluation_id=e.pk,
        indicator_code="T1",
        upload=SimpleUploadedFile("台账.pdf", PDF),
    )
    client = client_for(getattr(world, who))
    data = read_form(client.get(reverse("evaluations:edit", args=[e.pk, "other"])).content.decode())
    response = client.post(reverse("evaluations:preview_score", args=[e.pk, "other"]), data)
    assert response.status_code == 200 and "98.00" in response.content.decode()
    download = client.get(reverse("evaluations:evidence_download", args=[e.pk, item.pk]))
    assert download.status_code == 200 and download.content == PDF
    e.refresh_from_db()
    assert e.version == 1  # reading and live scoring write nothing
