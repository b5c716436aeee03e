"""Talechips: chip accounting, refill rules, the queue and its fairness, as pure logic."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from exercises.talking_chips import TalkingChips, logic
from facilitator.kinds import ContentError, Rejected, StepView

kind = TalkingChips()
T0 = datetime(2026, 2, 25, 13, 5, tzinfo=UTC)
GROUPS = [SimpleNamespace(id=1, name="Bord 1"), SimpleNamespace(id=2, name="Bord 2")]
PEOPLE = [
    SimpleNamespace(id=pid, name=name, group_id=gid)
    for pid, name, gid in [(11, "Anna", 1), (12, "Bo", 1), (13, "Cem", 1), (21, "Dorte", 2)]
]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


class Room:
    def __init__(self, groups=GROUPS, people=PEOPLE, **raw) -> None:
        self.content = kind.parse({"question": "Hvordan bliver alle hørt?", **raw})
        self.step = SimpleNamespace(state=kind.initial_state(self.content))
        self.workshop = SimpleNamespace(groups=list(groups), min_anonymous=5)
        self.people = list(people)
        self.responses: list[SimpleNamespace] = []

    def view(self, t: float = 0, pid: int | None = None) -> StepView:
        me = next((p for p in self.people if p.id == pid), None)
        return StepView(
            self.workshop, self.step, self.content, at(t), self.responses, self.people, me
        )

    def act(self, action: str, t: float = 0, **data) -> dict:
        before = json.dumps(self.step.state, sort_keys=True)
        state = kind.apply(self.view(t), action, data)
        assert json.dumps(self.step.state, sort_keys=True) == before, "apply mutated state"
        json.dumps(state)
        self.step.state = state
        return state

    def send(self, pid: int, t: float = 0, **data):
        """Store a submission as workshops._store does: one row per (owner, slot)."""
        sub = kind.accept(self.view(t, pid), data)
        owner = f"p:{pid}"
        for r in self.responses:
            if r.owner == owner and r.slot == sub.slot:
                r.payload = sub.payload
                return sub
        self.responses.append(
            SimpleNamespace(
                id=len(self.responses) + 1, owner=owner, slot=sub.slot, payload=sub.payload
            )
        )
        return sub

    def tap(self, pid: int, t: float = 0):
        """A tap on the phone's button as rendered just now (it carries the chip it saw)."""
        return self.send(pid, t, **kind.context("phone", self.view(t, pid))["tap"])

    def group(self, key: str = "1", t: float = 0) -> logic.GroupChips:
        return kind.groups(self.view(t))[key]

    def next_speaker(self, key: str = "1") -> None:
        current = self.group(key).current
        self.act("next", group=key, item=str(current.id))


def started(**raw) -> Room:
    room = Room(**raw)
    room.act("start")
    return room


def test_parse_defaults_and_bounds():
    content = kind.parse({"question": "Hvad nu?"})
    assert (content.chips, content.minutes, content.questions) == (2, 10, False)
    assert not content.everyone_first and not content.show_counts
    with pytest.raises(ContentError, match="«Chips pr. person» skal være mellem 1 og 3"):
        kind.parse({"question": "x", "chips": 4})
    with pytest.raises(ContentError, match="«Spørgsmål» mangler"):
        kind.parse({"chips": 2})


def test_nothing_is_accepted_before_the_start():
    room = Room()
    with pytest.raises(Rejected, match="ikke startet"):
        room.send(11, what="chip", r="0", n="1")


def test_a_tap_spends_one_chip_and_queues_in_tap_order():
    room = started()
    assert room.tap(12).slot == "chip:0:1"
    assert room.tap(11).slot == "chip:0:1"
    g = room.group()
    assert g.current.pid == 12 and [it.pid for it in g.queue] == [11]
    assert (g.left(12), g.left(11), g.left(13)) == (1, 1, 2)
    assert (g.place(12), g.place(11), g.place(13)) == (0, 1, None)
    assert g.chips_left == 4 and g.chips_total == 6
    assert room.group("2").chips_left == 2  # the other table is untouched


def test_a_double_tap_spends_nothing_twice():
    room = started()
    seen = kind.context("phone", room.view(0, 11))["tap"]
    first = room.send(11, **seen)
    again = room.send(11, **seen)  # the same button, tapped twice
    assert first.slot == again.slot == "chip:0:1"
    assert len(room.responses) == 1 and room.group().left(11) == 1
    with pytest.raises(Rejected, match="allerede i køen"):
        room.tap(11)  # a fresh tap while still waiting in the queue


def test_no_chips_left_means_waiting():
    room = started(chips=1)
    room.tap(11)
    room.next_speaker()
    with pytest.raises(Rejected, match="ikke flere chips"):
        room.tap(11)
    assert kind.context("phone", room.view(0, 11))["status"] == "empty"
    assert kind.context("phone", room.view(0, 12))["status"] == "can"


def test_all_chips_come_back_when_everybody_has_spent_them():
    room = started(chips=1)
    for pid in (11, 12):
        room.tap(pid)
    assert room.group().round == 0
    room.tap(13)
    g = room.group()
    assert g.round == 1 and g.chips_left == 3 and g.spent == {11: 0, 12: 0, 13: 0}
    # Refilled chips can be spent at once, even while earlier turns are still queued.
    room.next_speaker()
    assert room.tap(11).slot == "chip:1:1"
    assert [it.pid for it in room.group().queue] == [13, 11]


def test_the_instructor_can_give_chips_back_to_one_group_or_all():
    room = started(chips=1)
    room.tap(11)
    room.act("refill", group="1")
    assert room.group().round == 1 and room.group().left(11) == 1
    assert room.group("2").round == 0
    room.act("refill", group="all")
    assert (room.group("1").round, room.group("2").round) == (2, 1)
    with pytest.raises(Rejected, match="findes ikke"):
        room.act("refill", group="99")


def test_next_speaker_advances_and_ignores_a_stale_double_click():
    room = started()
    for pid in (11, 12, 13):
        room.tap(pid)
    first = room.group().current
    room.act("next", group="1", item=str(first.id))
    room.act("next", group="1", item=str(first.id))  # double click
    assert room.group().current.pid == 12
    # The speaker may also hand the word on from the phone.
    done = kind.context("phone", room.view(0, 12))["done"]
    room.send(12, **done)
    room.send(12, **done)  # double tap
    assert room.group().current.pid == 13
    with pytest.raises(Rejected, match="ikke ordet"):
        room.send(11, what="done", item=str(first.id + 5))
    assert room.group().turns == {11: 1, 12: 1, 13: 1}


def test_everyone_first_variant_blocks_a_second_chip():
    room = started(everyone_first=True)
    room.tap(11)
    room.next_speaker()
    assert kind.context("phone", room.view(0, 11))["status"] == "wait_first"
    with pytest.raises(Rejected, match="første chip"):
        room.tap(11)
    room.tap(12)
    room.tap(13)
    assert room.tap(11).slot == "chip:0:2"


def test_short_question_without_a_chip_only_when_allowed():
    room = started(chips=1)
    room.tap(11)
    room.next_speaker()
    with pytest.raises(Rejected, match="ikke åbnet"):
        room.send(11, what="question", r="0")
    room.act("toggle_questions")
    with pytest.raises(Rejected, match="stadig chips"):
        room.send(12, what="question", r="0")
    ask = kind.context("phone", room.view(0, 11))["ask"]
    room.send(11, **ask)
    room.send(11, **ask)  # double tap: one question
    g = room.group()
    assert g.current.what == logic.QUESTION and g.questions[11] == 1 and len(room.responses) == 2
    room.next_speaker()
    with pytest.raises(Rejected, match="stillet dit spørgsmål"):
        room.send(11, what="question", r="9")
    assert g.chips_left == 2  # questions cost no chip


def test_time_up_ends_the_talk_and_shows_the_spread():
    room = started(minutes=1)
    room.tap(11)
    room.next_speaker()
    room.tap(11)
    room.tap(12)
    with pytest.raises(Rejected, match="Tiden er gået"):
        room.tap(13, t=61)
    ctx = kind.context("phone", room.view(61, 13))
    assert ctx["status"] == "ended" and ctx["my_turns"] == 0
    spread = ctx["card"]["spread"]
    # A turn counts once it is heard: Anna spoke twice (the second time when time ran out);
    # Bo's chip was still waiting in the queue, so it is placed but not a turn.
    assert spread["sorted"] == [2, 0, 0] and spread["spoke"] == 1 and spread["top_share"] == 100
    result = kind.results(room.view(61))
    assert result["groups"][0]["turns"] == {"Anna": 2, "Bo": 0, "Cem": 0}
    assert result["groups"][0]["placed"] == {"Anna": 2, "Bo": 1, "Cem": 0}
    room.act("more", t=61)  # one more minute reopens the talk
    assert room.tap(13, t=62).slot == "chip:0:1"


def test_pause_holds_the_timer_and_stop_ends_the_talk():
    room = started(minutes=1)
    room.act("pause", t=30)
    assert kind.context("projector", room.view(500))["talk_phase"] == "running"
    room.act("resume", t=500)
    assert kind.context("projector", room.view(529))["talk_phase"] == "running"
    room.act("stop", t=510)
    assert kind.context("projector", room.view(511))["talk_phase"] == "ended"
    room.act("reopen", t=512)
    assert kind.context("projector", room.view(513))["talk_phase"] == "running"


def test_per_person_counts_only_when_the_instructor_turns_them_on():
    room = started()
    assert not kind.context("projector", room.view())["show_counts"]
    room.act("toggle_counts")
    assert kind.context("projector", room.view())["show_counts"]


def test_plenum_is_one_queue_for_everyone():
    room = started(plenum=True)
    assert room.tap(21).audience == "all"
    assert room.tap(11).audience == "all"
    g = room.group("all")
    assert [it.pid for it in [g.current, *g.queue]] == [21, 11] and g.chips_total == 8
    assert started().tap(11).audience == "group"


def test_spread_is_anonymous_and_counts_everyone():
    assert logic.spread({1: 3, 2: 1}, [1, 2, 3]) == {
        "turns": 4,
        "members": 3,
        "spoke": 2,
        "top_share": 75,
        "sorted": [3, 1, 0],
    }
    assert logic.parse_slot("chip:2:1") == ("chip", 2, 1)
    assert logic.parse_slot("q:3") == ("question", 3, 0)
    assert logic.parse_slot("done:4") is None and logic.parse_slot("chip:x:1") is None


def test_one_quiet_person_does_not_hold_up_the_refill():
    room = started(chips=1)  # Bord 1: Anna, Bo, Cem; Cem never taps
    room.tap(11)
    room.tap(12)
    assert room.group().round == 0  # Anna speaks, Bo waits: the table still talks
    room.next_speaker()
    assert room.group().round == 0
    room.next_speaker()
    g = room.group()
    assert g.round == 1 and g.spent == {11: 0, 12: 0, 13: 0} and g.left(13) == 1
    assert room.tap(13).slot == "chip:1:1"  # the quiet one lost nothing and may speak at once
    assert room.group().round == 1


def test_two_quiet_people_or_a_table_of_two_still_wait():
    room = started(chips=1)
    room.tap(11)
    room.next_speaker()
    assert room.group().round == 0  # Bo and Cem both hold a chip: a conversation can go on
    pair = started(
        chips=1,
        people=[
            SimpleNamespace(id=21, name="Dorte", group_id=2),
            SimpleNamespace(id=22, name="Eva", group_id=2),
        ],
    )
    pair.tap(21)
    pair.next_speaker("2")
    assert pair.group("2").round == 0  # at a table of two the other is half the table


def test_everyone_first_does_not_wait_for_one_quiet_person():
    room = started(everyone_first=True)
    room.tap(11)
    room.tap(12)
    room.next_speaker()
    assert kind.context("phone", room.view(0, 11))["status"] == "wait_first"  # Bo speaks
    with pytest.raises(Rejected, match="første chip"):
        room.tap(11)
    room.next_speaker()
    assert kind.context("phone", room.view(0, 11))["status"] == "can"
    assert room.tap(11).slot == "chip:0:2"
