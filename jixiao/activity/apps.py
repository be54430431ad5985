from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "jixiao.activity"
    verbose_name = "操作日志"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_out

        from jixiao.activity import jobs  # noqa: F401  (registers the log export's job)
        from jixiao.activity.auth_events import record_logout

        user_logged_out.connect(record_logout, dispatch_uid="jixiao.activity.record_logout")
