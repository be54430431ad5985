"""#8.6: no one changes or removes an 操作日志 entry — not through the ORM, not in raw SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from jixiao.activity.models import Event, EventIsAppendOnly
from jixiao.activity.services import record_event


@pytest.fixture
def event(world):
    return record_event(
        actor=world.bureau_admin, action="campaign.update", target=world.campaign, summary="原文"
    )


def _unchanged(event: Event) -> None:
    stored = Event.objects.get(pk=event.pk)
    assert (stored.summary, stored.action) == ("原文", "campaign.update")


def test_model_save_of_an_existing_entry_is_refused(event):
    event.summary = "改过"
    with pytest.raises(EventIsAppendOnly):
        event.save()
    _unchanged(event)


def test_model_and_queryset_delete_and_update_are_refused(event):
    with pytest.raises(EventIsAppendOnly):
        event.delete()
    with pytest.raises(EventIsAppendOnly):
        Event.objects.filter(pk=event.pk).delete()
    with pytest.raises(EventIsAppendOnly):
        Event.objects.filter(pk=event.pk).update(summary="改过")
    with pytest.raises(EventIsAppendOnly):
        Event.objects.bulk_update([event], ["summary"])
    _unchanged(event)


def test_the_database_refuses_an_update_in_raw_sql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE activity_event SET summary = %s WHERE id = %s", ["改过", event.pk])
    _unchanged(event)


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite keeps DELETE for the test flush"
)
def test_postgres_refuses_a_delete_in_raw_sql(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM activity_event WHERE id = %s", [event.pk])
    _unchanged(event)
