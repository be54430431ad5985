"""WSGI entry point (also what `runserver` serves). Refuses to start with unsafe production settings."""

import os

from django.core.wsgi import get_wsgi_application

from config.production_guard import refuse_unsafe_production_settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()
refuse_unsafe_production_settings()
