"""Correct behind a proxy: trusted X-Forwarded-* headers and the origins Socket.IO accepts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app: Flask) -> None:
    """Trust PROXY_HOPS proxies for client address, scheme, host and port."""
    hops = app.config.get("PROXY_HOPS", 0)
    if hops > 0:
        # Wraps Socket.IO's middleware too, so its same-origin check sees https and the port.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def origin_checker(public_url: str | None) -> Callable[[str | None, dict[str, Any]], bool]:
    """Socket.IO's origin test: the page's own address, or PUBLIC_URL when one is set."""
    public = _origin(public_url) if public_url else None

    def allowed(origin: str | None, environ: dict[str, Any]) -> bool:
        if origin is None:  # not a browser: nothing cross-site to guard against
            return True
        origin = origin.lower().rstrip("/")
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}"
        return origin in {own.lower(), public}

    return allowed
