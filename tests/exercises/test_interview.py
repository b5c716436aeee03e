"""To-trins interview: pairing, odd counts, late joiners, swaps and roles over time."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from exercises.interview import Interview, logic
from exercises.interview.logic import Group
from exercises.interview.pairing import make_pairs, mixed
from facilitator.kinds import ContentError, Rejected, StepView

kind = Interview()
T0 = datetime(2026, 2, 25, 9, 0, tzinfo=UTC)
TABLES = [SimpleNamespace(id=1, name="Bord 1"), SimpleNamespace(id=2, name="Bord 2")]
NAMES = ["Anna", "Bo", "Cem", "Dea", "Eva", "Finn", "Gry", "Hans", "Ida", "Jens", "Kim", "Lis"]


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def person(i: int, joined: float = -60, group_id: int | None = None, role: str | None = None):
    return SimpleNamespace(
        id=i, name=NAMES[i - 1], group_id=group_id, role=role, joined_at=at(joined)
    )


class Room:
    """A step of the kind with its state and responses, seen at any moment."""

    def __init__(self, n: int = 4, groups=(), people=None, **raw) -> None:
        self.content = kind.parse({"question": "Dit personlige mål?", **raw})
        self.step = SimpleNamespace(state=kind.initial_state(self.content), position=1)
        self.workshop = SimpleNamespace(groups=list(groups), min_anonymous=5)
        self.people = people if people is not None else [person(i) for i in range(1, n + 1)]
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

    def join(self, t: float, **kw) -> int:
        pid = len(self.people) + 1
        self.people.append(person(pid, joined=t, **kw))
        return pid

    def groups(self, t: float) -> list[tuple[int, ...]]:
        return [g.members for g in kind.round(self.view(t)).groups]

    def phone(self, t: float, pid: int) -> dict:
        return kind.context("phone", self.view(t, pid))

    def role(self, t: float, pid: int) -> str:
        return self.phone(t, pid)["status"]


def started(n: int = 4, t: float = 0, **raw) -> Room:
    room = Room(n, **{"think_seconds": 30, "seconds": 120, **raw})
    room.act(t, "start", seed="7")
    return room


# ---- content -------------------------------------------------------------------------------


def test_parse_defaults_and_danish_errors():
    content = kind.parse({"question": "Hvad vil du lære?", "prompts": "Hvorfor?\n\nFortæl mere"})
    assert (content.think_seconds, content.seconds, content.pairing) == (30, 120, "random")
    assert content.prompts == ["Hvorfor?", "Fortæl mere"]
    assert content.goal_prompt.startswith("Skriv dit personlige mål")
    assert kind.parse({"question": "x", "pairing": "På tværs af roller"}).pairing == "roles"
    assert kind.parse({"question": "x", "pairing": "groups"}).pairing == "groups"
    for raw, message in [
        ({}, "«Spørgsmål» mangler"),
        ({"question": "x", "seconds": 5}, "«Sekunder pr. tur» skal være mellem 15 og 1200"),
        ({"question": "x", "pairing": "alfabetisk"}, "«Par»"),
        ({"question": "x", "prompts": [1, 2]}, "«Opfølgende spørgsmål» skal være en liste"),
    ]:
        with pytest.raises(ContentError, match=message):
            kind.parse(raw)


# ---- pairing -------------------------------------------------------------------------------


@pytest.mark.parametrize("n", range(2, 10))
@pytest.mark.parametrize("mode", ["random", "groups", "roles"])
def test_everyone_is_paired_once_and_an_odd_one_makes_a_trio(n, mode):
    people = [(i, i % 3) for i in range(1, n + 1)]
    for seed in range(20):
        groups = make_pairs(people, mode, seed)
        ids = [pid for g in groups for pid in g]
        assert sorted(ids) == list(range(1, n + 1))
        expected = {2: n // 2} if n % 2 == 0 else {2: n // 2 - 1, 3: 1}
        assert Counter(len(g) for g in groups) == +Counter(expected), groups


def test_one_person_is_a_group_of_one_and_nobody_no_group():
    assert make_pairs([(1, 0)], "random", 1) == [[1]]
    assert make_pairs([], "random", 1) == []


def test_pairs_are_fixed_by_the_seed_and_random_without_one():
    people = [(i, 0) for i in range(1, 9)]
    assert make_pairs(people, "random", 5) == make_pairs(people, "random", 5)
    assert len({json.dumps(make_pairs(people, "random", s)) for s in range(10)}) > 1


@pytest.mark.parametrize("n", range(2, 10))
def test_across_groups_mixes_every_pair_that_can_be_mixed(n):
    keys = {i: "Bord 1" if i <= (n + 1) // 2 else "Bord 2" for i in range(1, n + 1)}
    for seed in range(20):
        groups = make_pairs(list(keys.items()), "groups", seed)
        assert mixed(groups, keys) == len(groups), groups


def test_across_roles_with_a_big_majority_mixes_as_many_as_there_are_leaders():
    keys = {i: "medarbejder" for i in range(1, 8)} | {8: "leder", 9: "leder"}
    groups = make_pairs(list(keys.items()), "roles", 3)
    assert mixed(groups, keys) == 2
    # And the kind reads the role from the participant.
    people = [person(i, role=keys[i].title()) for i in range(1, 10)]
    room = Room(people=people, pairing="roles")
    room.act(0, "pair", seed="3")
    assert mixed(room.step.state["groups"], keys) == 2


def test_across_groups_uses_the_tables_and_falls_back_to_random_without_tables():
    people = [person(i, group_id=1 + (i > 3)) for i in range(1, 7)]
    room = Room(people=people, groups=TABLES, pairing="groups")
    room.act(0, "pair", seed="1")
    tables = {p.id: p.group_id for p in people}
    assert mixed(room.step.state["groups"], tables) == 3
    loose = Room(n=5, pairing="groups")
    assert len(loose.act(0, "pair", seed="1")["groups"]) == 2


def test_pairing_needs_someone_and_not_while_running():
    with pytest.raises(Rejected, match="ingen deltagere"):
        Room(n=0).act(0, "pair")
    room = started()
    with pytest.raises(Rejected, match="i gang"):
        room.act(10, "pair")


# ---- phases and roles over time ------------------------------------------------------------


def test_roles_swap_on_their_own_when_time_is_up():
    room = started(4)
    a, b = room.step.state["groups"][0]
    assert room.role(10, a) == "think" and room.phone(10, a)["signal"] == "think"
    assert room.phone(10, a)["partners"] == NAMES[b - 1]
    # Turn 1 from 30 s: a interviews b, for 120 s.
    assert (room.role(31, a), room.role(31, b)) == ("interviewer", "interviewee")
    assert room.phone(31, a)["answerer"] == NAMES[b - 1]
    ctx = kind.context("projector", room.view(31))
    assert (ctx["round_phase"], ctx["turn_no"], ctx["turns"]) == ("turn", 1, 2)
    # Turn 2 from 150 s: swapped, and the signal changes so the phone vibrates.
    assert (room.role(151, a), room.role(151, b)) == ("interviewee", "interviewer")
    assert room.phone(151, a)["signal"] != room.phone(149, a)["signal"]
    # After 270 s: goal writing for everyone.
    assert room.role(271, a) == "done"
    assert kind.context("projector", room.view(271))["round_phase"] == "goal"


def test_the_shared_deadline_is_the_same_on_every_render():
    room = started(4)
    deadlines = {
        kind.context(screen, room.view(t, pid))["timer"]["deadline_ms"]
        for screen, pid in [("projector", None), ("controls", None), ("phone", 1), ("phone", 2)]
        for t in (31, 60.5, 149)
    }
    assert deadlines == {int(at(150).timestamp() * 1000)}


@pytest.mark.parametrize("n", [3, 5, 7, 9])
def test_a_trio_has_three_turns_and_everyone_is_interviewed_once(n):
    room = started(n)
    trio = next(g for g in room.step.state["groups"] if len(g) == 3)
    pair = next((g for g in room.step.state["groups"] if len(g) == 2), None)
    interviewed, asked = [], []
    for t in (31, 151, 271):
        ctx = {pid: room.phone(t, pid) for pid in trio}
        roles = sorted(c["status"] for c in ctx.values())
        assert roles == ["interviewee", "interviewer", "listener"], (t, roles)
        interviewed += [pid for pid, c in ctx.items() if c["status"] == "interviewee"]
        asked += [pid for pid, c in ctx.items() if c["status"] == "interviewer"]
    assert sorted(interviewed) == sorted(trio) == sorted(asked)
    if pair:  # the pairs are done and write their goal while the trios take turn 3
        assert room.role(271, pair[0]) == "done"
    assert kind.context("projector", room.view(271))["turns"] == 3
    assert room.role(391, trio[0]) == "done"


def test_pause_freezes_the_countdown_and_resume_runs_on():
    room = started(2, think_seconds=0)
    room.act(60, "pause")
    ctx = kind.context("projector", room.view(500))
    assert ctx["paused"] and ctx["timer"]["paused_left"] == 60_000
    assert room.role(500, 1) in {"interviewer", "interviewee"}
    room.act(600, "resume")
    assert kind.context("projector", room.view(659))["turn_no"] == 1
    assert kind.context("projector", room.view(661))["turn_no"] == 2


def test_more_time_and_skip_act_on_the_current_phase_once():
    room = started(2)
    room.act(40, "more", index="1")
    assert kind.context("projector", room.view(160))["turn_no"] == 1  # 150 + 30
    room.act(41, "skip", index="0")  # a stale click for the think time: ignored
    assert kind.context("projector", room.view(160))["turn_no"] == 1
    room.act(100, "skip", index="1")
    ctx = kind.context("projector", room.view(101))
    assert (ctx["turn_no"], ctx["timer"]["deadline_ms"]) == (2, int(at(220).timestamp() * 1000))
    room.act(101, "skip", index="2")
    assert kind.context("projector", room.view(102))["round_phase"] == "goal"
    phases = kind.results(room.view(102))["phases"]
    assert [(p["phase"], p["seconds"]) for p in phases] == [
        ("Tænketid", 30),
        ("Tur 1", 70),
        ("Tur 2", 1),
    ]


def test_actions_need_a_started_round():
    room = Room()
    for action in ("pause", "more", "skip", "move"):
        with pytest.raises(Rejected, match="start"):
            room.act(0, action)


# ---- swaps and late joiners ----------------------------------------------------------------


def test_the_instructor_swaps_people_before_starting():
    room = Room(4)
    room.act(0, "pair", seed="7")
    (a, b), (c, d) = room.step.state["groups"]
    room.act(1, "swap", a=str(a), b=str(c))
    assert room.step.state["groups"] == [[c, b], [a, d]]
    with pytest.raises(Rejected, match="forskellige"):
        room.act(2, "swap", a=str(a), b=str(a))
    room.act(3, "start")
    assert room.step.state["groups"] == [[c, b], [a, d]]
    with pytest.raises(Rejected, match="før interviewet starter"):
        room.act(4, "swap", a=str(a), b=str(b))
    with pytest.raises(Rejected, match="først"):
        Room(2).act(0, "swap", a="1", b="2")


def test_a_late_joiner_before_the_start_makes_a_trio_and_is_kept_at_the_start():
    room = Room(4)
    room.act(0, "pair", seed="7")
    first = room.step.state["groups"][0]
    late = room.join(5)
    assert room.groups(6)[0] == (*first, late)
    assert room.phone(6, late)["status"] == "paired"
    room.act(10, "start")
    assert room.step.state["groups"][0] == [*first, late]


def test_a_late_joiner_in_the_first_turn_listens_then_takes_part():
    room = started(4)
    a, b = room.step.state["groups"][0]
    c = room.join(60)
    assert room.groups(61)[0] == (a, b, c)
    assert [room.role(61, p) for p in (a, b, c)] == ["interviewer", "interviewee", "listener"]
    assert [room.role(151, p) for p in (a, b, c)] == ["listener", "interviewer", "interviewee"]
    assert [room.role(271, p) for p in (a, b, c)] == ["interviewee", "listener", "interviewer"]


def test_a_late_joiner_in_the_second_turn_keeps_the_turn_running():
    room = started(4)
    a, b = room.step.state["groups"][0]
    assert room.role(160, b) == "interviewer"
    c = room.join(160)
    assert room.groups(161)[0] == (c, b, a)
    assert (room.role(161, b), room.role(161, a), room.role(161, c)) == (
        "interviewer",
        "interviewee",
        "listener",
    )
    assert (room.role(271, a), room.role(271, c)) == ("interviewer", "interviewee")


def test_late_joiners_fill_pairs_then_wait_then_pair_with_each_other():
    room = started(4)
    c, d = room.join(40), room.join(41)  # each of the two pairs becomes a trio
    assert sorted(len(g) for g in room.groups(42)) == [3, 3]
    e = room.join(50)  # every group is full: e waits for a partner
    assert room.role(51, e) == "waiting"
    f = room.join(200)  # in turn 2: f and e make a new pair, starting now
    assert (e, f) in room.groups(201)
    assert (room.role(201, e), room.role(201, f)) == ("interviewer", "interviewee")
    # The round gets a third turn, so the new pair also swaps roles.
    assert (room.role(271, e), room.role(271, f)) == ("interviewee", "interviewer")
    assert room.role(391, e) == "done" and c and d


def test_a_joiner_after_the_interviews_can_only_write_a_goal():
    room = started(2)
    late = room.join(300)
    assert room.role(301, late) == "outside"
    controls = kind.context("controls", room.view(301))
    assert controls["waiting"] == [(late, NAMES[late - 1])] and controls["targets"] == []
    with pytest.raises(Rejected, match="slut"):
        room.act(302, "move", pid=str(late), **{"with": "1"})


def test_the_instructor_puts_a_waiting_person_with_a_group_of_their_choice():
    room = started(4)
    c, d = room.join(40), room.join(40)  # two trios
    waiting = room.join(45)
    assert room.role(46, waiting) == "waiting"
    controls = kind.context("controls", room.view(46))
    assert controls["waiting"] == [(waiting, NAMES[waiting - 1])]
    trio = next(g for g in room.groups(46) if c in g)
    room.act(47, "move", pid=str(waiting), **{"with": str(trio[0])})
    four = next(g for g in room.groups(48) if c in g)
    assert len(four) == 4 and room.role(48, waiting) == "listener"
    # Everyone in the group of four is interviewed once, over four turns.
    interviewed = [p for t in (48, 151, 271, 391) for p in four if room.role(t, p) == "interviewee"]
    assert sorted(interviewed) == sorted(four)
    assert room.role(511, waiting) == "done"
    with pytest.raises(Rejected, match="allerede en makker"):
        room.act(49, "move", pid=str(waiting), **{"with": str(d)})
    late = room.join(50)  # the other trio has room only for the instructor's choice
    assert room.role(51, late) == "waiting"
    with pytest.raises(Rejected, match="fuld"):
        room.act(52, "move", pid=str(late), **{"with": str(waiting)})


def test_join_group_keeps_the_turns_already_run():
    assert logic.join_group(Group((1, 2)), 3, 0) == Group((1, 2, 3))
    assert logic.join_group(Group((1, 2)), 3, 1) == Group((3, 2, 1))
    assert logic.join_group(Group((1, 2)), 3, 2) is None  # the pair is done
    assert logic.join_group(Group((1, 2, 3)), 4, 0) is None  # automatic: at most three
    assert logic.join_group(Group((1, 2, 3)), 4, 0, cap=4) == Group((1, 2, 4, 3))
    assert logic.join_group(Group((1, 2, 3)), 4, 1, cap=4) == Group((1, 2, 3, 4))
    assert logic.join_group(Group((1, 2, 3)), 4, 2, cap=4) == Group((4, 2, 3, 1))
    assert logic.join_group(Group((1,), 1), 2, 1) == Group((1, 2), 1)


# ---- goals ---------------------------------------------------------------------------------


def test_a_goal_is_private_and_can_be_edited():
    room = started(2)
    sub = kind.accept(room.view(300, 1), {"what": "goal", "text": "  Blive bedre til at lytte "})
    assert (sub.slot, sub.payload, sub.audience) == (
        "goal",
        {"text": "Blive bedre til at lytte"},
        "self",
    )
    room.responses.append(
        SimpleNamespace(owner="p:1", slot="goal", payload=sub.payload, participant_id=1)
    )
    assert room.phone(301, 1)["goal_text"] == "Blive bedre til at lytte"
    assert room.phone(301, 2)["goal_text"] is None
    assert kind.phone_key(room.view(301, 1)) is None  # one fragment per phone
    for screen in ("projector", "controls"):
        assert "Blive bedre" not in json.dumps(kind.context(screen, room.view(301)), default=str)
    assert kind.results(room.view(301))["goals"] == 1
    assert "Blive bedre" not in json.dumps(kind.results(room.view(301)))
    for data, message in [({"what": "goal", "text": " "}, "Skriv"), ({"what": "x"}, "Ukendt")]:
        with pytest.raises(Rejected, match=message):
            kind.accept(room.view(300, 1), data)
    with pytest.raises(Rejected, match="for langt"):
        kind.accept(room.view(300, 1), {"what": "goal", "text": "x" * 1001})
