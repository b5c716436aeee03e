"""Talechips: the pure queue and chip accounting of a group, derived from taps and state.

Each tap is a Response: slot "chip:<refill round>:<n>" (n = the person's chips spent in that
round + 1, so a double tap lands on the same slot and spends nothing twice) or "q:<round>" (a
short question without a chip). The queue is the taps in Response id order, which is commit
order: two phones tapping in the same instant both get a place, first come first served.
The current speaker is the head of the queue; "næste taler" (instructor) moves a per-group
pointer in state, and the speaker's own "Jeg er færdig" is a Response "done:<item id>".
A group's refill round is derived: when every member has spent every chip of the round, all
chips come back; the instructor may also force a refill (state["round"][group]).

One quiet person does not hold up a table of three or more, as at a real table: once all the
others have spent their chips and nobody is speaking or waiting, the table would ask once and
take the chips back, so the chips come back then too (the quiet one loses nothing: they get a
fresh set and may tap at once). The same goes for "alle bruger én chip, før nogen bruger to".
At a table of two the other person is half the table, and the table waits (or the instructor
gives the chips back).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CHIP, QUESTION = "chip", "question"


@dataclass(frozen=True)
class Item:
    """One place in the speaking queue."""

    id: int
    pid: int
    what: str  # chip | question
    round: int


def parse_slot(slot: str) -> tuple[str, int, int] | None:
    """("chip", round, n) or ("question", round, 0) for a queue slot, else None."""
    parts = slot.split(":")
    if len(parts) == 3 and parts[0] == "chip" and parts[1].isdigit() and parts[2].isdigit():
        return CHIP, int(parts[1]), int(parts[2])
    if len(parts) == 2 and parts[0] == "q" and parts[1].isdigit():
        return QUESTION, int(parts[1]), 0
    return None


@dataclass
class GroupChips:
    key: str
    members: list[int]
    chips: int
    round: int = 0
    spent: dict[int, int] = field(default_factory=dict)  # chips spent in the current round
    current: Item | None = None
    queue: list[Item] = field(default_factory=list)  # waiting behind the current speaker
    turns: Counter = field(default_factory=Counter)  # served or speaking, chips and questions
    questions: Counter = field(default_factory=Counter)
    placed: Counter = field(default_factory=Counter)  # every chip and question ever placed
    asked: set[int] = field(default_factory=set)  # asked a question in the current round

    def left(self, pid: int) -> int:
        return max(0, self.chips - self.spent.get(pid, 0))

    @property
    def chips_left(self) -> int:
        return sum(self.left(pid) for pid in self.members)

    @property
    def chips_total(self) -> int:
        return self.chips * len(self.members)

    def place(self, pid: int) -> int | None:
        """0 when speaking, 1 when next, ...; None when not in the queue."""
        line = ([self.current] if self.current else []) + self.queue
        return next((i for i, item in enumerate(line) if item.pid == pid), None)

    def waiting_for_first(self, pid: int) -> bool:
        """Variant: a second chip waits until everyone in the group has placed one."""
        missing = [m for m in self.members if self.spent.get(m, 0) == 0]
        quiet = self.current is None and one_quiet(self.members, missing)
        return self.spent.get(pid, 0) >= 1 and bool(missing) and not quiet


def one_quiet(members: Sequence[int], holding: Sequence[int]) -> bool:
    """True when only one person at a table of three or more is holding the others up."""
    return len(members) >= 3 and len(holding) == 1


def compute(
    state: Mapping[str, Any],
    key: str,
    members: Sequence[int],
    items: Iterable[Item],
    done: set[int],
    chips: int,
) -> GroupChips:
    """Where one group stands: refill round, chips spent, speaker, queue and turns so far."""
    group = GroupChips(key, list(members), chips)
    items = sorted(items, key=lambda it: it.id)
    spent_by_round = Counter((it.round, it.pid) for it in items if it.what == CHIP)
    pointer = int((state.get("served") or {}).get(key, 0))
    r = int((state.get("round") or {}).get(key, 0))
    while members:
        holding = [pid for pid in members if spent_by_round[(r, pid)] < chips]
        # Only the taps up to this round count as "still talking": later ones came after it.
        talking = any(it.id > pointer and it.id not in done for it in items if it.round <= r)
        if holding and (talking or not one_quiet(members, holding)):
            break
        r += 1
    group.round = r
    group.spent = {pid: spent_by_round[(r, pid)] for pid in members}
    group.asked = {it.pid for it in items if it.what == QUESTION and it.round == r}
    waiting = [it for it in items if it.id > pointer and it.id not in done]
    group.current = waiting[0] if waiting else None
    group.queue = waiting[1:]
    queued = {it.id for it in group.queue}
    for it in items:
        group.placed[it.pid] += 1
        if it.id in queued:
            continue
        group.turns[it.pid] += 1
        if it.what == QUESTION:
            group.questions[it.pid] += 1
    return group


def spread(turns: Mapping[int, int], members: Sequence[int]) -> dict[str, Any]:
    """How the talk was spread: who spoke, and the share of the most talkative person."""
    counts = [int(turns.get(pid, 0)) for pid in members]
    total = sum(counts)
    return {
        "turns": total,
        "members": len(members),
        "spoke": sum(1 for c in counts if c),
        "top_share": round(100 * max(counts) / total) if total else 0,
        # Anonymous: the counts from most to fewest, without names.
        "sorted": sorted(counts, reverse=True),
    }
