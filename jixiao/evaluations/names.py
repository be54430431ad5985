"""The unit and department names (and the campaign's year) stored on each evaluation for the
progress table's and the lists' order.

Evaluation.department_name and unit_name copy the names of the evaluation's unit and of its
department (issue 14: ordering 50,000 rows by joined names sorted every row on every page). They
are filled when an evaluation is first saved, and rewritten whenever an organisation is saved (a
rename, a move to another department), by the signal handlers below, connected in apps.py.
A rename through ``QuerySet.update`` bypasses them; ``manage.py refresh_summaries`` puts every
evaluation's names right again. Evaluation.campaign_year is filled on the first save too, and
rewritten when a campaign is saved (the year is fixed once tasks exist, but a fix by the admin
must not leave the lists' order behind).
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def fill_names(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """pre_save of Evaluation: a new evaluation (or one moved to another unit) gets the names."""
    if raw:
        return
    if instance.campaign_id is not None and (instance._state.adding or not instance.campaign_year):
        instance.campaign_year = instance.campaign.year
    if instance.unit_id is None:
        return
    if instance.unit_name and not instance._state.adding:
        return
    unit = instance.unit
    instance.unit_name = unit.name
    instance.department_name = unit.parent.name if unit.parent_id else ""


def follow_organisation(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """post_save of Organisation: its evaluations, and its units' evaluations, carry its name."""
    if raw:
        return
    from jixiao.evaluations.models import Evaluation

    parent = instance.parent.name if instance.parent_id else ""
    Evaluation.objects.filter(unit_id=instance.pk).exclude(
        unit_name=instance.name, department_name=parent
    ).update(unit_name=instance.name, department_name=parent)
    Evaluation.objects.filter(unit__parent_id=instance.pk).exclude(
        department_name=instance.name
    ).update(department_name=instance.name)


def follow_campaign(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """post_save of Campaign: its evaluations carry its year."""
    if raw:
        return
    from jixiao.evaluations.models import Evaluation

    Evaluation.objects.filter(campaign_id=instance.pk).exclude(campaign_year=instance.year).update(
        campaign_year=instance.year
    )


def refresh_names(evaluations: Any) -> int:
    """Rewrite the stored names (and campaign year) of ``evaluations`` (a queryset) from the
    organisations and campaigns, in one UPDATE; returns how many rows it wrote."""
    from jixiao.campaigns.models import Campaign
    from jixiao.organisations.models import Organisation

    unit = Organisation.objects.filter(pk=OuterRef("unit_id"))
    campaign = Campaign.objects.filter(pk=OuterRef("campaign_id"))
    return int(
        evaluations.update(
            unit_name=Coalesce(Subquery(unit.values("name")[:1]), Value("")),
            department_name=Coalesce(Subquery(unit.values("parent__name")[:1]), Value("")),
            campaign_year=Coalesce(Subquery(campaign.values("year")[:1]), Value(0)),
        )
    )
