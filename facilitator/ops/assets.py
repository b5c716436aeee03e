"""Fingerprinted static files: URLs carry a content hash, so they can be cached for a year."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600


@cache
def _file_hash(path: str) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:12]
    except OSError:  # a missing file gets no fingerprint and 404s as before
        return ""


def init_app(app: Flask) -> None:
    """Add ?v=<hash> to every url_for of a static file and of /kinds.css."""
    static = Path(app.static_folder or "")

    def fingerprint(endpoint: str, values: dict[str, Any]) -> str:
        if endpoint == "static":
            return _file_hash(str(static / values.get("filename", "")))
        return app.extensions.get("kinds_css_hash", "")

    @app.url_defaults
    def _add_version(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint not in ("static", "kinds_css") or "v" in values:
            return
        if version := fingerprint(endpoint, values):
            values["v"] = version

    @app.after_request
    def _cache(response: Response) -> Response:
        if request.endpoint not in ("static", "kinds_css") or response.status_code != 200:
            return response
        asked = request.args.get("v")
        if asked and asked == fingerprint(request.endpoint, dict(request.view_args or {})):
            # The URL changes whenever the content does: a year, never revalidated.
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            response.cache_control.no_cache = None
        else:
            response.cache_control.max_age = 0
            response.cache_control.no_cache = True
        return response
