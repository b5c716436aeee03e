"""A countdown on any step: the instructor starts, pauses, extends or clears it.

It lives in the step's state under "countdown" (an absolute deadline, see timers.py), so
projector, phones and controls count down from the same moment. These actions are the
core's, not the kind's: `workshops.act` applies them before a kind sees any action.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from . import day_clock, timers
from .kinds import Rejected
from .timefmt import danish_time, local

KEY = "countdown"
ACTIONS = ("countdown_start", "countdown_pause", "countdown_resume", "countdown_add")
ACTIONS += ("countdown_clear",)
MAX_MINUTES = 240


def _minutes(data: Mapping[str, Any], field: str, default: int) -> int:
    raw = str(data.get(field, default)).strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        raise Rejected("Skriv antal minutter som et tal, fx 15.") from None
    if not 0 < value <= MAX_MINUTES:
        raise Rejected(f"Nedtællingen skal være mellem 1 og {MAX_MINUTES} minutter.")
    return round(value * 60)


def _until(kl: str, now: datetime) -> float:
    """Seconds from now to clock time `kl` today in Copenhagen ("Pause til kl. 10.15")."""
    try:
        target = day_clock.at_kl(local(now).date(), kl)
    except day_clock.ClockError as exc:
        raise Rejected(str(exc)) from None
    seconds = (target - now).total_seconds()
    if seconds <= 0:
        raise Rejected(f"Klokken er allerede over kl. {kl}. Vælg et antal minutter i stedet.")
    if seconds > MAX_MINUTES * 60:
        raise Rejected(f"Nedtællingen kan højst vare {MAX_MINUTES} minutter.")
    return seconds


def apply(
    state: Mapping[str, Any], action: str, data: Mapping[str, Any], now: datetime
) -> dict[str, Any] | None:
    """The step's new state after a countdown action; None when `action` is the kind's."""
    if action not in ACTIONS:
        return None
    timer = state.get(KEY)
    if action == "countdown_start" and data.get("until"):
        return {**state, KEY: timers.start(_until(str(data["until"]), now), now)}
    if action == "countdown_start":
        return {**state, KEY: timers.start(_minutes(data, "minutes", 10), now)}
    if timer is None and action != "countdown_clear":
        raise Rejected("Der er ingen nedtælling på dette trin.")
    if action == "countdown_pause":
        return {**state, KEY: timers.pause(timer, now)}
    if action == "countdown_resume":
        return {**state, KEY: timers.resume(timer, now)}
    if action == "countdown_add":
        return {**state, KEY: timers.add(timer, _minutes(data, "minutes", 1), now)}
    return {k: v for k, v in state.items() if k != KEY}


def shown(state: Mapping[str, Any] | None, now: datetime) -> dict[str, Any] | None:
    """What the screens show: the timer, whether it is paused, and the clock time it ends."""
    timer = (state or {}).get(KEY)
    if not timer:
        return None
    view = timers.show(timer, now)
    ends = None
    if view["deadline_ms"] is not None:
        ends = danish_time(datetime.fromisoformat(timer["deadline"]))
    return {**view, "ends": ends, "paused": timers.paused(timer)}
