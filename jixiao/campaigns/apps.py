from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "jixiao.campaigns"
    verbose_name = "自评工作"

    def ready(self) -> None:
        # Registers the 报送进度 Excel job handler (jixiao.jobs.registry).
        from jixiao.campaigns import jobs  # noqa: F401
