from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """待办 and 通知: the 工作台's to-do registry, the inbox, email and SMS deliveries."""

    name = "jixiao.notifications"
    verbose_name = "通知"

    def ready(self) -> None:
        # The 待办 providers of the apps that were here before this one (evaluations, reviews);
        # later apps (monitoring, rectification) register theirs in their own ready().
        from jixiao.notifications import providers

        providers.register_builtin_providers()
