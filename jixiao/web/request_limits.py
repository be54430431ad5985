"""Request-body caps per route, checked on Content-Length before a byte of the body is read.

Without them a 200 MB anonymous POST to /login/ was spooled to a temporary file by Django's multipart
parser (DATA_UPLOAD_MAX_MEMORY_SIZE bounds form fields only, never uploaded files). Each route gets
the largest body it can legitimately receive: a few KB for sign-in, a form's worth for every other
page and the API, and the upload forms' own file limits (plus room for the multipart envelope) on the
routes that take files. Django never reads past Content-Length (its LimitedStream stops there), so a
request that declares a small body cannot stream a large one; a body without a Content-Length is
read as empty.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

KB = 1024
MB = 1024 * KB
# Form fields and the multipart boundaries around the files.
ENVELOPE = 1 * MB


def _evidence() -> int:
    return int(settings.JIXIAO_EVIDENCE_MAX_BYTES) + ENVELOPE


def _audit_upload() -> int:
    from jixiao.audit.forms import MAX_FILES
    from jixiao.audit.readers import MAX_FILE_BYTES

    return MAX_FILES * MAX_FILE_BYTES + ENVELOPE


def _audit_prefill() -> int:
    from jixiao.audit.readers import MAX_FILE_BYTES

    return MAX_FILE_BYTES + ENVELOPE


def _unit_import() -> int:
    from jixiao.organisations.forms import MAX_UPLOAD_BYTES

    return MAX_UPLOAD_BYTES + ENVELOPE


def _project_import() -> int:
    from jixiao.projects.forms import MAX_IMPORT_BYTES

    return MAX_IMPORT_BYTES + ENVELOPE


def _ruleset_upload() -> int:
    from jixiao.campaigns.forms import MAX_SHEET_BYTES

    return MAX_SHEET_BYTES + ENVELOPE


def _sign_in() -> int:
    return 16 * KB


def _default() -> int:
    return int(settings.JIXIAO_MAX_REQUEST_BYTES)


# URL name → the largest body it accepts. Every route not named here gets JIXIAO_MAX_REQUEST_BYTES.
ROUTE_LIMITS: dict[str, Callable[[], int]] = {
    "login": _sign_in,
    "logout": _sign_in,
    "set_language": _sign_in,
    "accounts:password_change": _sign_in,
    "accounts:two_factor": _sign_in,
    "accounts:two_factor_verify": _sign_in,
    "evaluations:evidence": _evidence,
    "rectification:evidence_upload": _evidence,
    "audit_web:upload": _audit_upload,
    "audit_web:prefill": _audit_prefill,
    "organisations:import": _unit_import,
    "campaigns:rulesets": _ruleset_upload,
    "projects:import": _project_import,
}


def body_limit(path_info: str) -> int:
    try:
        name = resolve(path_info).view_name
    except Resolver404:
        return _sign_in()  # nothing answers there but a 404: it needs no body
    return ROUTE_LIMITS.get(name, _default)()


def _declared_length(request: HttpRequest) -> int | None:
    raw = request.META.get("CONTENT_LENGTH") or "0"
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _human(size: int) -> str:
    return f"{size / MB:.0f} MB" if size >= MB else f"{max(1, size // KB)} KB"


class RequestBodyLimitMiddleware:
    """413 when the declared body is larger than the route accepts (400 when it is not a number)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _declared_length(request)
        if length is None:
            return _refusal(request, 400, _("请求的长度无效。"))
        if length:
            limit = body_limit(request.path_info)
            if length > limit:
                message = _(
                    "提交的内容太大（%(size)s），此处最多接受 %(limit)s。请减小文件或分批提交。"
                ) % {"size": _human(length), "limit": _human(limit)}
                return _refusal(request, 413, message)
        return self.get_response(request)


def _refusal(request: HttpRequest, status: int, message: str) -> HttpResponse:
    # The body is never read; the connection is closed so the client stops sending it.
    if request.path_info.startswith("/api/"):
        response: HttpResponse = JsonResponse({"detail": message}, status=status)
    else:
        html = render_to_string("web/refused.html", {"message": message}, request=None)
        response = HttpResponse(html, status=status)
    response["Connection"] = "close"
    return response
