"""The words of an 操作日志 entry in templates."""

from __future__ import annotations

from django import template

from jixiao.activity.actions import CATEGORY_LABELS, action_label

register = template.Library()


@register.filter
def action_words(code: str) -> str:
    return action_label(code)


@register.filter
def category_words(key: str) -> str:
    return str(CATEGORY_LABELS.get(key, key))
