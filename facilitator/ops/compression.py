"""Compressed responses: pages by Flask-Compress, fingerprinted assets compressed once in memory."""

from __future__ import annotations

import gzip
from functools import lru_cache
from typing import Any

from flask import Flask, Response, request

# Only what a browser asks for with a fingerprint is precompressed: such a URL never changes
# content, so its compressed bytes can be kept for the life of the process.
ASSET_ENDPOINTS = ("static", "kinds_css")


@lru_cache(maxsize=64)
def _compressed(path: str, data: bytes, encoding: str) -> bytes:
    """The asset's bytes compressed at the highest level, once per content and encoding."""
    if encoding == "br":
        import brotli  # installed with Flask-Compress

        return brotli.compress(data, quality=11)
    return gzip.compress(data, compresslevel=9, mtime=0)


def _encoding(accept: str) -> str | None:
    """The best encoding the client accepts among br and gzip (q=0 refuses one)."""
    offered = {}
    for part in accept.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 0.0 if params.replace(" ", "") in ("q=0", "q=0.0") else 1.0
        offered[name.strip()] = quality
    for name in ("br", "gzip"):
        if offered.get(name, 0.0) > 0:
            return name
    return None


def init_app(app: Flask) -> None:
    """Compress HTML, fragments and JSON per response, and fingerprinted assets once."""
    from flask_compress import Compress

    defaults: dict[str, Any] = {
        # Brotli for browsers over https, gzip for the rest; zstd and deflate add nothing here.
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_BR_LEVEL": 4,
        # Streamed downloads (exports) are left alone; assets are handled below.
        "COMPRESS_STREAMS": False,
    }
    for key, value in defaults.items():
        app.config.setdefault(key, value)
    # Registered first so that it runs last (Flask runs after_request in reverse): it then
    # sees the assets' Content-Encoding and leaves them as they are.
    Compress(app)

    @app.after_request
    def _compress_asset(response: Response) -> Response:
        if request.endpoint not in ASSET_ENDPOINTS or response.status_code != 200:
            return response
        if not request.args.get("v") or "Content-Encoding" in response.headers:
            return response
        response.vary.add("Accept-Encoding")
        encoding = _encoding(request.headers.get("Accept-Encoding", ""))
        if encoding is None:
            return response
        response.direct_passthrough = False
        data = response.get_data()
        # Keyed by path and content, not by the query: a made-up ?v= cannot grow the cache.
        body = _compressed(request.path, data, encoding)
        if len(body) >= len(data):
            return response
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}-{encoding}", weak=weak)
        return response
