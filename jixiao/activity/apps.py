from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "jixiao.activity"
    verbose_name = "操作日志"
