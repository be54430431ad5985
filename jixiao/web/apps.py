from django.apps import AppConfig
from django.core import checks


class WebConfig(AppConfig):
    name = "jixiao.web"
    verbose_name = "站点"

    def ready(self) -> None:
        from jixiao.web.checks import production_settings_check

        # deploy=True: only `check --deploy`; serving refuses through config.wsgi (production_guard).
        checks.register(production_settings_check, checks.Tags.security, deploy=True)
