"""`manage.py check --deploy`: the same refusal the WSGI entry point makes, as check errors."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error

from config.production_guard import HOW_TO_FIX, production_problems


def production_settings_check(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    problems = production_problems(
        debug=settings.DEBUG, secret_key=settings.SECRET_KEY, allowed_hosts=settings.ALLOWED_HOSTS
    )
    return [Error(problem, hint=HOW_TO_FIX, id="jixiao.E001") for problem in problems]
