"""What one autosave costs the server (issue 14: autosave p95 ≤ 500 ms under load): a fixed number
of queries, and a row lock on the evaluation alone — not on its campaign, which every save and
every transition of the city's campaign would otherwise queue on."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from jixiao.activity.models import Event
from jixiao.evaluations import services
from jixiao.evaluations.models import Evaluation, Revision
from jixiao.evaluations.tests.conftest import client_for
from jixiao.reviews import services as review_services


def test_an_autosave_costs_a_fixed_number_of_queries_and_still_logs_and_versions(
    world, form_of, django_assert_num_queries
):
    e = world.evaluation
    edit = reverse("evaluations:edit", args=[e.pk, "other"])
    autosave = reverse("evaluations:autosave", args=[e.pk, "other"])
    client = client_for(world.editor)
    data = form_of(client, edit)
    data["other-other"] = "第一次自动保存"
    assert "已自动保存" in client.post(autosave, data).content.decode()  # anchors the revisions
    data["other-other"], data["version"] = "第二次自动保存", "2"
    # session, user; the evaluation and its rule-set (the form); savepoint; the evaluation locked
    # with its campaign, bureau, unit, department and project in one query; the approved targets;
    # the revision chain's anchor; the rule-set (scoring, and the over-completion line: one read);
    # the row, its revision, the 操作日志 entry (the editor's organisation is the unit already
    # read); release.
    with django_assert_num_queries(13):  # 19 before the lock query read them
        html = client.post(autosave, data).content.decode()
    assert "已自动保存" in html and 'id="entry-version" value="3"' in html
    e.refresh_from_db()
    assert e.version == 3 and e.data["other"] == "第二次自动保存"
    assert Revision.objects.filter(evaluation=e, version=3).exists()
    event = Event.objects.filter(action="evaluation.save").order_by("-pk").first()
    assert event is not None and event.details["version"] == 3
    assert event.actor_organisation_name == world.editor.organisation.name

    # Another window's save of the same field, based on version 3, after this one: refused.
    other = client_for(world.head)
    theirs = form_of(other, edit)
    data["other-other"], data["version"] = "第三次自动保存", "3"
    assert "已自动保存" in client.post(autosave, data).content.decode()
    theirs["other-other"] = "另一窗口写的"
    html = other.post(autosave, theirs).content.decode()
    assert "未自动保存：他人已保存更新的版本" in html
    e.refresh_from_db()
    assert e.version == 4 and e.data["other"] == "第三次自动保存"


def _campaign_row_free(campaign_id: int, out: list[bool]) -> None:
    """From another database session: can the campaign's row be locked right now?"""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM campaigns_campaign WHERE id = %s FOR UPDATE NOWAIT", [campaign_id]
            )
            out.append(True)
    except Exception:  # psycopg's LockNotAvailable, wrapped by Django as OperationalError
        out.append(False)
    finally:
        connections.close_all()


def _evaluation_row_free(evaluation_id: int, out: list[bool]) -> None:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM evaluations_evaluation WHERE id = %s FOR UPDATE NOWAIT",
                [evaluation_id],
            )
            out.append(True)
    except Exception:
        out.append(False)
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", ["save", "transition"])
def test_a_save_or_transition_locks_the_evaluation_row_and_not_the_campaign_row(world, path):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks")
    e: Evaluation = world.evaluation
    with transaction.atomic():
        if path == "save":
            locked = services._locked_for_edit(user=world.editor, evaluation_id=e.pk)
        else:
            locked = review_services._scoped_for_update(world.head, e.pk)
        assert locked.pk == e.pk
        campaign: list[bool] = []
        evaluation: list[bool] = []
        for target, args in (
            (_campaign_row_free, (e.campaign_id, campaign)),
            (_evaluation_row_free, (e.pk, evaluation)),
        ):
            thread = threading.Thread(target=target, args=args)
            thread.start()
            thread.join(30)
    assert evaluation == [False]  # the evaluation is held: two saves still take turns
    assert campaign == [True]  # the campaign is not: other units' saves do not wait for this one
