"""The cookie session, not re-signed on the replies that need no fresh cookie."""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

# Requests a phone sends many of, whose reply never changes who it is.
QUIET_ENDPOINTS = frozenset({"phone.submit"})


class QuietSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; an answer's reply carries no refreshed cookie.

    A phone's session is permanent, so Flask signs and sends its cookie again on every reply
    (a fifth of an answer's request time). The page loads and fragment fetches that every
    phone makes still refresh it, so its month-long life runs from its last visit as before.
    """

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if not session.modified and request.endpoint in QUIET_ENDPOINTS:
            return False
        return super().should_set_cookie(app, session)


def init_app(app: Flask) -> None:
    app.session_interface = QuietSessionInterface()
