"""The 项目库's order as an index (newest year, code, id: keyset pages are ranges of it), and
trigram indexes for its search over project names and codes (issue 14: 200,000 projects at
50,000 units; the first page sorted all of them, ``icontains`` scanned them). The trigram
indexes are PostgreSQL only, and only where pg_trgm can be created."""

from django.db import migrations, models

from jixiao.web.trigram import trigram_indexes

TRIGRAM_INDEXES = (
    ("project_name_trgm", "name"),
    ("project_code_trgm", "code"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0002_import_mapping"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["-year", "code", "id"], name="project_register_order"),
        ),
        trigram_indexes("projects_project", TRIGRAM_INDEXES),
    ]
