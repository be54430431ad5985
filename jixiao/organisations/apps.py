from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "jixiao.organisations"
    verbose_name = "组织与账号"

    def ready(self) -> None:
        # Registers the 批量导入单位 job's handler (jixiao.jobs.registry).
        from jixiao.organisations import jobs  # noqa: F401
