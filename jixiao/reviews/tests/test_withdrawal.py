"""撤回公开 (#12.4): a bureau admin withdraws a published report with a reason; the portal keeps the
entry, marked, with when and why and its files' digests (no longer their bytes); a corrected
report is published as the next version beside it."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.evaluations.models import Status
from jixiao.reviews import workflow
from jixiao.reviews.models import FrozenDocument, Publication, Transition, WithdrawnDocument
from jixiao.reviews.services import TransitionRefused, transition, withdraw_publication
from jixiao.reviews.tests.helpers import publish_directly
from jixiao.testing.factories import PASSWORD

REASON = "附件中误含个人身份信息，更正后重新公开"


@pytest.fixture
def small_renders(monkeypatch):
    """Stand-in renderer: different small bytes on every approval (the real ones are tested
    elsewhere and take seconds each)."""
    import jixiao.documents.package as package

    counter = itertools.count(1)

    def render(evaluation, result, fmt, **kwargs):
        return f"render {next(counter)} {fmt}".encode()

    monkeypatch.setattr(package, "render_document", render)


def approve_and_publish(world, e, capture):
    transition(user=world.head, evaluation_id=e.pk, action=workflow.SUBMIT)
    transition(
        user=world.department_reviewer, evaluation_id=e.pk, action=workflow.DEPARTMENT_APPROVE
    )
    with capture(execute=True):  # the freeze job runs after the approval commits
        transition(user=world.bureau_reviewer, evaluation_id=e.pk, action=workflow.BUREAU_APPROVE)
    transition(user=world.bureau_admin, evaluation_id=e.pk, action=workflow.PUBLISH)


def test_withdraw_correct_and_publish_version_two(
    client, world, small_renders, django_capture_on_commit_callbacks
):
    e = world.evaluation
    approve_and_publish(world, e, django_capture_on_commit_callbacks)
    v1 = Publication.objects.get(evaluation=e)
    first_files = {
        d.format: (d.sha256, d.sm3, bytes(d.content))
        for d in FrozenDocument.objects.filter(evaluation=e)
    }
    assert v1.version == 1 and len(first_files) == 4

    withdraw_publication(user=world.bureau_admin, evaluation_id=e.pk, reason=REASON)
    e.refresh_from_db()
    v1.refresh_from_db()
    assert e.status == Status.APPROVED
    assert v1.is_withdrawn and v1.withdrawn_by == world.bureau_admin
    assert v1.withdrawal_reason == REASON
    kept = {d.format: (d.sha256, d.sm3, bytes(d.content)) for d in v1.withdrawn_documents.all()}
    assert kept == first_files
    event = Event.objects.get(action="evaluation.withdraw")
    assert event.details["comment"] == REASON
    assert event.details["publication"]["version"] == 1
    assert event.details["publication"]["files"] == {k: v[0] for k, v in first_files.items()}

    # The portal keeps the entry, marked, with the reason and the digests; the bytes are gone.
    detail = client.get(reverse("portal:detail", args=[v1.pk])).content.decode()
    assert "已撤回" in detail and REASON in detail
    assert all(sha in detail for sha, _sm3, _b in first_files.values())
    assert reverse("portal:download", args=[v1.pk, "pdf"]) not in detail
    gone = client.get(reverse("portal:download", args=[v1.pk, "pdf"]))
    assert gone.status_code == 410
    assert first_files["pdf"][0] in gone.content.decode()
    assert first_files["pdf"][2] not in gone.content
    index = client.get(reverse("portal:index"))
    assert [p.pk for p in index.context["page"].rows] == [v1.pk]
    assert index.context["summary"].count == 0  # listed, not counted

    # Returned to the unit for correction, corrected, resubmitted, approved, published again.
    transition(
        user=world.bureau_reviewer,
        evaluation_id=e.pk,
        action=workflow.CORRECTION_RETURN,
        comment="请删除附件中的个人信息",
    )
    e.refresh_from_db()
    assert e.status == Status.RETURNED and e.is_editable
    e.data["problems"] = ["部分绩效指标量化不够精准（已更正）"]
    e.save()
    approve_and_publish(world, e, django_capture_on_commit_callbacks)
    v2 = Publication.objects.get(evaluation=e, withdrawn_at__isnull=True)
    assert v2.version == 2
    assert [p.version for p in Publication.objects.filter(evaluation=e).order_by("version")] == [
        1,
        2,
    ]
    # The withdrawn record survived the new approval's freeze; the new files differ.
    assert {d.format: d.sha256 for d in v1.withdrawn_documents.all()} == {
        k: v[0] for k, v in first_files.items()
    }
    new_pdf = FrozenDocument.objects.get(evaluation=e, format="pdf")
    assert new_pdf.sha256 != first_files["pdf"][0]
    assert [t.action for t in Transition.objects.filter(evaluation=e)][4:] == [
        "withdraw",
        "correction_return",
        "submit",
        "department_approve",
        "bureau_approve",
        "publish",
    ]

    index = client.get(reverse("portal:index"))
    assert [p.pk for p in index.context["page"].rows] == [v2.pk, v1.pk]
    assert index.context["summary"].count == 1
    detail2 = client.get(reverse("portal:detail", args=[v2.pk])).content.decode()
    assert reverse("portal:detail", args=[v1.pk]) in detail2 and "第 2 版" in detail2
    ok = client.get(reverse("portal:download", args=[v2.pk, "pdf"]))
    assert ok.status_code == 200 and ok["X-Content-SHA256"] == new_pdf.sha256
    assert client.get(reverse("portal:download", args=[v1.pk, "pdf"])).status_code == 410
    api = client.get("/api/public/reports").json()
    assert [(i["id"], i["version"]) for i in api["items"]] == [(e.pk, 2)]
    # Counted from the current publications: the withdrawn first version is not a report.
    assert api["count"] == 1
    of_year = client.get(f"/api/public/reports?year={e.campaign.year}").json()
    assert (of_year["count"], len(of_year["items"])) == (1, 1)
    assert client.get(f"/api/public/reports?year={e.campaign.year - 1}").json()["count"] == 0
    assert api["items"][0]["documents"][0]["sha256"] in {d.sha256 for d in e.frozen_documents.all()}


def test_only_the_bureau_admin_withdraws_and_only_with_a_reason(world):
    e = world.evaluation
    publication = publish_directly(e, world.bureau_admin)
    for user, reason in (
        (world.bureau_reviewer, REASON),
        (world.department_reviewer, REASON),
        (world.bureau_admin, "  "),
    ):
        with pytest.raises((TransitionRefused, Exception)):
            withdraw_publication(user=user, evaluation_id=e.pk, reason=reason)
        publication.refresh_from_db()
        e.refresh_from_db()
        assert not publication.is_withdrawn and e.status == Status.PUBLISHED
    assert not WithdrawnDocument.objects.exists()
    assert not Event.objects.filter(action="evaluation.withdraw").exists()


def test_an_approval_stands_unless_its_publication_was_withdrawn(world):
    e = world.evaluation
    e.status = Status.APPROVED
    e.save()
    with pytest.raises(TransitionRefused) as refused:
        transition(
            user=world.bureau_admin,
            evaluation_id=e.pk,
            action=workflow.CORRECTION_RETURN,
            comment="改一下",
        )
    assert refused.value.problems == ["只有撤回公开后的自评可以退回单位更正"]
    e.refresh_from_db()
    assert e.status == Status.APPROVED


def test_one_current_publication_per_evaluation(world):
    e = world.evaluation
    publication = publish_directly(e, world.bureau_admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Publication.objects.create(
            evaluation=e,
            version=2,
            published_by=world.bureau_admin,
            total=publication.total,
            grade=publication.grade,
            unit_name="x",
        )


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_withdraw_page_confirms_and_the_panel_offers_it_to_the_admin_only(client, world):
    e = world.evaluation
    publication = publish_directly(e, world.bureau_admin)
    url = reverse("reviews:withdraw", args=[e.pk])
    detail = reverse("evaluations:detail", args=[e.pk])
    login(client, world.bureau_reviewer)
    assert url not in client.get(detail).content.decode()
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": REASON, "confirm": "yes"}).status_code == 404
    client.logout()

    login(client, world.bureau_admin)
    assert url in client.get(detail).content.decode()
    page = client.get(url)
    assert page.status_code == 200
    assert FrozenDocument.objects.get(evaluation=e, format="pdf").sha256 in page.content.decode()
    # Not confirmed: nothing happens, the typed reason stays.
    refused = client.post(url, {"reason": REASON})
    assert refused.status_code == 400 and REASON in refused.content.decode()
    publication.refresh_from_db()
    assert not publication.is_withdrawn
    done = client.post(url, {"reason": REASON, "confirm": "yes"})
    assert done.status_code == 302
    publication.refresh_from_db()
    assert publication.is_withdrawn
    panel = client.get(detail).content.decode()
    assert "撤回后退回单位更正" in panel and REASON in panel
    assert reverse("reviews:withdrawn_file", args=[publication.pk, "pdf"]) in panel
    # Nothing current any more: the page sends the admin back.
    assert client.get(url).status_code == 302


def test_the_bureau_keeps_the_withdrawn_bytes_and_the_unit_does_not_get_them(client, world):
    e = world.evaluation
    publication = publish_directly(e, world.bureau_admin)
    withdraw_publication(user=world.bureau_admin, evaluation_id=e.pk, reason=REASON)
    url = reverse("reviews:withdrawn_file", args=[publication.pk, "pdf"])
    login(client, world.editor)
    assert client.get(url).status_code == 404
    client.logout()
    login(client, world.bureau_reviewer)
    response = client.get(url)
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert hashlib.sha256(content).hexdigest() == response["X-Content-SHA256"]
    assert Event.objects.filter(action="document.download_withdrawn").count() == 1
