"""``{{ flag.message|scoring_text }}``, ``{{ indicator.name|scoring_text }}``: the scoring core's
messages and rule-set names in the active language (jixiao.web.scoring_text)."""

from __future__ import annotations

from typing import Any

from django import template

from jixiao.web import scoring_text as text

register = template.Library()


@register.filter(name="scoring_text")
def scoring_text(message: Any) -> str:
    return text.scoring_text(message)
