"""Reads the API needs beyond the apps' own selectors, scoped the same way (unit_scope_q)."""

from __future__ import annotations

from django.db.models import F, FilteredRelation, Q, QuerySet
from django.http import Http404

from jixiao.campaigns.models import Campaign
from jixiao.evaluations.models import Evaluation, Status
from jixiao.organisations.models import User
from jixiao.organisations.selectors import unit_fk_scope_q
from jixiao.reviews.models import Publication


def campaigns_visible_to(*, user: User) -> QuerySet[Campaign]:
    """The bureau sees every campaign; a department or unit the campaigns it has a task in."""
    if not user.is_authenticated or user.organisation_id is None:
        return Campaign.objects.none()
    if user.is_bureau_user:
        return Campaign.objects.all()
    ids = Evaluation.objects.filter(unit_fk_scope_q(user, "unit")).values("campaign_id")
    return Campaign.objects.filter(pk__in=ids)


def get_campaign(*, user: User, campaign_id: int) -> Campaign:
    campaign = campaigns_visible_to(user=user).filter(pk=campaign_id).first()
    if campaign is None:
        raise Http404
    return campaign


def published_evaluations(*, year: int | None = None) -> QuerySet[Evaluation]:
    """What the public may read: published evaluations only, each with its current publication's
    fields as ``pub_*`` annotations (one join; a withdrawn version is not a current report)."""
    queryset = (
        Evaluation.objects.annotate(
            current=FilteredRelation(
                "publications", condition=Q(publications__withdrawn_at__isnull=True)
            )
        )
        .filter(status=Status.PUBLISHED, current__isnull=False)
        .annotate(
            pub_unit_name=F("current__unit_name"),
            pub_department_name=F("current__department_name"),
            pub_total=F("current__total"),
            pub_grade=F("current__grade"),
            pub_published_at=F("current__published_at"),
            pub_version=F("current__version"),
        )
        .select_related("campaign", "unit", "unit__parent")
        .defer("data")  # the list never shows the content; it can be large
        .order_by("-campaign_year", "department_name", "unit_name", "project_name", "pk")
    )
    if year is not None:
        queryset = queryset.filter(campaign_year=year)
    return queryset


def published_count_query(*, year: int | None = None) -> QuerySet[Publication]:
    """The rows of published_evaluations, to count: one current publication each, counted from
    the publications (of the year: an index range) with the evaluation's state tested through
    its state index — counting from the evaluations joined every published one of every year
    (640 ms for a province's year; docs/scale.md)."""
    current = Publication.objects.filter(
        withdrawn_at__isnull=True, evaluation__status=Status.PUBLISHED
    )
    return current if year is None else current.filter(year=year)
