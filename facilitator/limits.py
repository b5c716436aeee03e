"""Limits on how often one client may do a thing: answers, re-entry attempts, logins.

One sliding window per (scope, key) in this process. Server mode replaces the storage
with a shared one, so N processes do not make a limit N times looser.
"""

from __future__ import annotations

import threading
import time
from collections import deque

ANSWERS_PER_MINUTE = 60
ANSWER_MESSAGE = "Du har sendt mange svar på kort tid. Vent et øjeblik, og prøv igen."

_recent: dict[tuple[str, str], deque[float]] = {}
_lock = threading.Lock()


def allow(scope: str, key: str, per_minute: int) -> bool:
    """Count one attempt of `key` in `scope`; False (and not counted) when over the limit."""
    now = time.monotonic()
    with _lock:
        window = _recent.get((scope, key))
        if window is None:
            window = _recent[(scope, key)] = deque()
        while window and window[0] < now - 60:
            window.popleft()
        if len(window) >= per_minute:
            return False
        window.append(now)
        if len(_recent) > 100_000:  # forget idle windows: the dict must not grow forever
            for stale in [k for k, w in _recent.items() if not w or w[-1] < now - 60]:
                del _recent[stale]
        return True


def allow_answer(token: str) -> bool:
    """A phone (or a script) may not flood the room: at most N answers a minute."""
    return allow("answer", token, ANSWERS_PER_MINUTE)


def client_key() -> str | None:
    """Who is asking, for per-client limits: the address the request came from.

    None for the machine itself (make bench, or a reverse proxy whose X-Forwarded-For is not
    applied): there one address is everyone, and counting it as one client would lock a
    whole room out. Per-workshop limits still hold for it.
    """
    from flask import request

    addr = request.remote_addr or ""
    return None if addr.startswith("127.") or addr in {"", "::1"} else addr


def allow_client(scope: str, per_minute: int) -> bool:
    """Count one attempt of this request's client in `scope` (see client_key)."""
    key = client_key()
    return key is None or allow(scope, key, per_minute)
