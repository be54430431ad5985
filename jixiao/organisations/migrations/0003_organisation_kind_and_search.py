"""An index on the organisation's kind (the evaluation lists' scope reads the few bureaus and
departments, not 50,000 units), and trigram indexes for the searches over organisation names and
credit codes (issue 14: ``icontains`` was a sequential scan of every organisation).

The trigram indexes are PostgreSQL only, and only where the pg_trgm extension can be created (a
trusted extension since PostgreSQL 13). Without it the searches still work, by scanning. The
expressions match what Django's icontains sends: UPPER("column"::text) LIKE UPPER(%s).
"""

from django.db import migrations, models

from jixiao.web.trigram import trigram_indexes

TRIGRAM_INDEXES = (
    ("organisation_name_trgm", "name"),
    ("organisation_credit_code_trgm", "credit_code"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_user_sign_in_security"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="organisation",
            index=models.Index(fields=["kind"], name="organisation_kind"),
        ),
        trigram_indexes("organisations_organisation", TRIGRAM_INDEXES),
    ]
