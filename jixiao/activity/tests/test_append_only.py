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


@pytest.mark.parametrize(
    "role",
    [
        "anonymous",
        "unit_editor",
        "unit_head",
        "department_reviewer",
        "bureau_reviewer",
        "bureau_admin",
    ],
)
def test_no_role_can_change_or_remove_an_entry_over_http(client, world, event, role):
    from django.urls import get_resolver, reverse

    if role != "anonymous":
        client.force_login(world.user(role))
    before = list(Event.objects.values_list("pk", "summary", "action", "at"))
    urls = [
        reverse("activity:list"),
        reverse("activity:export"),
        f"/activity/{event.pk}/",
        f"/activity/{event.pk}/delete/",
        f"/admin/activity/event/{event.pk}/change/",
        f"/admin/activity/event/{event.pk}/delete/",
        f"/api/activity/{event.pk}",
        f"/api/events/{event.pk}",
    ]
    for url in urls:
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(
                url, {"summary": "改过"}, content_type="application/json"
            )
            assert response.status_code in (302, 401, 403, 404, 405), (url, method)
    after = list(
        Event.objects.exclude(action="login.logout").values_list("pk", "summary", "action", "at")
    )
    assert after == before
    # Nothing in the URL map or the API edits the log: its only routes are the page and its export.
    routes = _routes(get_resolver().url_patterns)
    assert sorted(r for r in routes if "activity" in r or "event" in r) == [
        "activity/",
        "activity/export.xlsx",
    ]


def _routes(patterns, prefix=""):  # type: ignore[no-untyped-def]
    from django.urls import URLResolver

    out = []
    for p in patterns:
        if isinstance(p, URLResolver):
            out += _routes(p.url_patterns, prefix + str(p.pattern))
        else:
            out.append(prefix + str(p.pattern))
    return out
