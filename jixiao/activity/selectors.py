"""Reading the 操作日志: the bureau admin's alone; filtered by category, person, unit and date;
paged with a keyset on (at, id), newest first, because the log grows without bound."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from jixiao.activity.models import Event
from jixiao.organisations.models import Role

PAGE_SIZE = 50
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class EventFilter:
    """What the admin narrowed the log to (every part optional)."""

    category: str = ""
    who: str = ""  # username (exact) or part of the name, as stored with the event
    unit: str = ""  # part of the budget unit's name
    date_from: dt.date | None = None
    date_to: dt.date | None = None  # inclusive
    q: str = ""  # part of the summary or the object's label


@dataclass(frozen=True)
class Cursor:
    """A position in the log: the (at, id) of an entry. Written as ``<microseconds>.<id>``."""

    at: dt.datetime
    pk: int

    def __str__(self) -> str:
        return f"{(self.at - _EPOCH) // dt.timedelta(microseconds=1)}.{self.pk}"

    @classmethod
    def parse(cls, text: str) -> Cursor | None:
        """None for anything that is not a cursor this page wrote (never an error page)."""
        micros, _, pk = text.partition(".")
        if not (micros.isdigit() and pk.isdigit() and len(micros) <= 17 and len(pk) <= 18):
            return None
        try:
            at = _EPOCH + dt.timedelta(microseconds=int(micros))
        except OverflowError:
            return None
        return cls(at, int(pk))

    @classmethod
    def of(cls, event: Event) -> Cursor:
        return cls(event.at, event.pk)


@dataclass(frozen=True)
class EventPage:
    events: list[Event]
    newer: Cursor | None  # the first entry shown, when newer entries exist
    older: Cursor | None  # the last entry shown, when older entries exist


def require_log_reader(user: Any) -> None:
    """Only the bureau admin reads the log; anyone else gets 404 (the page does not exist for them)."""
    if getattr(user, "role", "") != Role.BUREAU_ADMIN:
        raise Http404


def filtered_events(*, user: Any, filters: EventFilter) -> QuerySet[Event]:
    require_log_reader(user)
    events = Event.objects.all()
    if filters.category:
        events = events.filter(category=filters.category)
    if filters.who:
        events = events.filter(
            Q(actor_username__iexact=filters.who) | Q(actor_name__icontains=filters.who)
        )
    if filters.unit:
        events = events.filter(
            Q(unit__name__icontains=filters.unit)
            | Q(actor_organisation_name__icontains=filters.unit)
        )
    tz = timezone.get_current_timezone()
    if filters.date_from:
        start = dt.datetime.combine(filters.date_from, dt.time.min, tzinfo=tz)
        events = events.filter(at__gte=start)
    if filters.date_to:
        end = dt.datetime.combine(filters.date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        events = events.filter(at__lt=end)
    if filters.q:
        events = events.filter(
            Q(summary__icontains=filters.q) | Q(target_label__icontains=filters.q)
        )
    return events


def event_page(
    *,
    user: Any,
    filters: EventFilter,
    older_than: Cursor | None = None,
    newer_than: Cursor | None = None,
    size: int = PAGE_SIZE,
) -> EventPage:
    """One page of the filtered log, newest first, starting after ``older_than`` (the next page) or
    ending before ``newer_than`` (the previous page); the first page when neither is given."""
    events = filtered_events(user=user, filters=filters)
    if newer_than is not None:
        rows = list(
            events.filter(
                Q(at__gt=newer_than.at) | Q(at=newer_than.at, pk__gt=newer_than.pk)
            ).order_by("at", "pk")[: size + 1]
        )
        has_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        has_older = True
    else:
        if older_than is not None:
            events = events.filter(
                Q(at__lt=older_than.at) | Q(at=older_than.at, pk__lt=older_than.pk)
            )
        rows = list(events.order_by("-at", "-pk")[: size + 1])
        has_older = len(rows) > size
        rows = rows[:size]
        has_newer = older_than is not None
    return EventPage(
        events=rows,
        newer=Cursor.of(rows[0]) if rows and has_newer else None,
        older=Cursor.of(rows[-1]) if rows and has_older else None,
    )
