"""Celery application. In the embedded default (no CELERY_BROKER_URL) tasks run eagerly in-process."""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("jixiao")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def _refuse_unsafe_settings(**_: object) -> None:
    # A worker signs nothing users see today, but it runs with the same settings as the site: a
    # deployment with a development key is refused here too rather than half-started.
    from config.production_guard import refuse_unsafe_production_settings

    refuse_unsafe_production_settings()
