from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "jixiao.reviews"
    verbose_name = "审核与公开"

    def ready(self) -> None:
        # Registers the freeze job's handler (jixiao.jobs.registry).
        from jixiao.reviews import jobs  # noqa: F401
