"""Delete the temporary files of an upload when the request ends, whatever happened to it.

Django streams each uploaded file above FILE_UPLOAD_MAX_MEMORY_SIZE to a NamedTemporaryFile. When the
upload is interrupted (the client disconnects mid-body, the stream raises, an upload handler fails),
the file being received is not yet among request.FILES, so nothing closes it: it stays on disk until
the garbage collector happens to reach the handler (the exception's traceback keeps it alive), or
for good if the worker is killed first. This middleware closes, at the end of every request that
parsed an upload, every file the upload handlers still hold; a TemporaryUploadedFile deletes its
file when closed.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class UploadCleanupMiddleware:
    """Place before CsrfViewMiddleware, which is the first to parse the body."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            return self.get_response(request)
        finally:
            release_upload_files(request)


def release_upload_files(request: HttpRequest) -> None:
    # Only the handlers of a request that parsed a body (reading request.upload_handlers would
    # create them). upload_interrupted() closes and removes the temporary file, if there is one.
    for handler in request.__dict__.get("_upload_handlers") or ():
        if hasattr(handler, "upload_interrupted"):
            with contextlib.suppress(OSError):
                handler.upload_interrupted()
    files = request.__dict__.get("_files")
    if files is not None:
        for _name, uploads in files.lists():
            for upload in uploads:
                with contextlib.suppress(OSError):
                    upload.close()
