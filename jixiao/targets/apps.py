from django.apps import AppConfig


class TargetsConfig(AppConfig):
    """绩效目标: targets declared with the budget, reviewed, approved, adjusted; the indicator library."""

    name = "jixiao.targets"
    verbose_name = "绩效目标管理"
