from django.apps import AppConfig


class JobsConfig(AppConfig):
    """后台任务: long work (batch packages, frozen documents, audits) outside the request."""

    name = "jixiao.jobs"
    verbose_name = "后台任务"
