from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "jixiao.rectification"
    verbose_name = "整改"
