"""Ordet rundt på tid: order, speaker timing, passes, pauses and skips as pure logic."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from exercises.round_robin import RoundRobin, logic
from facilitator import timers
from facilitator.kinds import ContentError, Rejected, StepView

kind = RoundRobin()
T0 = datetime(2026, 2, 25, 9, 0, tzinfo=UTC)
GROUPS = [SimpleNamespace(id=1, name="Bord 1"), SimpleNamespace(id=2, name="Bord 2")]
PEOPLE = [
    SimpleNamespace(id=pid, name=name, group_id=gid)
    for pid, name, gid in [
        (11, "Anna", 1),
        (12, "Bo", 1),
        (13, "Cem", 1),
        (21, "Dorte", 2),
        (22, "Eva", 2),
    ]
]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


class Room:
    """A step of the kind with its state and responses, seen at any moment."""

    def __init__(self, groups=GROUPS, people=PEOPLE, **raw) -> None:
        raw = {"may_finish": True, **raw}  # these tests end turns early; see the tests below
        self.content = kind.parse({"question": "Hvad tager du med hjem?", **raw})
        self.step = SimpleNamespace(state=kind.initial_state(self.content))
        self.workshop = SimpleNamespace(groups=list(groups), min_anonymous=5)
        self.people = list(people)
        self.responses: list[SimpleNamespace] = []

    def view(self, t: float, pid: int | None = None) -> StepView:
        me = next((p for p in self.people if p.id == pid), None)
        return StepView(
            self.workshop, self.step, self.content, at(t), self.responses, self.people, me
        )

    def act(self, t: float, action: str, **data) -> dict:
        before = json.dumps(self.step.state, sort_keys=True)
        state = kind.apply(self.view(t), action, data)
        assert json.dumps(self.step.state, sort_keys=True) == before, "apply mutated state"
        json.dumps(state)  # state stays plain JSON
        self.step.state = state
        return state

    def send(self, t: float, pid: int, **data):
        sub = kind.accept(self.view(t, pid), data)
        owner = f"p:{pid}"
        for r in self.responses:
            if r.owner == owner and r.slot == sub.slot:  # one answer per slot, like _store
                r.payload = sub.payload
                return sub
        self.responses.append(
            SimpleNamespace(
                id=len(self.responses) + 1,
                owner=owner,
                slot=sub.slot,
                payload=sub.payload,
                created_at=at(t),
                participant_id=pid,
            )
        )
        return sub

    def group(self, t: float, key: str = "1") -> logic.GroupRound:
        return next(g for g in kind.rounds(self.view(t)) if g.key == key)


def started(t: float = 0, **raw) -> Room:
    room = Room(**{"think_seconds": 30, "seconds": 60, **raw})
    room.act(t, "start", seed="7")
    return room


def test_parse_defaults_and_danish_errors():
    content = kind.parse({"question": "Hvad er vigtigst?"})
    assert (content.think_seconds, content.seconds, content.order) == (30, 60, "join")
    assert content.allow_pass and not content.keyword and not content.plenum
    assert kind.parse({"question": "x", "order": "Tilfældig"}).order == "random"
    for raw, message in [
        ({}, "«Spørgsmål» mangler"),
        ({"question": "x", "seconds": 5}, "«Sekunder pr. person» skal være mellem 10 og 600"),
        ({"question": "x", "order": "alfabetisk"}, "«Rækkefølge»"),
        ({"question": "x", "order": 3}, "«Rækkefølge»"),
    ]:
        with pytest.raises(ContentError, match=message):
            kind.parse(raw)


def test_start_fixes_each_groups_order_in_join_order():
    room = started()
    state = room.step.state
    assert [g["order"] for g in state["groups"]] == [[11, 12, 13], [21, 22]]
    assert state["turn_ms"] == 60_000 and state["think_ms"] == 30_000


def test_a_late_joiner_gets_the_last_turn_while_the_table_still_talks():
    room = started()  # think 30 s, then 60 s each: Bord 2 (two people) ends at 150 s
    room.people.append(SimpleNamespace(id=14, name="Finn", group_id=1, joined_at=at(40)))
    room.people.append(SimpleNamespace(id=15, name="Gry", group_id=1, joined_at=at(50)))
    assert [t.pid for t in room.group(60).turns] == [11, 12, 13, 14, 15]
    assert room.step.state["groups"][0]["order"] == [11, 12, 13]  # the state stays as started
    assert kind.context("phone", room.view(60, 14))["status"] != "outside"
    # Bord 1 runs on to Finn and Gry; their own taps end their turns like anyone's.
    assert room.group(215).speaker.pid == 14
    room.send(220, 14, what="done", turn="3")
    assert room.group(221).speaker.pid == 15
    # Bord 2 had finished before Hans came: it stays finished, and he is told he is outside.
    room.people.append(SimpleNamespace(id=23, name="Hans", group_id=2, joined_at=at(160)))
    assert room.group(170, "2").phase == "finished"
    assert [t.pid for t in room.group(170, "2").turns] == [21, 22]
    assert kind.context("phone", room.view(170, 23))["status"] == "outside"


def test_nobody_is_added_after_the_instructor_stopped_the_round():
    room = started()
    room.act(45, "stop")
    room.people.append(SimpleNamespace(id=14, name="Finn", group_id=1, joined_at=at(50)))
    assert [t.pid for t in room.group(60).turns] == [11, 12, 13]


def test_random_order_is_fixed_by_the_seed_and_differs_per_group():
    people = [SimpleNamespace(id=i, name=f"P{i}", group_id=1 + i % 2) for i in range(1, 21)]
    room = Room(people=people, order="random")
    room.act(0, "start", seed="42")
    first = [g["order"] for g in room.step.state["groups"]]
    again = Room(people=people, order="random")
    again.act(0, "start", seed="42")
    assert [g["order"] for g in again.step.state["groups"]] == first
    assert first[0] != sorted(first[0]) or first[1] != sorted(first[1])
    assert sorted(first[0]) == [p.id for p in people if p.group_id == 1]


def test_turns_follow_the_clock_after_think_time():
    room = started()
    assert room.group(10).phase == "think" and room.group(10).left_ms == 20_000
    g = room.group(31)
    assert (g.phase, g.current, g.left_ms) == ("turns", 0, 59_000)
    g = room.group(95)
    assert (g.current, g.left_ms) == (1, 55_000)
    assert g.turns[0].status == logic.TIME and g.turns[0].seconds == 60
    assert room.group(150).current == 2 and room.group(209).current == 2
    assert room.group(210).phase == "finished" and room.group(210).current is None


def test_done_and_pass_start_the_next_speaker_early():
    room = started()
    room.send(40, 11, what="done", turn="0")
    g = room.group(50)
    assert (g.current, g.left_ms) == (1, 50_000)
    assert g.turns[0].status == logic.DONE and g.turns[0].seconds == 10
    room.send(50, 12, what="pass", turn="1")
    g = room.group(51)
    assert g.current == 2 and g.turns[1].status == logic.PASS and g.turns[1].seconds == 10
    # The other group's round runs on its own clock.
    assert room.group(51, "2").current == 0


def test_only_the_current_speaker_may_end_a_turn_and_a_double_tap_counts_once():
    room = started()
    with pytest.raises(Rejected, match="ikke din tur"):
        room.send(40, 12, what="done", turn="1")
    with pytest.raises(Rejected, match="ikke din tur"):
        room.send(10, 11, what="done", turn="0")  # still think time
    first = room.send(40, 11, what="done", turn="0")
    again = room.send(41, 11, what="done", turn="0")  # the same tap arriving again
    assert first.slot == again.slot == "turn:0:0"
    assert len(room.responses) == 1
    assert room.group(45).current == 1 and room.group(45).left_ms == 55_000


def test_pass_can_be_forbidden():
    room = started(allow_pass=False)
    with pytest.raises(Rejected, match="ikke stå over"):
        room.send(31, 11, what="pass", turn="0")


def test_pause_freezes_every_countdown_and_resume_continues():
    room = started()
    room.act(40, "pause")
    g = room.group(200)
    assert (g.current, g.left_ms) == (0, 50_000)
    ctx = kind.context("projector", room.view(200))
    assert ctx["paused"] and ctx["groups"][0]["timer"] == {
        "deadline_ms": None,
        "paused_left": 50_000,
    }
    with pytest.raises(Rejected, match="pause"):
        room.send(200, 11, what="done", turn="0")
    room.act(300, "resume")
    assert room.group(310).left_ms == 40_000
    # While running, the deadline is the same on every render and every screen.
    deadlines = {
        kind.context(screen, room.view(t, pid))["groups"][0]["timer"]["deadline_ms"]
        for t in (301, 305.5, 320)
        for screen, pid in [("projector", None), ("controls", None), ("phone", 12)]
    }
    assert deadlines == {int(at(350).timestamp() * 1000)}


def test_instructor_skip_and_more_time_ignore_a_stale_double_click():
    room = started()
    room.act(40, "more", group="1", turn="0")
    assert room.group(41).left_ms == 79_000
    room.act(50, "skip", group="1", turn="0")
    g = room.group(51)
    assert g.current == 1 and g.turns[0].status == logic.SKIPPED
    room.act(52, "skip", group="1", turn="0")  # the second click of a double click
    assert room.group(53).current == 1
    with pytest.raises(Rejected, match="findes ikke"):
        room.act(53, "skip", group="9", turn="0")


def test_begin_cuts_the_think_time_short_and_stop_ends_every_group():
    room = started()
    room.act(10, "begin")
    g = room.group(15)
    assert (g.current, g.left_ms) == (0, 55_000)
    room.act(20, "stop")
    for key in ("1", "2"):
        g = room.group(500, key)
        assert g.phase == "finished" and g.turns[0].status == logic.STOPPED
        assert g.turns[1].status == logic.UPCOMING
    assert kind.context("projector", room.view(500))["round_phase"] == "finished"
    assert room.act(30, "reset") == {"phase": "ready", "run": 1}


def test_phone_status_warns_the_next_speaker():
    room = started()
    statuses = {pid: kind.context("phone", room.view(10, pid))["status"] for pid in (11, 12)}
    assert statuses == {11: "first", 12: "think"}
    ctx = {pid: kind.context("phone", room.view(31, pid)) for pid in (11, 12, 13)}
    assert [ctx[p]["status"] for p in (11, 12, 13)] == ["turn", "next", "wait"]
    assert ctx[12]["signal"] == "next" and ctx[13]["ahead"] == 2
    assert ctx[11]["card"]["speaker"] == "Anna" and ctx[12]["card"]["next"] == "Bo"
    assert kind.context("phone", room.view(95, 11))["status"] == "after"


def test_keywords_are_kept_for_later_steps():
    room = started(keyword=True)
    room.send(40, 11, what="keyword", text="  Bedre   dagsordener ")
    with pytest.raises(Rejected, match="højst 60"):
        room.send(41, 12, what="keyword", text="x" * 61)
    with pytest.raises(Rejected, match="Skriv"):
        room.send(41, 12, what="keyword", text="  ")
    result = kind.results(room.view(400))
    assert result["keywords"] == [
        {"text": "Bedre dagsordener", "group": "Bord 1", "group_key": "1"}
    ]
    assert result["plan_candidates"] == [
        {"theme": "Bedre dagsordener", "source": "Ordet rundt", "group_id": 1}
    ]
    first = result["groups"][0]["turns"][0]
    assert (first["name"], first["status"], first["seconds"]) == ("Anna", "time", 60)
    with pytest.raises(Rejected, match="nøgleord"):
        started().send(40, 11, what="keyword", text="x")


def test_plenum_runs_one_round_for_everyone():
    room = started(plenum=True)
    assert [g["key"] for g in room.step.state["groups"]] == ["all"]
    assert len(room.step.state["groups"][0]["order"]) == 5
    assert room.send(31, 11, what="done", turn="0").audience == "all"
    assert started().send(31, 11, what="done", turn="0").audience == "group"


def test_active_clock_subtracts_pauses():
    state = {"started": T0.isoformat(), "pauses": [[at(10).isoformat(), at(20).isoformat()]]}
    assert timers.active_ms(state, at(30)) == 20_000
    state["pauses"].append([at(40).isoformat(), None])
    assert timers.active_ms(state, at(100)) == 30_000
    assert timers.clock_paused(state)
