"""操作日志 sentences that read in the viewer's language.

A log entry's ``summary`` is stored as one Chinese sentence (the record, exported and searched as
it is). ``log_text(template, **params)`` makes that sentence from a catalogue template and keeps
the template and its parameters beside it (``Event.summary_text``), so the log page can say
the same thing in English (``summary_in_language``). Parameters that are themselves catalogue
words (a workflow step's label, a status) are kept as their msgid and translated too; names and
numbers are data and stay as recorded. ``makemessages`` extracts the templates (its
``--keyword=log_text``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


class LogText(str):
    """The Chinese sentence, carrying the template and parameters it was made from."""

    template: str
    params: dict[str, str]
    words: list[str]  # the parameters that are catalogue words (translated on display)


def log_text(template: str, **params: Any) -> LogText:
    with translation.override(settings.LANGUAGE_CODE):
        values = {key: str(value) for key, value in params.items()}
        sentence = LogText(str(template).format(**values))
    sentence.template = str(template)
    sentence.params = values
    sentence.words = sorted(key for key, value in params.items() if isinstance(value, Promise))
    return sentence


def stored_form(summary: str) -> dict[str, Any] | None:
    """What record_event keeps in ``Event.summary_text`` (None for a plain sentence)."""
    if not isinstance(summary, LogText):
        return None
    return {"template": summary.template, "params": summary.params, "words": summary.words}


def summary_in_language(summary: str, stored: dict[str, Any] | None) -> str:
    """The entry's sentence in the active language: the stored template translated and filled,
    or the stored sentence as it is (entries recorded before, or a template no longer known)."""
    if (
        not isinstance(stored, dict)
        or not stored
        or translation.get_language() == settings.LANGUAGE_CODE
    ):
        return summary
    try:
        params = dict(stored["params"])
        for key in stored.get("words") or []:
            params[key] = translation.gettext(params[key])
        return translation.gettext(stored["template"]).format(**params)
    except (KeyError, IndexError, ValueError, TypeError):
        return summary
