"""Per-participant limits on submissions: a phone (or a script) may not flood the room."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

ANSWERS_PER_MINUTE = 60
ANSWER_MESSAGE = "Du har sendt mange svar på kort tid. Vent et øjeblik, og prøv igen."

_recent: dict[str, deque[float]] = defaultdict(deque)
_lock = threading.Lock()


def allow_answer(token: str) -> bool:
    """Count one answer of the phone with this token; False when it is over the limit."""
    now = time.monotonic()
    with _lock:
        window = _recent[token]
        while window and window[0] < now - 60:
            window.popleft()
        if not window:
            _recent.pop(token, None)
            window = _recent[token]
        if len(window) >= ANSWERS_PER_MINUTE:
            return False
        window.append(now)
        return True
