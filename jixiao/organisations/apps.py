from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "jixiao.organisations"
    verbose_name = "组织与账号"
