"""The day clock: each step's planned start, and how far the day is ahead of or behind plan.

A program step may carry a planned length in minutes and a clock time ("kl", Danish local
time). A step without a clock time starts, in the plan, when the step before it ends (a step
without minutes lasts no time); steps before the first clock time are counted back from it.
Without any clock time the plan starts when the first step was started. How late the day is
comes from the furthest step reached: when it actually started against its planned start,
or, if it has run past its planned end, how far past.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from .timefmt import COPENHAGEN, danish_time, local

KL_PATTERN = re.compile(r"^(?:kl\.?\s*)?([01]?[0-9]|2[0-3])(?:[.:]([0-5][0-9]))?$", re.IGNORECASE)
MINUTES_MAX = 600


class ClockError(ValueError):
    """A clock time or planned length that cannot be read; the message is Danish."""


@dataclass(frozen=True)
class PlannedStep:
    """What the plan and the room know about one step."""

    minutes: int | None = None
    kl: str = ""
    started: datetime | None = None  # UTC, when the instructor first showed the step


@dataclass(frozen=True)
class DayStatus:
    """The day against its plan: minutes late (negative: ahead) and the words for it."""

    late_minutes: int
    step: int  # the step the reckoning is from (0-based)

    @property
    def text(self) -> str:
        n = abs(self.late_minutes)
        if n == 0:
            return "Til tiden"
        amount = f"{n // 60} t {n % 60} min" if n >= 60 else f"{n} min"
        return f"{amount} {'bagud' if self.late_minutes > 0 else 'foran'}"

    @property
    def tone(self) -> str:
        return "late" if self.late_minutes >= 5 else "ok"


def read_kl(value: object) -> str:
    """A clock time as the programs write it ("9.00"); "" for none. Raises ClockError."""
    if value is None or value == "":
        return ""
    match = KL_PATTERN.match(str(value).strip()) if isinstance(value, str) else None
    if match is None:
        raise ClockError("«kl» skal være et klokkeslæt som 9.00 eller 13.30.")
    return f"{int(match.group(1))}.{match.group(2) or '00'}"


def read_minutes(value: object) -> int | None:
    """A planned length in whole minutes; None for none. Raises ClockError."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MINUTES_MAX:
        raise ClockError(f"«minutter» skal være et helt tal fra 1 til {MINUTES_MAX}.")
    return value


def at_kl(day: date, kl: str) -> datetime:
    """The moment `kl` on `day` in Copenhagen, in UTC.

    In UTC because adding minutes to a Copenhagen time adds wall-clock minutes: across the
    night daylight saving starts, 1.30 + 60 min would be 2.30, an hour that does not exist.
    """
    hours, minutes = (int(part) for part in read_kl(kl).split("."))
    return datetime.combine(day, time(hours, minutes), tzinfo=COPENHAGEN).astimezone(UTC)


def day_of(steps: Sequence[PlannedStep], now: datetime) -> date:
    """The local date the program runs on: of its first start, else of now (not UTC's date)."""
    starts = [s.started for s in steps if s.started is not None]
    return local(min(starts) if starts else now).date()


def schedule(
    steps: Sequence[PlannedStep], now: datetime, day: date | None = None
) -> list[datetime | None]:
    """Each step's planned start (UTC), or None where the plan does not say.

    The clock times are on `day` (Copenhagen), by default the day the program started.
    """
    length = [timedelta(minutes=s.minutes or 0) for s in steps]
    if not any(s.kl or s.minutes for s in steps):
        return [None] * len(steps)
    day, any_kl = day or day_of(steps, now), any(s.kl for s in steps)
    planned: list[datetime | None] = [None] * len(steps)
    cursor: datetime | None = None
    for i, s in enumerate(steps):
        if s.kl:
            cursor = at_kl(day, s.kl)
        elif cursor is None and not any_kl and s.started is not None:
            cursor = s.started  # no clock time at all: the plan starts when the day did
        planned[i] = cursor
        cursor = cursor + length[i] if cursor is not None else None
    first = next((i for i, p in enumerate(planned) if p is not None), None)
    for i in range(first - 1 if first else -1, -1, -1):
        planned[i] = planned[i + 1] - length[i]  # count back from the first clock time
    return planned


def status(steps: Sequence[PlannedStep], now: datetime) -> DayStatus | None:
    """How far the day is behind (or ahead of) plan; None before the start or without a plan."""
    reached = max((i for i, s in enumerate(steps) if s.started is not None), default=None)
    if reached is None:
        return None
    step = steps[reached]
    assert step.started is not None
    # The plan's day is the one the step began on, give or take midnight: day 2 of a course
    # appended to day 1's workshop, or a step planned for 23.50 that began at 0.05.
    started_on = local(step.started).date()
    candidates = [schedule(steps, now, started_on + timedelta(days=d))[reached] for d in (-1, 0, 1)]
    found = [p for p in candidates if p is not None]
    if not found:
        return None
    planned = min(found, key=lambda p: abs(step.started - p))
    late = step.started - planned
    if step.minutes:
        late = max(late, now - (planned + timedelta(minutes=step.minutes)))
    return DayStatus(round(late.total_seconds() / 60), reached)


def planned_times(steps: Sequence[PlannedStep], now: datetime) -> list[str]:
    """Each step's plan in words for the controls: "kl. 09.00 · 25 min", "" without a plan."""
    out = []
    for s, start in zip(steps, schedule(steps, now), strict=True):
        parts = [danish_time(start)] if start else []
        out.append(" · ".join(parts + ([f"{s.minutes} min"] if s.minutes else [])))
    return out


def of_steps(steps: Sequence[Any], now: datetime) -> tuple[list[str], DayStatus | None]:
    """The controls' view of a workshop's steps (plan_minutes, plan_kl, started_at)."""
    planned = [PlannedStep(s.plan_minutes, s.plan_kl or "", s.started_at) for s in steps]
    return planned_times(planned, now), status(planned, now)
