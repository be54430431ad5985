from django.db import migrations

from jixiao.web.trigram import gram_columns


class Migration(migrations.Migration):
    """Terms of one or two characters, which the trigram indexes of 0008 cannot serve: a stored
    column of each searched name's characters and character pairs, with a GIN index
    (web/trigram.py; PostgreSQL only)."""

    dependencies = [("evaluations", "0013_evaluation_status_changed_at")]

    operations = [
        gram_columns("evaluations_evaluation", ("unit_name", "department_name", "project_name"))
    ]
