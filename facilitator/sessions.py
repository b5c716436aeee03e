"""The cookie session, not re-signed on the replies that need no fresh cookie."""

from __future__ import annotations

from typing import Any

from flask import Flask, Request, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

# Requests a phone sends many of, whose reply never changes who it is.
QUIET_ENDPOINTS = frozenset({"phone.submit"})


class QuietSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with less work per request.

    - An answer's reply carries no refreshed cookie: a phone's session is permanent, so Flask
      signs and sends its cookie again on every reply (a fifth of an answer's request time).
      The page loads and fragment fetches every phone makes still refresh it, so its
      month-long life runs from its last visit as before.
    - The signer is made once per key, not twice per request; a request without a cookie
      (every Socket.IO event, see live.py) gets its empty session without one.
    """

    def __init__(self) -> None:
        self._signer: tuple[tuple, Any] | None = None

    def get_signing_serializer(self, app: Flask) -> Any:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._signer is None or self._signer[0] != keys:
            self._signer = (keys, super().get_signing_serializer(app))
        return self._signer[1]

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()
        return super().open_session(app, request)

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if not session.modified and request.endpoint in QUIET_ENDPOINTS:
            return False
        return super().should_set_cookie(app, session)


def init_app(app: Flask) -> None:
    app.session_interface = QuietSessionInterface()
