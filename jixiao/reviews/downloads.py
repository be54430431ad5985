"""Serving a frozen document (审定文件): exact bytes, right type, the Chinese name per RFC 5987.

Shared by the reviewers' download (jixiao.reviews.views.frozen) and the public portal's.
"""

from __future__ import annotations

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified

from jixiao.reviews.models import FrozenDocument, WithdrawnDocument

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "data.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "scoring.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "targets.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def content_disposition(filename: str, fallback: str) -> str:
    """An ASCII fallback name for old clients, then the Chinese name (RFC 6266 / RFC 5987)."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def frozen_response(
    request: HttpRequest,
    document: FrozenDocument | WithdrawnDocument,
    *,
    fallback: str,
    public: bool,
) -> HttpResponse:
    etag = f'"{document.sha256}"'
    if etag in request.headers.get("If-None-Match", ""):
        # The bytes never change once frozen: the hash is the perfect validator.
        not_modified = HttpResponseNotModified()
        not_modified["ETag"] = etag
        return not_modified
    content = bytes(document.content)
    response = HttpResponse(
        content, content_type=CONTENT_TYPES.get(document.format, "application/octet-stream")
    )
    response["Content-Disposition"] = content_disposition(document.filename, fallback)
    response["Content-Length"] = str(len(content))
    response["ETag"] = etag
    response["X-Content-SHA256"] = document.sha256
    # Public files may be cached anywhere; a reviewer's copy only by the browser.
    response["Cache-Control"] = "public, max-age=86400" if public else "private, max-age=0"
    return response


def fallback_name(prefix: str, fmt: str) -> str:
    return f"{prefix}-{fmt}" + ("" if "." in fmt else f".{fmt}")
