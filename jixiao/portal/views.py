"""The public portal (绩效信息公开): published self-evaluations, their scores and frozen files.

No login. Only published evaluations exist here; the files served are the exact bytes frozen when
the bureau approved the evaluation (FrozenDocument), so anyone can check them against the SHA-256.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jixiao.portal import selectors
from jixiao.reviews.downloads import fallback_name, frozen_response

PAGE_SIZE = 30


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Published reports by year, department and unit, with score and grade; 30 a keyset page."""
    filters = selectors.PortalFilters.from_query(request.GET)
    page = selectors.portal_page(filters, cursor=request.GET.get("after") or None)
    keep = {k: v for k, v in request.GET.items() if k not in ("after", "page") and v}
    options = selectors.filter_options(department=filters.department)
    return render(
        request,
        "portal/index.html",
        {
            "filters": filters,
            "options": options,
            # A city has hundreds of units: the unit list follows the chosen department.
            "unit_choices": [(pk, name) for pk, name, _dept in options.units],
            "summary": selectors.summary(filters),
            "page": page,
            "filter_query": urlencode(keep),
            "next_query": urlencode(keep | {"after": page.next_cursor}) if page.next_cursor else "",
        },
    )


@require_safe
def detail(request: HttpRequest, publication_id: int) -> HttpResponse:
    publication = selectors.get_publication(publication_id=publication_id)
    return render(
        request,
        "portal/detail.html",
        {
            "publication": publication,
            "documents": selectors.documents_of(publication),
            "versions": selectors.versions_of(publication),
            "result": selectors.published_result(publication),
        },
    )


@require_safe
def download(request: HttpRequest, publication_id: int, fmt: str) -> HttpResponse:
    """The frozen bytes, exactly; the Chinese file name per RFC 5987 (filename*=UTF-8'').

    A file of a withdrawn publication is gone (410) with a page giving its digests: the public
    record stays checkable, the withdrawn content is no longer handed out (docs/decisions.md)."""
    withdrawn = selectors.get_withdrawn_document(publication_id=publication_id, fmt=fmt)
    if withdrawn is not None:
        return render(request, "portal/withdrawn_file.html", {"document": withdrawn}, status=410)
    document = selectors.get_document(publication_id=publication_id, fmt=fmt)
    return frozen_response(
        request,
        document,
        fallback=fallback_name(f"jixiao-{publication_id}", fmt),
        public=True,
    )
