from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    """指标库: 共性指标 from the rule-sets, 个性指标 collected from approved targets, each use's target
    and actual, searched and benchmarked across units."""

    name = "jixiao.indicators"
    verbose_name = "指标库"
