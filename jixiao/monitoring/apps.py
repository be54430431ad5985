from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """绩效运行监控 (双监控): in-year monitoring rounds, reports, warnings."""

    name = "jixiao.monitoring"
    verbose_name = "绩效运行监控"

    def ready(self) -> None:
        # Registers the warning-list export job with jixiao.jobs.
        from jixiao.monitoring import jobs  # noqa: F401
