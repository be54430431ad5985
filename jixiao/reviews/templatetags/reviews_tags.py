"""Template helpers of the review pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def evaluation_url(evaluation_id: int) -> str:
    """``{{ e.pk|evaluation_url }}``: the evaluation's page, where the review panel lives."""
    from jixiao.reviews.views import evaluation_url as url

    return url(evaluation_id)
