"""指标库 pages: the search, one indicator with its benchmark and history, and the declaration
page's picker (an htmx partial, or JSON). Thin: the selectors scope and compute."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from jixiao.indicators import selectors
from jixiao.indicators.forms import SearchForm
from jixiao.indicators.models import Indicator
from jixiao.web.bounded_numbers import query_int, query_year

PICKER_SIZE = 20


def _page(request: HttpRequest, size: int) -> tuple[SearchForm, selectors.SearchPage]:
    form = SearchForm(request.GET, user=request.user)  # type: ignore[arg-type]
    page = selectors.search(
        user=request.user,  # type: ignore[arg-type]
        filters=form.filters(),
        after=selectors.Cursor.parse(request.GET.get("after", "")),
        size=size,
    )
    return form, page


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    size = query_int(request.GET.get("size"), minimum=1, maximum=selectors.PAGE_SIZE_MAX)
    form, page = _page(request, size or selectors.PAGE_SIZE)
    return render(
        request,
        "indicators/search.html",
        {
            "form": form,
            "page": page,
            "params": form.params(),
            "first": not request.GET.get("after"),
        },
    )


def picker_entry(indicator: Indicator) -> dict[str, Any]:
    """What the picker fills a declaration row with (the contract of indicators/picker.js)."""
    return {
        "id": indicator.pk,
        "kind": indicator.kind,
        "level1": indicator.level1,
        "level2": indicator.level2,
        "name": indicator.name,
        "unit": indicator.measure,
        "direction": indicator.direction,
        "criteria": indicator.criteria,
        "explanation": indicator.explanation,
        "units": indicator.unit_count,
    }


RESULTS_TARGET = "indicator-picker-results"


@login_required
@require_GET
def picker(request: HttpRequest) -> HttpResponse:
    """The declaration page's picker: the whole panel (search box and first results), the results
    alone for the panel's own searches (``?results=1`` or htmx aiming at its results), or JSON
    (``?format=json``)."""
    _form, page = _page(request, PICKER_SIZE)
    entries = [picker_entry(i) for i in page.indicators]
    next_cursor = str(page.next) if page.next else None
    if request.GET.get("format") == "json":
        return JsonResponse({"results": entries, "next": next_cursor})
    params = request.GET.copy()
    for name in ("after", "results"):
        params.pop(name, None)
    context = {"entries": entries, "next": next_cursor, "params": params.urlencode()}
    if request.GET.get("results") or request.headers.get("HX-Target") == RESULTS_TARGET:
        return render(request, "indicators/_picker_results.html", context)
    return render(request, "indicators/_picker.html", context | {"loaded": True})


@login_required
@require_GET
def detail(request: HttpRequest, indicator_id: int) -> HttpResponse:
    found = selectors.indicator_detail(
        user=request.user,  # type: ignore[arg-type]
        indicator_id=indicator_id,
        year=query_year(request.GET.get("year")),
    )
    return render(request, "indicators/detail.html", {"d": found})
