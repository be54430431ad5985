"""Template tags other apps' pages use to show 整改 without importing this app in their views:
last year's tasks in a self-evaluation (entry and reviewer view), and the 下达整改任务 links."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from jixiao.rectification import selectors, services

register = template.Library()


@register.simple_tag(takes_context=True)
def raise_task_url(context: dict[str, Any], kind: str, source_id: Any, **extra: Any) -> str:
    """The 下达整改任务 link for a source, or "" when the user may not raise tasks."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not services.may_raise(user):
        return ""
    query = {"kind": kind, "id": str(source_id), **{k: str(v) for k, v in extra.items()}}
    return f"{reverse('rectification:create')}?{urlencode(query)}"


@register.inclusion_tag("rectification/_evaluation.html", takes_context=True)
def rectification_for_evaluation(
    context: dict[str, Any], evaluation: Any, with_problems: bool = True
) -> dict[str, Any]:
    """上年整改情况 for the evaluation's unit, and (for those who raise tasks) the report's own
    存在问题 with a link each."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shown": False}
    problems = [str(p) for p in (evaluation.data or {}).get("problems") or []]
    can_raise = services.may_raise(user)
    return {
        "shown": True,
        "request": request,
        "evaluation": evaluation,
        "previous": selectors.previous_year_tasks(user=user, evaluation=evaluation),
        "previous_year": evaluation.campaign.year - 1,
        "problems": [(f"{evaluation.pk}:{i}", text) for i, text in enumerate(problems)]
        if with_problems and can_raise
        else [],
    }
