"""The portal's stored order: each publication's year and project, and their index."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Each publication's year and project from its evaluation (what they were when published:
    neither can change once an evaluation is handed in)."""
    Publication = apps.get_model("reviews", "Publication")
    Evaluation = apps.get_model("evaluations", "Evaluation")
    own = Evaluation.objects.filter(pk=OuterRef("evaluation_id"))
    Publication.objects.update(
        year=Subquery(own.values("campaign__year")[:1]),
        project_name=Subquery(own.values("project_name")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0013_evaluation_status_changed_at"),
        ("reviews", "0005_backfill_status_changed_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="project_name",
            field=models.CharField(blank=True, max_length=200, verbose_name="项目名称（公开时）"),
        ),
        migrations.AddField(
            model_name="publication",
            name="year",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="年度"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="publication",
            index=models.Index(
                fields=["-year", "department_name", "unit_name", "project_name", "-version", "id"],
                name="publication_portal_order",
            ),
        ),
    ]
