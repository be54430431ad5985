"""makemessages that also extracts the project's short lazy aliases.

Some modules import ``gettext_lazy as _lazy`` (evaluations/sections.py) or ``as _l``
(reviews/selectors.py), because ``_`` is already the eager gettext there. xgettext only knows the
standard names (nor scoring's ``N_`` marker), so without these keywords their strings would translate at run time but never
reach locale/en/LC_MESSAGES/django.po.
"""

from __future__ import annotations

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [
        *makemessages.Command.xgettext_options,
        "--keyword=_lazy",
        "--keyword=_l",
        # scoring.report_parts marks the part titles with N_ (gettext_noop: pure Python, no Django).
        "--keyword=N_",
        # jixiao.activity.texts.log_text: a 操作日志 sentence's template.
        "--keyword=log_text",
    ]
