"""PDF rendering: the HTML renderer laid out by WeasyPrint with Debian's CJK fonts.

Cover and body are laid out as two documents and joined, so the body is numbered from 1 while the
cover carries no number. WeasyPrint subsets the embedded fonts; with Debian's libharfbuzz-subset0
installed it does so through HarfBuzz, which is far faster than its fontTools fallback for CJK
fonts (figures in docs/documents.md).
"""

from __future__ import annotations

import threading

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from jixiao.documents.render.html import render_body_html, render_cover_html
from jixiao.documents.report_model import Report

_local = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, reused across documents.

    A fresh configuration per document reloads the CJK fonts (tens of MiB each) and leaves them in
    reference cycles: a long-running process then grows by ~100 MiB per PDF until the garbage
    collector runs. Reusing it keeps memory flat and saves the reload. Not shared across threads:
    WeasyPrint does not promise that it is thread-safe.
    """
    config: FontConfiguration | None = getattr(_local, "font_config", None)
    if config is None:
        config = FontConfiguration()
        _local.font_config = config
    return config


def render_pdf(report: Report) -> bytes:
    fonts = _font_config()
    cover = HTML(string=render_cover_html(report)).render(font_config=fonts)
    body = HTML(string=render_body_html(report)).render(font_config=fonts)
    pdf = cover.copy([*cover.pages, *body.pages]).write_pdf()
    assert pdf is not None
    return pdf
