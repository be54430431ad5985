"""Numbers too large for the database in paths and query strings answer 404 (pages) or 422 (API).

``?offset=99999999999999999999``, ``?page=…`` and ids longer than any row's reached the database and
answered 500. Every URL pattern with a number in its path is requested with oversized ids, and every
page and API list with oversized numbers in every query parameter the views read.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from jixiao.web.bounded_numbers import MAX_ID, IdConverter
from tests.test_access_matrix import (
    FIXED,
    FIXED_BY_VIEW,
    KWARG_KINDS,
    Objects,
    matrix_rows,
    objects,
    url_patterns,
)

__all__ = ["matrix_rows", "objects"]  # the access matrix's fixtures, reused

HUGE = (
    "99999999999999999999",  # above 2**64
    str(2**63),  # one above the largest bigint
    "9" * 200,
)
# Every number the views read from a query string.
QUERY_NUMBERS = ("page", "offset", "limit", "campaign", "year", "parent", "organisation", "unit")


def _numbered_patterns() -> list[tuple[str, tuple[str, ...]]]:
    return [
        (name, kwargs)
        for name, kwargs in sorted(url_patterns().items())
        if any(KWARG_KINDS.get(k) not in (None, "fixed") for k in kwargs)
    ]


NUMBERED = _numbered_patterns()


def _kwargs(view: str, names: tuple[str, ...], number: str) -> dict[str, Any]:
    return {
        name: FIXED_BY_VIEW.get(view, {}).get(name, FIXED[name])
        if KWARG_KINDS[name] == "fixed"
        else number
        for name in names
    }


def _path(view: str, names: tuple[str, ...], number: str) -> str:
    # reverse() with a small stand-in, then the stand-in replaced: reverse() itself refuses
    # numbers the converter does not accept, and the point is what the server answers to them.
    return reverse(view, kwargs=_kwargs(view, names, "7654321")).replace("7654321", number)


def test_there_are_numbered_urls() -> None:
    assert len(NUMBERED) > 20


@pytest.mark.parametrize(("view", "names"), NUMBERED, ids=[v for v, _ in NUMBERED])
def test_an_oversized_id_in_a_path_is_not_found(
    view: str, names: tuple[str, ...], objects: Objects
) -> None:
    client = Client()
    client.force_login(objects.users["admin"])
    for number in HUGE:
        url = _path(view, names, number)
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            # The API validates the body first: an empty one is a 400 before the id is looked up.
            expected = (400, 404, 422) if url.startswith("/api/") else (404,)
            assert response.status_code in expected or response.status_code == 405, (
                f"{method.upper()} {url}: {response.status_code}"
            )


def test_every_numeric_url_part_is_a_bounded_id() -> None:
    """Pages use ``<id:…>`` (404 beyond a bigint); the API's own patterns are validated by pydantic."""
    loose = [
        name
        for name, kwargs in NUMBERED
        if not name.startswith("api:")
        and any(
            type(converter) is not IdConverter
            for kwarg, converter in _converters(name).items()
            if KWARG_KINDS.get(kwarg) not in (None, "fixed")
        )
    ]
    assert loose == []


def _converters(view: str) -> dict[str, Any]:
    from django.urls import get_resolver

    def walk(resolver: Any, namespace: str | None, found: dict[str, Any]) -> dict[str, Any]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry, entry.namespace or namespace, {**found, **entry.pattern.converters})
            elif isinstance(entry, URLPattern) and entry.name:
                name = f"{namespace}:{entry.name}" if namespace else entry.name
                if name == view:
                    raise _Found({**found, **entry.pattern.converters})
        return found

    try:
        walk(get_resolver(), None, {})
    except _Found as hit:
        return hit.converters
    raise AssertionError(view)


class _Found(Exception):
    def __init__(self, converters: dict[str, Any]) -> None:
        self.converters = converters


QUERY_PAGES = [
    name
    for name in sorted(url_patterns())
    if not name.startswith("api:openapi") and name != "api:api-root"
]


@pytest.mark.parametrize("view", QUERY_PAGES)
def test_oversized_numbers_in_a_query_string_are_not_a_server_error(
    view: str, objects: Objects
) -> None:
    client = Client()
    client.force_login(objects.users["admin"])
    url = reverse(view, kwargs=objects.kwargs(view, url_patterns()[view], "admin", own=True))
    for number in (HUGE[0], HUGE[2]):
        for name in QUERY_NUMBERS:
            response = client.get(f"{url}?{name}={number}")
            assert response.status_code < 500, f"GET {url}?{name}={number}: {response.status_code}"


API_NUMBERS = {
    "api:list_evaluations": ("offset", "limit", "year", "campaign"),
    "api:list_campaigns": ("offset", "limit"),
    "api:public_reports": ("offset", "limit", "year"),
}


@pytest.mark.parametrize("view", sorted(API_NUMBERS))
def test_the_api_answers_422_to_oversized_numbers(view: str, objects: Objects) -> None:
    client = Client()
    client.force_login(objects.users["admin"])
    url = reverse(view)
    for number in HUGE:
        for name in API_NUMBERS[view]:
            response = client.get(f"{url}?{name}={number}")
            assert response.status_code == 422, f"GET {url}?{name}={number}"
    assert client.get(f"{url}?offset=0&limit=5").status_code == 200


def test_the_api_answers_422_to_an_oversized_id(objects: Objects) -> None:
    client = Client()
    client.force_login(objects.users["admin"])
    for number in HUGE:
        response = client.get(f"/api/evaluations/{number}")
        assert response.status_code == 422, number
    assert client.get(f"/api/evaluations/{MAX_ID}").status_code == 404
