"""To-trins interview: the pure timeline and who interviews whom, derived from state and now.

Nothing ticks on the server. The instructor's start fixes the groups (pairs and trios) and the
start time; the phases (think time, then one turn per interview) follow from the seconds in
state, the instructor's extra time and skips (keyed by phase index), and the pauses. Time runs
on an "active" clock, wall time since the start minus the pauses, shared with Ordet rundt.
A group of n people has n turns: in local turn j, member j interviews member j+1 (mod n), so in
a trio everyone is interviewed once and listens once. A group formed late starts at a later
global turn (its offset); the round lasts until the last group is done.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from facilitator import timers

THINK, TURN, GOAL = "think", "turn", "goal"
PRESENT = "present"  # trin 2: each tells the table what the partner said
INTERVIEWER, INTERVIEWEE, LISTENER = "interviewer", "interviewee", "listener"


@dataclass(frozen=True)
class Group:
    members: tuple[int, ...]
    offset: int = 0  # the global turn in which the group's first interview runs

    @property
    def turns(self) -> int:
        return len(self.members) if len(self.members) > 1 else 0

    def pair_at(self, turn: int) -> tuple[int, int] | None:
        """(interviewer, interviewee) in global turn `turn`, or None outside the group's turns."""
        j = turn - self.offset
        if not 0 <= j < self.turns:
            return None
        n = len(self.members)
        return self.members[j], self.members[(j + 1) % n]

    def role(self, pid: int, turn: int) -> str | None:
        pair = self.pair_at(turn)
        if pair is None or pid not in self.members:
            return None
        return INTERVIEWER if pid == pair[0] else INTERVIEWEE if pid == pair[1] else LISTENER


def total_turns(groups: Sequence[Group]) -> int:
    """How many global turns the round has: two, or more for trios and late groups."""
    return max([2, *(g.offset + g.turns for g in groups if g.turns)])


@dataclass(frozen=True)
class Position:
    """Where the round stands at one active moment."""

    index: int  # phase index (think is index 0 when there is think time)
    kind: str  # think | turn | present | goal (goal: the turns are over)
    turn: int | None  # global turn (0-based) during a turn
    turns: int  # how many turns the round has
    left_ms: int  # of the current phase
    ends_at: int  # active ms at which the current phase ends
    # (kind, turn, start, end) of each phase so far, in active ms
    spans: tuple[tuple[str, int | None, int, int], ...] = ()


def phase_list(state: Mapping[str, Any], turns: int) -> list[tuple[str, int | None, int]]:
    """(kind, turn, nominal ms) of each phase of a round with `turns` turns."""
    think = int(state.get("think_ms", 0))
    turn_ms = int(state.get("turn_ms", 120_000))
    present = int(state.get("present_ms", 0))
    phases: list[tuple[str, int | None, int]] = [(THINK, None, think)] if think > 0 else []
    phases += [(TURN, k, turn_ms) for k in range(turns)]
    return phases + ([(PRESENT, None, present)] if present > 0 else [])


def position(state: Mapping[str, Any], turns: int, now_a: int) -> Position:
    """The phase at active time `now_a`, with extra time and skips applied."""
    extra = state.get("extra") or {}
    skips = state.get("skips") or {}
    spans = []
    t = 0
    for i, (kind, turn, length) in enumerate(phase_list(state, turns)):
        end = t + length + int(extra.get(str(i), 0))
        skip = skips.get(str(i))
        if skip is not None and int(skip) < end:
            end = max(int(skip), t)
        if end > now_a:
            return Position(i, kind, turn, turns, end - now_a, end, tuple(spans))
        spans.append((kind, turn, t, end))
        t = end
    return Position(len(spans), GOAL, None, turns, 0, t, tuple(spans))


def turn_at(state: Mapping[str, Any], groups: Sequence[Group], t_a: int) -> int:
    """The global turn a late joiner arriving at active time `t_a` can start in.

    Think time counts as turn 0; after the last turn (trin 2 included) the answer is the
    number of turns (too late to be interviewed).
    """
    pos = position(state, total_turns(groups), t_a)
    if pos.kind == THINK:
        return 0
    return pos.turns if pos.kind in {PRESENT, GOAL} else int(pos.turn or 0)


def join_group(group: Group, pid: int, turn: int, cap: int = 3) -> Group | None:
    """`group` with `pid` added at global turn `turn`, keeping the turns already run; or None.

    A lone person makes a pair starting now. Otherwise the newcomer X goes in just after
    the one being interviewed now, so the past and current interviews stay as they were and
    the cycle closes (pair A→B in turn 1: A→B, B→X, X→A). In the group's last turn (B→A of a
    pair) the order becomes [X, B, A]: B→A stays, then A→X. A group of `cap`, or one whose
    turns are over, is full.
    """
    members, n = group.members, len(group.members)
    if n == 1:
        return Group((members[0], pid), turn)
    j = max(turn - group.offset, 0)
    if n >= cap or j >= n:
        return None
    if j == n - 1:
        return Group((pid, *members[1:], members[0]), group.offset)
    return Group((*members[: j + 2], pid, *members[j + 2 :]), group.offset)


def add_late(groups: list[Group], pid: int, turn: int, turns: int) -> None:
    """Place a late joiner: with someone waiting, else into a pair, else waiting alone."""
    if turn >= turns:
        return  # the interviews are over: nothing to join
    order = [i for i, g in enumerate(groups) if len(g.members) == 1]
    order += [i for i, g in enumerate(groups) if len(g.members) == 2]
    for i in order:
        joined = join_group(groups[i], pid, turn)
        if joined is not None:
            groups[i] = joined
            return
    groups.append(Group((pid,), turn))


def move(groups: list[Group], pid: int, to_pid: int, turn: int) -> str | None:
    """Put a waiting `pid` with `to_pid`'s group (the instructor's choice); a Danish error."""
    mine = next((i for i, g in enumerate(groups) if pid in g.members), None)
    target = next((i for i, g in enumerate(groups) if to_pid in g.members), None)
    if mine is not None and len(groups[mine].members) > 1:
        return "Personen har allerede en makker."
    if target is None or target == mine:
        return "Vælg en anden at sætte personen sammen med."
    # The instructor may make a group of four (four turns); automatic placing stops at three.
    joined = join_group(groups[target], pid, turn, cap=4)
    if joined is None:
        return "Den gruppe er fuld eller færdig. Vælg en anden."
    groups[target] = joined
    if mine is not None:
        del groups[mine]
    return None


def swap(groups: Sequence[Sequence[int]], a: int, b: int) -> list[list[int]]:
    """The groups with two people's places exchanged (before the start)."""
    out = [list(g) for g in groups]
    for g in out:
        for i, pid in enumerate(g):
            g[i] = b if pid == a else a if pid == b else pid
    return out


def timer_for(state: Mapping[str, Any], pos: Any) -> dict[str, Any]:
    """The countdown of the current phase as a timers.py timer (same on every screen)."""
    return timers.clock_timer(state, pos.ends_at, pos.left_ms)


@dataclass
class Round:
    """The derived round: groups (late joiners placed), who is left out, and where time is."""

    groups: list[Group]
    outside: list[int]
    pos: Position | None
