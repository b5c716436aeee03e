"""One log line per request: method, path with codes and tokens hidden, status, time.

Never an address, a name, a query string or a cookie: the log must carry no personal data.
"""

from __future__ import annotations

import logging
import re
import sys
import time

from flask import Flask, Response, g, request

log = logging.getLogger("facilitator.requests")
# Route variables whose values open a workshop or a plan: shown as their name only.
SECRET_ARGS = {"code", "token"}
_VARIABLE = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
# For paths no route matched (404s), the same prefixes redacted by pattern.
_UNMATCHED = re.compile(r"^/(j|p|plan/v|plan)/[^/]+")


class _Stderr(logging.StreamHandler):
    """A handler that writes to whatever sys.stderr is now (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN202
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # noqa: ANN001
        pass


def redacted_path() -> str:
    """The request's path with its secret parts replaced by their names."""
    rule = request.url_rule
    if rule is None:
        return _UNMATCHED.sub(lambda m: f"/{m.group(1)}/<…>", request.path)
    args = request.view_args or {}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        return f"<{name}>" if name in SECRET_ARGS or name not in args else str(args[name])

    return _VARIABLE.sub(fill, rule.rule)


def init_app(app: Flask) -> None:
    """Log every request handled by Flask (Socket.IO's own traffic is not a Flask request)."""
    if not app.config.get("REQUEST_LOG", True):
        return
    if not log.handlers:
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(asctime)s request %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False

    @app.before_request
    def _start() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        started = g.get("request_started")
        ms = (time.perf_counter() - started) * 1000 if started else 0.0
        log.info("%s %s %s %.0fms", request.method, redacted_path(), response.status_code, ms)
        return response
