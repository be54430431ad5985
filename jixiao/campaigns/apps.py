from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "jixiao.campaigns"
    verbose_name = "自评工作"
