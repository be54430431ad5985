from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jixiao.portal"
    verbose_name = "公开平台"
