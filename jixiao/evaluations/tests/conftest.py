"""Helpers for the entry pages' tests: read a rendered form back as the browser would post it."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from jixiao.organisations.models import User


class _FormReader(HTMLParser):
    """Collects the successful controls of one form (by id), as a browser would submit them."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.in_template = 0
        self.values: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._option_value: str | None = None
        self._selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.values[a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.values[a["name"]] = ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._select_first = None
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None:
                self._select_first = value
                self.values.setdefault(self._select, value)
            if "selected" in a:
                self.values[self._select] = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.inside:
            self.inside = False
        if tag == "template" and self.in_template:
            self.in_template -= 1
        if tag == "textarea":
            self._textarea = None
        if tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.inside and not self.in_template:
            # Django renders a newline right after <textarea>; browsers drop it.
            current = self.values[self._textarea]
            self.values[self._textarea] = current + (
                data[1:] if not current and data.startswith("\n") else data
            )


def read_form(html: str, form_id: str = "entry-form") -> dict[str, str]:
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.values


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def form_of() -> Any:
    """form_of(client, url) → the entry form's current values as a POST dict."""

    def load(client: Client, url: str) -> dict[str, str]:
        response = client.get(url)
        assert response.status_code == 200
        return read_form(response.content.decode())

    return load
