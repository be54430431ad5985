from django.apps import AppConfig


class AuditConfig(AppConfig):
    """报告审查: the report auditor's web pages and its background job."""

    name = "jixiao.audit"
    label = "audit"
    verbose_name = "报告审查"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the 报告审查 job handler (jixiao.jobs.registry).
        from jixiao.audit import jobs  # noqa: F401
