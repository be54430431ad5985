from django.apps import AppConfig
from django.core import checks


class WebConfig(AppConfig):
    name = "jixiao.web"
    verbose_name = "站点"

    def ready(self) -> None:
        from django.urls import register_converter

        from jixiao.web.bounded_numbers import IdConverter
        from jixiao.web.checks import production_settings_check

        # Every numeric URL part is <id:…>: bounded to a bigint, so an oversized id is a 404.
        register_converter(IdConverter, "id")

        from django.contrib.auth.signals import user_logged_in

        from jixiao.web.session_idle import start_clock

        user_logged_in.connect(start_clock, dispatch_uid="jixiao.web.session_idle")
        # deploy=True: only `check --deploy`; serving refuses through config.wsgi (production_guard).
        checks.register(production_settings_check, checks.Tags.security, deploy=True)
