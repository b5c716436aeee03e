"""Garbage collection on a live server: tuned at start-up, pauses measured when asked.

While the collector runs, a gevent process answers nobody, and a full collection walks every
object the process holds. Two standard measures keep the pauses short (GC_TUNE, on unless
set to 0): `gc.freeze()` once the app is built moves its long-lived objects (modules,
templates, the kinds) out of the collector's sight, and a higher first threshold makes young
collections, and so full ones, rarer. GC_LOG_MS=N logs every pause of N ms or more (the
bench reads these lines).
"""

from __future__ import annotations

import gc
import logging
import time

from flask import Flask

log = logging.getLogger("facilitator.gc")
# Young objects between collections (Python's default is 700): a room's burst of requests
# allocates that many in a few milliseconds; the older generations keep their defaults.
YOUNG_THRESHOLD = 50_000
_started: list[float] = []
_threshold_s: list[float] = []


def _callback(phase: str, info: dict) -> None:
    if phase == "start":
        _started[:] = [time.perf_counter()]
        return
    if not _started:
        return
    took = time.perf_counter() - _started.pop()
    if took >= _threshold_s[0]:
        log.warning(
            "gc pause %.1f ms (generation %s, %s collected)",
            took * 1000,
            info.get("generation"),
            info.get("collected"),
        )


def init_app(app: Flask) -> None:
    """Start measuring when GC_LOG_MS is set; once per process, whatever the number of apps."""
    limit = app.config.get("GC_LOG_MS")
    if limit is None or _callback in gc.callbacks:
        return
    _threshold_s[:] = [float(limit) / 1000]
    gc.callbacks.append(_callback)


def tune(app: Flask) -> None:
    """Freeze what start-up built and collect young objects less often (GC_TUNE)."""
    if not app.config.get("GC_TUNE"):
        return
    gc.collect()
    gc.freeze()
    _young, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)
