"""Serving pictures with a strict type, and the larger request limit of the upload forms."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, abort, request

from .check import EXTENSIONS, MAX_BYTES
from .store import find

bp = Blueprint("media", __name__)

# Everything else keeps the app's 256 kB (MAX_CONTENT_LENGTH).
BUNDLE_MAX = 12 * 1024 * 1024  # a program file with its pictures, as base64
LARGER = {
    "programs.step_image": MAX_BYTES + 64 * 1024,
    "programs.import_file": BUNDLE_MAX + 64 * 1024,
}
# Even opened directly, a picture can run nothing and fetch nothing.
HEADERS = {
    "Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "public, max-age=31536000, immutable",
    "Cross-Origin-Resource-Policy": "same-origin",
}


def init_app(app: Flask) -> None:
    """Register the picture route, and raise the body limit for the two upload forms only."""
    app.register_blueprint(bp)

    def _larger_uploads() -> None:
        limit = LARGER.get(request.endpoint or "")
        if limit is not None:
            request.max_content_length = limit

    # First of all: the form cleaning and CSRF read the body, and the limit applies then.
    app.before_request_funcs.setdefault(None, []).insert(0, _larger_uploads)


@bp.get("/media/<sha>.<ext>")
def picture(sha: str, ext: str) -> Response:
    """A stored picture by its SHA-256; the address never changes, so it may be cached."""
    row = find(sha)
    if row is None or EXTENSIONS.get(row.content_type) != ext:
        abort(404)
    response = Response(row.data, mimetype=row.content_type)
    response.headers.update(HEADERS)
    response.headers["Content-Disposition"] = f'inline; filename="billede.{ext}"'
    return response
