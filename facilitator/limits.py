"""Rate limits with Flask-Limiter: in memory for the embedded default, in Redis on a server.

Counted where every process of an installation sees the same numbers (RATELIMIT_STORAGE_URI,
the message queue's Redis by default), and under the installation's own key prefix. Views
and the socket's answers call `hit(key, limit)` with a key of their own.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app, render_template, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from limits.storage import MemoryStorage

# Per phone, whichever transport its answers take (phone view and socket submit count).
ANSWERS = "60 per minute"
ANSWERS_TOO_MANY = "Du har sendt mange svar på kort tid. Vent et øjeblik, og prøv igen."
# Wrong passwords, per account and per client address; a right one never counts.
LOGIN_FAILURES = "10 per 15 minutes"
LOGIN_FAILURES_PER_ADDRESS = "50 per 15 minutes"

TOO_MANY = "Der er kommet for mange forsøg på kort tid. Vent et øjeblik, og prøv igen."


class CalmMemoryStorage(MemoryStorage):
    """limits' in-memory storage, swept for expired entries once a second.

    The library sweeps every key 10 ms after each hit: with a room answering, that is a
    sweep of a thousand keys a hundred times a second (a tenth of the server's CPU at 1,000
    phones). Expired entries never count either way (each check compares times); the sweep
    only frees memory, so once a second is plenty.
    """

    STORAGE_SCHEME = ["calm-memory"]
    SWEEP_S = 1.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # the library's private hook
        if not self.timer.is_alive():
            self.timer = threading.Timer(self.SWEEP_S, self._MemoryStorage__expire_events)
            self.timer.daemon = True
            self.timer.start()


def _storage_uri(app: Flask) -> str:
    uri = app.config.get("RATELIMIT_STORAGE_URI", "memory://")
    # Only while the library still has the hook this overrides; else its own sweep.
    if uri.startswith("memory://") and hasattr(MemoryStorage, "_MemoryStorage__expire_events"):
        return "calm-" + uri
    return uri


def _storage_options(app: Flask, uri: str) -> dict:
    """A Redis storage waits for a free connection of a bounded pool instead of failing.

    redis-py's own pool refuses the 101st concurrent connection (MaxConnectionsError): with a
    room answering at once, one answer in seven got no acknowledgement at 1,000 phones.
    """
    if not uri.startswith(("redis://", "rediss://", "unix://")):
        return {}
    import redis

    pool = redis.BlockingConnectionPool.from_url(
        uri, max_connections=app.config.get("REDIS_POOL_SIZE", 50), timeout=20
    )
    return {"connection_pool": pool}


def init_app(app: Flask) -> None:
    """Give the app its own limiter (tests make many apps in one process)."""
    uri = _storage_uri(app)
    limiter = Limiter(
        get_remote_address,
        storage_uri=uri,
        storage_options=_storage_options(app, uri),
        strategy="moving-window",
        key_prefix=app.config.get("SOCKETIO_CHANNEL", "facilitator"),
        headers_enabled=False,
    )
    limiter.init_app(app)
    # No route has a limit of its own: the views count what they limit (hit/allow). The
    # extension's check of every request against route limits only costs time.
    checks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in checks:
        checks.remove(limiter._check_request_limit)
    app.extensions["facilitator_limiter"] = limiter

    @app.errorhandler(429)
    def too_many(_exc: Exception):  # noqa: ANN202
        return render_template("error.html", code=429, message=TOO_MANY), 429


def _limiter() -> Limiter:
    return current_app.extensions["facilitator_limiter"]


def _scope() -> str:
    # The installation's own prefix: two installations on one Redis count apart.
    return current_app.config.get("SOCKETIO_CHANNEL", "facilitator")


def hit(key: str, limit: str) -> bool:
    """Count one event for `key`; False when that goes over `limit` (then it is not counted)."""
    return _limiter().limiter.hit(parse(limit), _scope(), key)


def test(key: str, limit: str) -> bool:
    """True while `key` is still under `limit`, without counting anything."""
    return _limiter().limiter.test(parse(limit), _scope(), key)


def answers_allowed(participant_ids: list[int]) -> list[bool]:
    """Count one answer for each phone of a burst (HTTP and socket alike); False for those that
    sent too many.

    On Redis the burst is counted in one pipeline of the library's own moving-window script:
    one round trip instead of one per answer (a sixth of a scaled-out answer's server time).
    """
    item = parse(ANSWERS)
    keys = [item.key_for(_scope(), f"answers:p{pid}") for pid in participant_ids]
    storage = _limiter().limiter.storage
    script = getattr(storage, "lua_acquire_moving_window", None)
    if script is None or len(keys) < 2:  # memory, or a single answer: the library's own call
        return [storage.acquire_entry(key, item.amount, item.get_expiry()) for key in keys]
    pipe = storage.get_connection().pipeline(transaction=False)
    now = time.time()
    for key in keys:
        pipe.evalsha(
            script.sha, 1, storage.prefixed_key(key), now, item.amount, item.get_expiry(), 1
        )
    counted = pipe.execute(raise_on_error=False)
    # A Redis that lost its scripts (a restart) answers NOSCRIPT: the library's call loads it.
    return [
        storage.acquire_entry(key, item.amount, item.get_expiry()) if isinstance(ok, Exception)
        else bool(ok)
        for key, ok in zip(keys, counted, strict=True)
    ]  # fmt: skip


def clear(key: str, limit: str) -> None:
    """Forget what was counted for `key` (a successful login clears its failures)."""
    _limiter().limiter.clear(parse(limit), _scope(), key)


def allow(scope: str, key: str, per_minute: int) -> bool:
    """Count one attempt of `key` in `scope`; False (and not counted) when over the limit."""
    return hit(f"{scope}:{key}", f"{per_minute} per minute")


ANSWER_MESSAGE = "Du har sendt mange svar på kort tid. Vent et øjeblik, og prøv igen."


def client_key() -> str | None:
    """Who is asking, for per-client limits: the address the request came from.

    None for the machine itself (make bench, or a reverse proxy whose X-Forwarded-For is not
    applied): there one address is everyone, and counting it as one client would lock a
    whole room out. Per-workshop limits still hold for it.
    """
    addr = request.remote_addr or ""
    return None if addr.startswith("127.") or addr in {"", "::1"} else addr


def allow_client(scope: str, per_minute: int) -> bool:
    """Count one attempt of this request's client in `scope` (see client_key)."""
    key = client_key()
    return key is None or allow(scope, key, per_minute)
