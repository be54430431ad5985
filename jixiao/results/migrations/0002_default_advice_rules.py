"""The default advice per grade (结果应用), as 达州市财政局 applies its evaluation results
(swj.dazhou.gov.cn/news-show-6995.html; cycle.md §3, S16). No source fixes a cut percentage: 10%
for 中 is the bureau's to change (docs/decisions.md)."""

from decimal import Decimal

from django.db import migrations

DEFAULTS = (
    ("优", "适当优先保障", None),
    ("良", "据实合理保障", None),
    ("中", "一定比例核减", Decimal("10")),
    ("差", "可取消或暂停下一年度预算", None),
)


def add_defaults(apps, schema_editor):
    AdviceRule = apps.get_model("results", "AdviceRule")
    for grade, advice, cut in DEFAULTS:
        AdviceRule.objects.get_or_create(grade=grade, defaults={"advice": advice, "cut_percent": cut})


def remove_defaults(apps, schema_editor):
    AdviceRule = apps.get_model("results", "AdviceRule")
    AdviceRule.objects.filter(grade__in=[g for g, _a, _c in DEFAULTS]).delete()


class Migration(migrations.Migration):
    dependencies = [("results", "0001_advice_and_result_rows")]

    operations = [migrations.RunPython(add_defaults, remove_defaults)]
