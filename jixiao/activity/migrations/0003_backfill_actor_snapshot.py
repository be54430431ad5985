"""Fill the actor snapshot of entries written before it existed.

The names as they were at the time are lost for those rows; the best the log can hold is the
names as they are at this migration, which from now on no later rename changes.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    Event = apps.get_model("activity", "Event")
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Organisation = apps.get_model("organisations", "Organisation")
    for event in Event.objects.select_related("actor", "actor__organisation").iterator():
        actor = event.actor
        organisation = actor.organisation if actor is not None else None
        unit_id = None
        if event.target_type == "evaluations.evaluation" and event.target_id.isdigit():
            unit_id = (
                Evaluation.objects.filter(pk=int(event.target_id))
                .values_list("unit_id", flat=True)
                .first()
            )
        elif event.target_type == "organisations.organisation" and event.target_id.isdigit():
            unit_id = (
                Organisation.objects.filter(pk=int(event.target_id), kind="unit")
                .values_list("pk", flat=True)
                .first()
            )
        if unit_id is None and organisation is not None and organisation.kind == "unit":
            unit_id = organisation.pk
        Event.objects.filter(pk=event.pk).update(
            actor_username=actor.username if actor is not None else "",
            actor_name=(actor.display_name or actor.username) if actor is not None else "",
            actor_role=actor.role if actor is not None else "",
            actor_organisation=organisation,
            actor_organisation_name=organisation.name if organisation is not None else "",
            unit_id=unit_id,
        )


def clear(apps, schema_editor):
    Event = apps.get_model("activity", "Event")
    Event.objects.update(
        actor_username="",
        actor_name="",
        actor_role="",
        actor_organisation=None,
        actor_organisation_name="",
        unit=None,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("activity", "0002_event_actor_snapshot"),
        ("evaluations", "0001_initial"),
        ("organisations", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, clear)]
