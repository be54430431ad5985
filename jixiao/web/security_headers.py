"""Content-Security-Policy and Permissions-Policy on every response.

Scripts come only from our own static files (htmx and ECharts are vendored): no inline script, no
inline event handler, no eval. Data for scripts travels in data-* attributes or in
``<script type="application/json">`` (json_script), which the browser never executes. Styles come
only from our stylesheets (no style attributes; widths from data are set by web/site.js through the
CSSOM, which the policy allows), and htmx's own indicator style is turned off by the htmx-config meta
tag in web/base.html. Written here rather than taken from django-csp: one fixed policy for every
page needs no nonces and no per-view configuration.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        # ECharts' and Swagger UI's icons are data: URIs.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
# No page uses any of these powerful features; a script injected in spite of the CSP cannot either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


STYLE_BLOCK = re.compile(r"<style>(.*?)</style>", re.S)


def policy_allowing_styles(styles: Iterable[str]) -> str:
    """The policy plus these exact <style> blocks, by digest (for a page that shows a document,
    such as the report preview's srcdoc frame, which inherits the page's policy)."""
    digests = sorted(
        {
            "'sha256-" + base64.b64encode(hashlib.sha256(css.encode()).digest()).decode() + "'"
            for css in styles
        }
    )
    if not digests:
        return CONTENT_SECURITY_POLICY
    return CONTENT_SECURITY_POLICY.replace(
        "style-src 'self'", "style-src 'self' " + " ".join(digests), 1
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
