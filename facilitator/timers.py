"""Countdown timers as absolute UTC deadlines kept in a step's state.

No server thread and no per-second broadcast: every screen counts down from the same deadline
with the server's clock (fragments carry the server's now), and a screen re-fetches when its
countdown ends, so whatever follows the deadline is computed from `now` on the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

Timer = dict[str, Any]


def start(seconds: float, now: datetime) -> Timer:
    """A running timer that ends `seconds` from now."""
    return {"deadline": (now + timedelta(seconds=seconds)).isoformat(), "left_ms": None}


def remaining_ms(timer: Timer | None, now: datetime) -> int:
    """Milliseconds left (0 when ended or never started)."""
    if not timer:
        return 0
    if timer.get("left_ms") is not None:
        return int(timer["left_ms"])
    if not timer.get("deadline"):
        return 0
    left = datetime.fromisoformat(timer["deadline"]) - now
    return max(0, int(left.total_seconds() * 1000))


def expired(timer: Timer | None, now: datetime) -> bool:
    return bool(timer) and not paused(timer) and remaining_ms(timer, now) == 0


def paused(timer: Timer | None) -> bool:
    return bool(timer) and timer.get("left_ms") is not None


def pause(timer: Timer, now: datetime) -> Timer:
    if paused(timer):
        return dict(timer)
    return {"deadline": None, "left_ms": remaining_ms(timer, now)}


def resume(timer: Timer, now: datetime) -> Timer:
    if not paused(timer):
        return dict(timer)
    return start(timer["left_ms"] / 1000, now)


def add(timer: Timer, seconds: float, now: datetime) -> Timer:
    """More time: extends a running or paused timer, restarts an ended one."""
    if paused(timer):
        return {"deadline": None, "left_ms": timer["left_ms"] + int(seconds * 1000)}
    return start(remaining_ms(timer, now) / 1000 + seconds, now)


def show(timer: Timer | None, now: datetime) -> dict[str, Any]:
    """What the `timer` template macro needs."""
    if not timer:
        return {"deadline_ms": None, "paused_left": None}
    if paused(timer):
        return {"deadline_ms": None, "paused_left": int(timer["left_ms"])}
    deadline = datetime.fromisoformat(timer["deadline"])
    return {"deadline_ms": int(deadline.timestamp() * 1000), "paused_left": None}


# ---- a step's running clock with pauses -----------------------------------------------------
# Kinds whose schedule is many turns in a row (ordet rundt, interview) keep one clock in the
# step's state: "started", "pauses" [[begin, end|None], ...] and maybe "stopped". Every turn
# ends at a fixed amount of active (unpaused) time, so pausing moves all deadlines at once.


def _dt(value: str) -> datetime:
    return datetime.fromisoformat(value)


def clock_paused(state: Mapping[str, Any]) -> bool:
    pauses = state.get("pauses") or []
    return bool(pauses) and pauses[-1][1] is None


def active_ms(state: Mapping[str, Any], t: datetime) -> int:
    """Milliseconds of running (not paused) time from the start to `t`."""
    if not state.get("started"):
        return 0
    started = _dt(state["started"])
    if state.get("stopped"):
        t = min(t, _dt(state["stopped"]))
    total = t - started  # exact: timedelta arithmetic, no float rounding
    for begin, end in state.get("pauses") or []:
        a = max(_dt(begin), started)
        b = min(_dt(end) if end else t, t)
        if b > a:
            total -= b - a
    return max(0, total // timedelta(milliseconds=1))


def clock_timer(state: Mapping[str, Any], ends_at_ms: int, left_ms: int | None) -> Timer:
    """A timer for a countdown that ends at `ends_at_ms` of active time.

    While running, the deadline is exactly the same on every render and every screen:
    the start, plus the pauses so far, plus the active ms at which the countdown ends.
    """
    if clock_paused(state):
        return {"deadline": None, "left_ms": left_ms}
    wall = _dt(state["started"]) + timedelta(milliseconds=ends_at_ms)
    for begin, end in state.get("pauses") or []:
        wall += _dt(end) - _dt(begin)
    return {"deadline": wall.isoformat(), "left_ms": None}


def pause_clock(state: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    if clock_paused(state):
        return dict(state)
    return {**state, "pauses": [*(state.get("pauses") or []), [now.isoformat(), None]]}


def resume_clock(state: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    if not clock_paused(state):
        return dict(state)
    pauses = [list(p) for p in state["pauses"]]
    pauses[-1][1] = now.isoformat()
    return {**state, "pauses": pauses}
