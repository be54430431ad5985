"""项目库 searches of one or two characters (教育, 卫生 — the common Chinese ones): a stored column
of the project name's and code's characters and character pairs with a GIN index
(web.trigram.gram_columns; PostgreSQL only), which the trigram indexes of 0003 cannot replace for
so short a term (a two-character term read all 200,000 projects of a province)."""

from django.db import migrations

from jixiao.web.trigram import gram_columns


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_register_order_and_search")]

    operations = [gram_columns("projects_project", ("name", "code"))]
