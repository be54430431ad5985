"""待办: what waits for a person, gathered from every app that has work to hand out.

An app registers a provider in its AppConfig.ready::

    from jixiao.notifications.todo import TodoItem, register_todo

    def my_todo(user, now):  # -> list[TodoItem]
        ...
    register_todo("rectification", my_todo)

A provider returns one item per kind of work with a count (from an aggregate query, never a loop
over rows), the earliest deadline, and the link to the list of that work; items with a zero count
are not shown. It must scope its counts to what the user may see, like any selector.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TodoItem:
    key: str  # "evaluations.fill": stable, for tests and styling
    label: Promise | str  # 待填报
    count: int
    url: str
    deadline: date | None = None  # the earliest deadline among them (a datetime or a date)
    overdue: bool = False  # shown as a warning

    @property
    def has_time(self) -> bool:
        """A deadline with a time of day (a campaign's) rather than a date (a 整改 task's)."""
        return isinstance(self.deadline, datetime)


Provider = Callable[[Any, datetime], list[TodoItem]]
_PROVIDERS: dict[str, Provider] = {}


def register_todo(name: str, provider: Provider) -> Provider:
    """Add (or replace, for the same name) a provider; the 工作台 lists them in this order."""
    _PROVIDERS[name] = provider
    return provider


def registered_providers() -> list[str]:
    return list(_PROVIDERS)


def todo_for(user: Any, *, now: datetime | None = None) -> list[TodoItem]:
    """Every provider's items with something in them. A provider that fails is logged and left
    out, so one broken app does not take the 工作台 down."""
    now = now or timezone.now()
    items: list[TodoItem] = []
    for name, provider in _PROVIDERS.items():
        try:
            items += [item for item in provider(user, now) if item.count]
        except Exception:
            logger.exception("待办 provider %s failed", name)
    return items
