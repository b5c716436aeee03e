"""Garbage-collection pauses: measured with `gc.callbacks`, logged when they are long.

While the collector runs, a gevent process answers nobody. GC_LOG_MS=N logs every pause of
N ms or more (the bench reads these lines); by default nothing is measured.
"""

from __future__ import annotations

import gc
import logging
import time

from flask import Flask

log = logging.getLogger("facilitator.gc")
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
