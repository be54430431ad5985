"""SM3 digests of frozen documents (#9 beyond) and the published unit/department names (#9.13).

Existing frozen documents get their SM3 computed from the stored bytes; existing publications get
the organisations' names as they are now (the best record there is of the names at publication).
The reverse clears both before the columns go.
"""

from django.db import migrations, models


def fill(apps, schema_editor):
    from jixiao.documents.digests import sm3_hex

    FrozenDocument = apps.get_model("reviews", "FrozenDocument")
    Publication = apps.get_model("reviews", "Publication")
    for pk in FrozenDocument.objects.filter(sm3="").values_list("pk", flat=True):
        # One row's bytes at a time: frozen files are large and a city has thousands.
        content = FrozenDocument.objects.values_list("content", flat=True).get(pk=pk)
        FrozenDocument.objects.filter(pk=pk).update(sm3=sm3_hex(bytes(content)))
    for publication in Publication.objects.select_related("evaluation__unit__parent"):
        unit = publication.evaluation.unit
        publication.unit_name = unit.name
        publication.department_name = unit.parent.name if unit.parent else ""
        publication.save(update_fields=["unit_name", "department_name"])


def clear(apps, schema_editor):
    apps.get_model("reviews", "FrozenDocument").objects.update(sm3="")
    apps.get_model("reviews", "Publication").objects.update(unit_name="", department_name="")


class Migration(migrations.Migration):
    dependencies = [
        ("reviews", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="frozendocument",
            name="sm3",
            field=models.CharField(default="", help_text="SM3 杂凑值（GB/T 32905）", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publication",
            name="unit_name",
            field=models.CharField(default="", max_length=200, verbose_name="单位名称（公开时）"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="publication",
            name="department_name",
            field=models.CharField(
                blank=True, default="", max_length=200, verbose_name="主管部门（公开时）"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, clear),
    ]
