"""What running on a server needs: proxy headers, request log, cache headers, HSTS."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask


def init_app(app: Flask) -> None:
    """Install the server-side pieces; call after live.init_app (ProxyFix wraps Socket.IO)."""
    # Imported here: `facilitator run` imports this package before gevent patches.
    from . import assets, compression, gcwatch, proxy, requestlog

    proxy.init_app(app)
    requestlog.init_app(app)
    assets.init_app(app)
    compression.init_app(app)
    gcwatch.init_app(app)

    @app.after_request
    def strict_transport(response):  # noqa: ANN001, ANN202
        # Only behind https: a browser that saw this never tries plain http again for a year.
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def tune_gc(app: Flask) -> None:
    """Tune the garbage collector once the app is built (ops/gcwatch.py)."""
    from . import gcwatch

    gcwatch.tune(app)
