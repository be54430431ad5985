"""Trigram indexes for 账号管理's search over usernames and people's names (issue 14: 150,000
accounts at 50,000 units; ``icontains`` was a sequential scan of them). PostgreSQL only, and only
where pg_trgm can be created; elsewhere the search scans, as before."""

from django.db import migrations

from jixiao.web.trigram import trigram_indexes

TRIGRAM_INDEXES = (
    ("user_username_trgm", "username"),
    ("user_display_name_trgm", "display_name"),
)


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0003_organisation_kind_and_search"),
    ]

    operations = [trigram_indexes("organisations_user", TRIGRAM_INDEXES)]
