"""Recording audit events. Call inside the service's transaction so the event and the change commit
or roll back together."""

from __future__ import annotations

from typing import Any

from django.db import models

from jixiao.activity.actions import action_category
from jixiao.activity.models import Event
from jixiao.activity.texts import stored_form


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model | None,
    summary: str,
    details: dict[str, Any] | None = None,
    target_type: str = "",
    target_label: str = "",
    unit: Any = None,
    address: str | None = None,
) -> Event:
    """Append one 操作日志 entry.

    ``action`` is a dotted code (``organisation.update``; its Chinese label and category are in
    jixiao.activity.actions); ``summary`` is the Chinese sentence a reviewer reads; ``details``
    holds what changed, JSON-safe (``{"changes": {field: [before, after]}}`` by convention).

    ``target`` may be None for events about no stored object (a failed sign-in with an unknown
    username): then ``target_type``/``target_label`` say what it was about. The actor's username,
    name, role and organisation are copied as they are now, so later renames do not rewrite the log.
    ``unit`` is the budget unit the event concerns; by default it is read from the target (an
    evaluation's unit, a unit itself, a unit account's unit) or else from a unit actor.
    ``address`` is the client's IP address where a request is at hand (sign-in events).
    """
    user = actor if getattr(actor, "pk", None) else None
    organisation = getattr(user, "organisation", None) if user is not None else None
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = str(target.pk)
        target_label = target_label or str(target)
    else:
        target_id = ""
    return Event.objects.create(
        actor=user,
        actor_username=(user.get_username() if user is not None else "")[:150],
        actor_name=(str(user) if user is not None else "")[:150],
        actor_role=(getattr(user, "role", "") or "") if user is not None else "",
        actor_organisation=organisation,
        actor_organisation_name=(organisation.name if organisation is not None else "")[:200],
        action=action,
        category=action_category(action),
        target_type=target_type[:40],
        target_id=target_id[:40],
        target_label=target_label[:300],
        unit=unit if unit is not None else _unit_of(target, organisation),
        address=address or None,
        summary=str(summary)[:300],
        summary_text=stored_form(summary) or {},
        details=details or {},
    )


def _unit_of(target: models.Model | None, actor_organisation: Any) -> Any:
    """The budget unit an event concerns, when the caller does not say."""
    for candidate in (
        target,
        getattr(target, "unit", None),
        getattr(getattr(target, "evaluation", None), "unit", None),
        getattr(target, "organisation", None),
        actor_organisation,
    ):
        if candidate is not None and getattr(candidate, "kind", None) == "unit":
            return candidate
    return None


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose values differ (as strings, JSON-safe)."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
