"""Recording audit events. Call inside the service's transaction so the event and the change commit
or roll back together."""

from __future__ import annotations

from typing import Any

from django.db import models

from jixiao.activity.models import Event


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    summary: str,
    details: dict[str, Any] | None = None,
) -> Event:
    """``action`` is a dotted code (``organisation.update``); ``summary`` is the Chinese sentence a
    reviewer reads; ``details`` holds what changed, JSON-safe."""
    return Event.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:300],
        details=details or {},
    )


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
