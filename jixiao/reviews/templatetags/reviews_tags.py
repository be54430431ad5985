"""Template helpers of the review pages."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def evaluation_url(evaluation_id: int) -> str:
    """``{{ e.pk|evaluation_url }}``: the evaluation's page, where the review panel lives."""
    from jixiao.reviews.views import evaluation_url as url

    return url(evaluation_id)


@register.filter
def item(mapping: object, key: str) -> object:
    """``{{ draft.sections|item:key }}``: a dict value by a variable key ("" when absent)."""
    if isinstance(mapping, dict):
        return mapping.get(key, "")
    return ""


@register.simple_tag
def kept_draft(draft: object, evaluation_id: int, action: str) -> dict[str, object] | None:
    """The refused step's typed comments if they belong to this evaluation and action."""
    if (
        isinstance(draft, dict)
        and draft.get("evaluation") == evaluation_id
        and draft.get("action") == action
    ):
        return draft
    return None


@register.filter
def status_words(status: str) -> str:
    """A stored status code in words (待审核 …)."""
    from jixiao.reviews.selectors import status_label

    return status_label(status)
