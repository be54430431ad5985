from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "jixiao.reviews"
    verbose_name = "审核与公开"
