"""The scoring core's messages in the user's language (issue 8.17).

``scoring`` stays free of Django: its flags, problems and reasons are ``scoring.messages.Msg`` —
the Chinese text, plus the Chinese template (marked with ``N_`` for makemessages) and parameters.
Here, at the edge, the template is translated with gettext and the parameters are substituted
after translation; rule-set names (``Term``) take their English name from the rule-set. Documents
and the CLI never come through here: they print the Chinese text as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language, gettext

from scoring.messages import render


def english() -> bool:
    return (get_language() or "").startswith("en")


def scoring_text(message: Any) -> str:
    """A scoring message (or a 缺项清单 item carrying one) in the active language."""
    source = getattr(message, "source", message)  # a LinkedProblem keeps what it was made from
    if english():
        return render(source, gettext, english=True)
    return str(message)


def scoring_texts(messages: Any) -> list[str]:
    return [scoring_text(m) for m in messages]
