from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """项目库: a unit's projects per year with their budgets by fund source."""

    name = "jixiao.projects"
    verbose_name = "项目库"

    def ready(self) -> None:
        # Registers the import job's handler (jixiao.jobs.registry).
        from jixiao.projects import jobs  # noqa: F401
