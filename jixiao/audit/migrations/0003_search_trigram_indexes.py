"""Trigram indexes for the 审查结果 list's search (file and unit names, ILIKE '%…%').

PostgreSQL only, and only where the pg_trgm extension can be created (a trusted extension since
PostgreSQL 13: the database's owner may create it). Without it the search still works, by
scanning the table (0.2–0.35 s at 50,000 results; with the indexes about 2 ms,
bench/audit_results.py). The expressions match what Django's icontains sends:
UPPER("column"::text) LIKE UPPER(%s).
"""

from django.db import migrations

from jixiao.web.trigram import trigram_indexes

INDEXES = (("audit_file_name_trgm", "name"), ("audit_file_unit_trgm", "unit"))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_audit_results_stored")]

    operations = [trigram_indexes("audit_auditedfile", INDEXES)]
