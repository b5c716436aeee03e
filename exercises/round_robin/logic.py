"""Ordet rundt på tid: the pure timeline of a round, derived from state, events and now.

Nothing ticks on the server. The instructor's start fixes each group's order and the start
time; a group's progression follows from the seconds per person, the speakers' own "done" or
"pass" (Response rows, slot "turn:<run>:<index>"), the instructor's skips and extra time, and
the pauses, all in state. Time is counted on an "active" clock: wall time since the start
minus the pauses, so a pause freezes every group's countdown and resuming continues it.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from facilitator import timers

# Turn statuses: how a turn ended (or that it has not).
UPCOMING, CURRENT = "upcoming", "current"
DONE, PASS, SKIPPED, TIME, STOPPED = "done", "pass", "skipped", "time", "stopped"


def make_order(member_ids: Sequence[int], how: str, seed: int, key: str) -> list[int]:
    """The speaking order of one group: join (seating) order, or shuffled by the seed."""
    order = list(member_ids)
    if how == "random":
        random.Random(f"{seed}:{key}").shuffle(order)
    return order


@dataclass
class Turn:
    index: int
    pid: int
    start: int | None = None  # active ms
    end: int | None = None
    status: str = UPCOMING

    @property
    def seconds(self) -> int:
        if self.start is None or self.end is None:
            return 0
        return round((self.end - self.start) / 1000)


@dataclass
class GroupRound:
    key: str
    turns: list[Turn] = field(default_factory=list)
    phase: str = "think"  # think | turns | finished
    current: int | None = None  # index of the current turn
    left_ms: int = 0  # of the think time or the current turn
    ends_at: int = 0  # active ms at which that countdown ends

    @property
    def speaker(self) -> Turn | None:
        return self.turns[self.current] if self.current is not None else None

    @property
    def next(self) -> Turn | None:
        """Who speaks after the current one (the first speaker during think time)."""
        if self.phase == "think":
            return self.turns[0] if self.turns else None
        if self.current is not None and self.current + 1 < len(self.turns):
            return self.turns[self.current + 1]
        return None


def progress(
    state: Mapping[str, Any],
    key: str,
    order: Sequence[int],
    events: Mapping[int, tuple[int, str]],
    now_a: int,
) -> GroupRound:
    """Where one group's round stands at active time `now_a`.

    `events` maps a turn index to (active ms, "done" | "pass") from the speaker's phone.
    """
    turn_ms = int(state.get("turn_ms", 60_000))
    begin = state.get("begun_ms")
    begin = int(state.get("think_ms", 0)) if begin is None else int(begin)
    skips = (state.get("skips") or {}).get(key, {})
    extra = (state.get("extra") or {}).get(key, {})
    stopped = bool(state.get("stopped"))
    group = GroupRound(key, [Turn(i, pid) for i, pid in enumerate(order)])
    if now_a < begin:
        group.phase, group.left_ms = ("finished", 0) if stopped else ("think", begin - now_a)
        group.ends_at = begin
        return group
    group.phase = "turns"
    t = begin
    for turn in group.turns:
        i = turn.index
        turn.start = t
        end, status = t + turn_ms + int(extra.get(str(i), 0)), TIME
        event = events.get(i)
        if event is not None and event[0] < end:
            end, status = max(event[0], t), event[1]
        skip = skips.get(str(i))
        if skip is not None and int(skip) < end:
            end, status = max(int(skip), t), SKIPPED
        if end > now_a:
            if stopped:
                turn.end, turn.status = now_a, STOPPED
                break
            turn.status = CURRENT
            group.current, group.left_ms, group.ends_at = i, end - now_a, end
            return group
        turn.end, turn.status = end, status
        t = end
    group.phase = "finished"
    return group


def timer_for(state: Mapping[str, Any], group: GroupRound) -> dict[str, Any]:
    """The group's countdown (think time or the current turn) as a timers.py timer."""
    return timers.clock_timer(state, group.ends_at, group.left_ms)


def nested_set(state: Mapping[str, Any], name: str, key: str, index: int, value: int):
    """A copy of state with state[name][key][str(index)] = value (no shared dicts)."""
    outer = {k: dict(v) for k, v in (state.get(name) or {}).items()}
    outer.setdefault(key, {})[str(index)] = value
    return {**state, name: outer}


def arranged(member_ids: Sequence[int], wanted: Sequence[int]) -> list[int]:
    """A table's order as the instructor set it; anyone not in their list after, in join order."""
    present = set(member_ids)
    first = [pid for pid in wanted if pid in present]
    return first + [pid for pid in member_ids if pid not in set(first)]


def move(order: Sequence[int], pid: int, step: int, movable_from: int) -> list[int] | None:
    """`order` with `pid` swapped one place up (-1) or down (+1), or None if it cannot move.

    Only turns from index `movable_from` on may move: who has spoken, or speaks now, stays put.
    """
    if pid not in order:
        return None
    i = list(order).index(pid)
    j = i + step
    if i < movable_from or j < movable_from or j >= len(order):
        return None
    out = list(order)
    out[i], out[j] = out[j], out[i]
    return out


def movable_from(group: GroupRound) -> int:
    """The first turn the instructor may still move: nobody who has spoken or speaks now."""
    if group.phase == "think":
        return 0
    return group.current + 1 if group.current is not None else len(group.turns)
