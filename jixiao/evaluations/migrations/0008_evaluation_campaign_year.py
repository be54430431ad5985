"""The campaign's year stored on each evaluation (filled from the campaigns here, then by
jixiao.evaluations.names), the lists' order index on it, and trigram indexes for the searches over
the stored unit, department and project names (PostgreSQL with pg_trgm only; elsewhere the
searches scan). The trigram expressions match what Django's icontains sends:
UPPER("column"::text) LIKE UPPER(%s).
"""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from jixiao.web.trigram import trigram_indexes

TRIGRAM_INDEXES = (
    ("evaluation_unit_name_trgm", "unit_name"),
    ("evaluation_department_name_trgm", "department_name"),
    ("evaluation_project_name_trgm", "project_name"),
)


def backfill(apps, schema_editor):
    Evaluation = apps.get_model("evaluations", "Evaluation")
    Campaign = apps.get_model("campaigns", "Campaign")
    campaign = Campaign.objects.filter(pk=OuterRef("campaign_id"))
    Evaluation.objects.update(
        campaign_year=Coalesce(Subquery(campaign.values("year")[:1]), Value(0))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0004_campaign_project_scope"),
        ("evaluations", "0007_evaluation_progress_counts"),
        ("organisations", "0003_organisation_kind_and_search"),
        ("projects", "0002_import_mapping"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluation",
            name="campaign_year",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="evaluation",
            index=models.Index(
                fields=["-campaign_year", "department_name", "unit_name", "project_name", "id"],
                name="evaluation_list_order",
            ),
        ),
        trigram_indexes("evaluations_evaluation", TRIGRAM_INDEXES),
    ]
