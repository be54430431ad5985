"""Template helpers of the 指标库: figures as shown, and the reviewer's panel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.translation import gettext_lazy as _

from jixiao.indicators import selectors
from scoring.benchmark import format_statistic
from scoring.rounding import format_entered

register = template.Library()

DIRECTION_WORDS = {">=": "≥", "<=": "≤", "=": "=", "range": _("区间")}
POSITION_WORDS = {
    "below": _("低于多数单位（下四分位以下）"),
    "within": _("处于中间水平"),
    "above": _("高于多数单位（上四分位以上）"),
}


@register.filter
def entered(value: Decimal | None) -> str:
    """A target or actual as the unit typed it; — when there is none."""
    return "—" if value is None else format_entered(value)


@register.filter
def statistic(value: Decimal | None) -> str:
    """A computed benchmark figure (half up to 0.01)."""
    return "—" if value is None else format_statistic(value)


@register.filter
def direction_words(value: str) -> Any:
    return DIRECTION_WORDS.get(value, value)


@register.filter
def position_words(value: str) -> Any:
    return POSITION_WORDS.get(value, "")


@register.inclusion_tag("indicators/_target_context.html", takes_context=True)
def target_context_panel(context: Any, declaration: Any, data: Any = None) -> dict[str, Any]:
    """{% target_context_panel declaration %}: each declared target beside the unit's history and
    the benchmark (three queries however many targets). ``data`` shows another version, e.g. a
    requested adjustment's targets."""
    user = context["request"].user
    return {
        "contexts": selectors.target_context(user=user, declaration=declaration, data=data),
        "year": declaration.campaign.year,
    }
