"""Searches of one or two characters (王, 教育 — the common Chinese ones) in the 单位选择器 and
账号管理: a stored column of each searched name's characters and character pairs with a GIN
index (web.trigram.gram_columns; PostgreSQL only), which the trigram indexes of 0003/0004
cannot replace for so short a term."""

from django.db import migrations

from jixiao.web.trigram import gram_columns


class Migration(migrations.Migration):
    dependencies = [("organisations", "0004_user_search_trigram_indexes")]

    operations = [
        gram_columns("organisations_organisation", ("name",)),
        gram_columns("organisations_user", ("username", "display_name")),
    ]
