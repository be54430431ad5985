"""Messages the scoring core gives people (flags, problems, reasons), translatable at the edge.

A :class:`Msg` *is* its Chinese text (a ``str``: documents, the CLI, comparisons and joins use it
unchanged) and also keeps the Chinese template it was made from and the parameters, so the web
layer can translate the template (gettext, the template as msgid; jixiao.web.scoring_text) and
substitute the parameters after translation. Templates are marked with :func:`N_` so makemessages
finds them; a parameter may itself be a Msg (translated the same way) or a :class:`Term` (a
rule-set's name that has an English name of its own).

Pure Python, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def N_(text: str) -> str:
    """Marks a string for the translation catalogue without translating it here."""
    return text


class Term(str):
    """A name from a rule-set (an indicator, a band) with its English name, when it has one."""

    en: str

    def __new__(cls, text: str, en: str = "") -> Term:
        item = super().__new__(cls, text)
        item.en = en
        return item

    def __reduce__(self) -> tuple[Any, ...]:
        return (Term, (str(self), self.en))


class Msg(str):
    """A message: ``str(msg)`` is the Chinese text; ``template`` and ``params`` rebuild it in any
    language (``template.format(**params)`` with each parameter rendered the same way)."""

    template: str
    params: Mapping[str, object]

    def __new__(cls, template: str, /, **params: object) -> Msg:
        item = super().__new__(cls, template.format(**{k: str(v) for k, v in params.items()}))
        item.template = template
        item.params = params
        return item

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, dict(self.params)))


def _rebuild(template: str, params: dict[str, object]) -> Msg:
    return Msg(template, **params)


def render(message: object, translate: Any, english: bool = False) -> str:
    """``message`` in the language of ``translate`` (a gettext): Msg templates translated and their
    parameters rendered the same way; a Term by its English name when ``english`` and it has one
    (else through ``translate``); anything else as it is."""
    if isinstance(message, Msg):
        params = {k: render(v, translate, english) for k, v in message.params.items()}
        try:
            return str(translate(message.template)).format(**params)
        except (KeyError, IndexError, ValueError):  # a broken translation: the Chinese text
            return message.template.format(**params)
    if isinstance(message, Term):
        # A rule-set name: its own English name, else the catalogue's (the default band labels).
        return message.en if english and message.en else str(translate(str(message)))
    return str(message)
