"""The words of an 操作日志 entry in templates."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.activity.actions import CATEGORY_LABELS, action_label
from jixiao.activity.texts import summary_in_language

register = template.Library()


@register.filter
def action_words(code: str) -> str:
    return action_label(code)


@register.filter
def category_words(key: str) -> str:
    return str(CATEGORY_LABELS.get(key, key))


@register.simple_tag
def event_summary(event: Any) -> str:
    """The entry's sentence in the viewer's language (jixiao.activity.texts)."""
    return summary_in_language(event.summary, event.summary_text)
