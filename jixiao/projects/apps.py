from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """项目库: a unit's projects per year with their budgets by fund source."""

    name = "jixiao.projects"
    verbose_name = "项目库"
