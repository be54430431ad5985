from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "jixiao.results"
    verbose_name = "结果应用"

    def ready(self) -> None:
        # Registers the refresh job's handler (jixiao.jobs.registry).
        from jixiao.results import jobs  # noqa: F401
