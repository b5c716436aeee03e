"""Tip en 13'er, pure logic: parsing, phases, accepting answers, scoring, ties, results."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from exercises.tip13 import Tip13
from exercises.tip13.logic import ranked, score
from exercises.tip13.tally import tally
from facilitator import programs
from facilitator.kinds import ContentError, Rejected, StepView

kind = Tip13()
NOW = datetime(2026, 2, 26, 13, 5, tzinfo=UTC)
LABELS = ["Rigtigt", "Det afhænger af", "Forkert"]
KEY = ["1", "X", "2", "1"]  # the right answers of the four-row test coupon


def content(n: int = 4, mode: str = "individual_then_group", **extra):
    rows = [
        {"text": f"Udsagn {i}", "answer": KEY[(i - 1) % 4], "explanation": f"Fordi {i}"}
        for i in range(1, n + 1)
    ]
    return {"labels": LABELS, "mode": mode, "rows": rows, **extra}


def group(gid: int, name: str):
    return SimpleNamespace(id=gid, name=name)


G1, G2 = group(1, "Bord 1"), group(2, "Bord 2")


def person(pid: int, name: str, g=None):
    return SimpleNamespace(id=pid, name=name, group_id=g.id if g else None, group=g)


def answers(owner: str, coupon: str):
    """Responses of one owner from a coupon string: '1X2-' = row 1: 1, row 2: X, row 3: 2."""
    return [
        SimpleNamespace(owner=owner, slot=f"row:{i}", payload={"answer": a})
        for i, a in enumerate(coupon, start=1)
        if a != "-"
    ]


def view(
    raw=None,
    state=None,
    responses=(),
    participants=(),
    groups=(),
    participant=None,
    min_anonymous=5,
):
    parsed = kind.parse(raw or content())
    step = SimpleNamespace(state=state if state is not None else kind.initial_state(parsed))
    workshop = SimpleNamespace(min_anonymous=min_anonymous, groups=list(groups))
    return StepView(
        workshop,
        step,
        parsed,
        NOW,
        responses=list(responses),
        participants=list(participants),
        participant=participant,
    )


def state(phase="individual", revealed=0, board=False, grouped=False, **extra):
    return {"phase": phase, "revealed": revealed, "board": board, "grouped": grouped, **extra}


# ---- parsing ---------------------------------------------------------------------------------


def test_the_shipped_med_coupon_has_13_explained_rows_and_no_warning():
    program = programs.load("med_tip13")
    step = next(s for s in program.steps if s.kind == "tip13")
    coupon = kind.parse(step.content)
    assert len(coupon.rows) == 13 and coupon.warning is None
    assert all(r.explanation for r in coupon.rows)
    assert {r.answer for r in coupon.rows} == {"1", "X", "2"}
    assert coupon.mode == "individual_then_group"


def test_other_row_counts_parse_with_a_warning():
    coupon = kind.parse(content(11))
    assert coupon.warning.startswith("Kuponen har 11 rækker – en rigtig 13'er har 13")
    assert "1 række –" in kind.parse(content(1)).warning
    ctx = kind.context("controls", view(content(11)))
    assert ctx["t"].warning == coupon.warning


def test_labels_per_coupon_as_table_and_per_row_override():
    raw = content(2)
    raw["labels"] = {"1": "Ja", "x": "Måske", "2": "Nej"}
    raw["rows"][1]["labels"] = ["KommuneMED", "AfdelingsMED", "ArbejdspladsMED"]
    raw["rows"][1]["answer"] = "x"
    coupon = kind.parse(raw)
    assert coupon.rows[0].labels == ("Ja", "Måske", "Nej")
    assert coupon.rows[1].label("X") == "AfdelingsMED" and coupon.rows[1].answer == "X"


def test_answers_as_toml_numbers_and_the_quick_text_form():
    raw = content(2)
    raw["rows"][0]["answer"] = 2
    assert kind.parse(raw).rows[0].answer == "2"
    quick = kind.parse({"rows": "Første | 1 | Fordi\n\nAnden | x | Derfor | § 8"})
    assert [(r.text, r.answer, r.reference) for r in quick.rows] == [
        ("Første", "1", ""),
        ("Anden", "X", "§ 8"),
    ]
    assert quick.labels == tuple(LABELS) and quick.mode == "individual_then_group"
    with pytest.raises(ContentError, match="Række 2: skriv én række pr. linje"):
        kind.parse({"rows": "Første | 1 | Fordi\nBare et udsagn"})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"rows": []}, "mindst én række"),
        ({"rows": 12345}, "liste af rækker"),
        ({"mode": "hold"}, "Spilleform"),
        ({"labels": ["a", "b"]}, "tre tekster"),
        ({"labels": {"1": "a", "2": "b", "3": "c"}}, "1, X og 2"),
        ({"labels": ["a" * 41, "b", "c"]}, "for lang"),
    ],
)
def test_bad_coupons_are_refused_in_danish(change, message):
    with pytest.raises(ContentError, match=message):
        kind.parse({**content(), **change})


def test_bad_rows_name_the_row():
    raw = content(3)
    raw["rows"][2]["answer"] = "3"
    with pytest.raises(ContentError, match="Række 3: rigtigt svar"):
        kind.parse(raw)
    raw = content(3)
    raw["rows"][1]["explanation"] = ""
    with pytest.raises(ContentError, match="Række 2: forklaring» mangler"):
        kind.parse(raw)
    with pytest.raises(ContentError, match="højst 30"):
        kind.parse(content(31))


# ---- the instructor's actions ----------------------------------------------------------------


def test_initial_phase_follows_the_mode():
    assert kind.initial_state(kind.parse(content()))["phase"] == "individual"
    assert kind.initial_state(kind.parse(content(mode="individual")))["phase"] == "individual"
    group_only = kind.initial_state(kind.parse(content(mode="group")))
    assert group_only["phase"] == "group" and group_only["grouped"] is True


def test_to_group_then_lock_then_unlock_without_mutating():
    v = view(groups=[G1, G2])
    before = dict(v.state)
    grouped = kind.apply(v, "to_group", {})
    assert v.state == before
    assert grouped["phase"] == "group" and grouped["grouped"]
    v.step.state = grouped
    locked = kind.apply(v, "lock", {})
    assert locked["phase"] == "locked" and locked["reopen"] == "group"
    v.step.state = locked
    assert kind.apply(v, "unlock", {})["phase"] == "group"


def test_to_group_needs_groups_and_the_two_step_mode():
    with pytest.raises(Rejected, match="ingen grupper"):
        kind.apply(view(), "to_group", {})
    with pytest.raises(Rejected, match="udfyldes ikke i grupperne"):
        kind.apply(view(content(mode="individual"), groups=[G1]), "to_group", {})


def test_reveal_locks_and_steps_row_by_row_to_the_board():
    v = view(content(2))
    first = kind.apply(v, "reveal_next", {})
    assert first["phase"] == "locked" and first["revealed"] == 1 and not first["board"]
    v.step.state = first
    second = kind.apply(v, "reveal_next", {})
    v.step.state = second
    board = kind.apply(v, "reveal_next", {})
    assert board["revealed"] == 2 and board["board"] is True
    v.step.state = board
    assert kind.apply(v, "reveal_prev", {})["board"] is False
    hidden = kind.apply(v, "hide", {})
    assert (hidden["phase"], hidden["revealed"], hidden["board"]) == ("locked", 0, False)
    with pytest.raises(Rejected, match="Skjul facit først"):
        kind.apply(v, "unlock", {})


def test_a_double_press_on_next_reveals_one_row_only():
    v = view(content(4))
    seen = tally(v).stamp
    once = kind.apply(v, "reveal_next", {"at": seen})
    v.step.state = once
    twice = kind.apply(v, "reveal_next", {"at": seen})  # the same button, pressed again
    assert once["revealed"] == twice["revealed"] == 1


def test_reveal_all_and_unknown_action():
    v = view(content(4))
    done = kind.apply(v, "reveal_all", {})
    assert (done["phase"], done["revealed"], done["board"]) == ("locked", 4, True)
    with pytest.raises(Rejected, match="Ukendt"):
        kind.apply(v, "explode", {})


# ---- accepting answers -----------------------------------------------------------------------


def test_individual_answers_go_to_the_participants_own_slot():
    pia = person(1, "Pia", G1)
    sub = kind.accept(view(participant=pia, groups=[G1]), {"row": "3", "answer": "x"})
    assert (sub.slot, sub.payload, sub.scope, sub.audience) == (
        "row:3",
        {"answer": "X"},
        "participant",
        "self",
    )


def test_group_answers_are_one_per_group_and_reach_the_whole_group():
    pia = person(1, "Pia", G1)
    v = view(state=state("group", grouped=True), participant=pia, groups=[G1])
    sub = kind.accept(v, {"row": "1", "answer": "2", "coupon": "group"})
    assert (sub.slot, sub.scope, sub.audience) == ("row:1", "group", "group")
    with pytest.raises(Rejected, match="bordets kupon"):
        kind.accept(v, {"row": "1", "answer": "2", "coupon": "mine"})


def test_a_phone_still_showing_the_group_coupon_cannot_write_to_it_later():
    pia = person(1, "Pia", G1)
    v = view(participant=pia, groups=[G1])
    with pytest.raises(Rejected, match="ikke åben"):
        kind.accept(v, {"row": "1", "answer": "1", "coupon": "group"})


def test_without_groups_group_mode_is_answered_alone():
    pia = person(1, "Pia")
    sub = kind.accept(view(content(mode="group"), participant=pia), {"row": "1", "answer": "1"})
    assert sub.scope == "participant"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"row": "0", "answer": "1"}, "findes ikke"),
        ({"row": "5", "answer": "1"}, "findes ikke"),
        ({"row": "1.5", "answer": "1"}, "findes ikke"),
        ({"row": "²", "answer": "1"}, "findes ikke"),
        ({"row": "9" * 5000, "answer": "1"}, "findes ikke"),
        ({"answer": "1"}, "findes ikke"),
        ({"row": "1", "answer": "3"}, "1, X eller 2"),
        ({"row": "1", "answer": "<script>alert(1)</script>"}, "1, X eller 2"),
        ({"row": "1"}, "1, X eller 2"),
    ],
)
def test_bad_answers_are_refused(data, message):
    with pytest.raises(Rejected, match=message):
        kind.accept(view(participant=person(1, "Pia")), data)


def test_changed_answers_after_lock_are_rejected():
    pia = person(1, "Pia", G1)
    for locked in (state("locked"), state("locked", revealed=2), state("locked", 4, True)):
        with pytest.raises(Rejected, match="låst"):
            kind.accept(view(state=locked, participant=pia), {"row": "1", "answer": "X"})


# ---- scoring ---------------------------------------------------------------------------------


def test_ties_share_a_place_and_the_next_place_is_skipped():
    board = ranked([("a", "Bord 1", 10), ("b", "Bord 2", 12), ("c", "bord 3", 10), ("d", "D", 8)])
    assert [(e["name"], e["place"], e["shared"]) for e in board] == [
        ("Bord 2", 1, False),
        ("Bord 1", 2, True),
        ("bord 3", 2, True),
        ("D", 4, False),
    ]
    assert all(e["shared"] for e in ranked([(1, "A", 0), (2, "B", 0)]))


def test_unanswered_rows_score_nothing():
    coupon = kind.parse(content(4))
    assert score({1: "1", 2: "X"}, coupon.rows) == 2
    assert score({}, coupon.rows) == 0
    assert score({1: "2", 3: "2", 4: "1"}, coupon.rows) == 2


def group_room(mode="individual_then_group", board=True):
    """Two groups of two; Bord 1 and Bord 2 tie on 3 of 4 by different rows."""
    people = [person(1, "Pia", G1), person(2, "Ole", G1), person(3, "Åse", G2), person(4, "Bo", G2)]
    rows = (
        answers("p:1", "1X21")
        + answers("p:2", "2X2-")
        + answers("p:3", "112-")
        + answers("p:4", "----")
        + answers("g:1", "1X2X")  # wrong on row 4
        + answers("g:2", "1221")  # wrong on row 2
    )
    st = state("locked", 4, board, grouped=mode != "individual")
    return people, rows, st


def test_group_scoreboard_counts_the_group_coupons_and_shows_ties():
    people, rows, st = group_room()
    t = tally(view(state=st, responses=rows, participants=people, groups=[G1, G2]))
    assert t.group_play
    assert [(e["name"], e["score"], e["place"], e["shared"]) for e in t.board_entries] == [
        ("Bord 1", 3, 1, True),
        ("Bord 2", 3, 1, True),
    ]


def test_individual_mode_ranks_people_who_answered_and_never_the_empty_coupon():
    people, rows, st = group_room("individual")
    t = tally(view(content(mode="individual"), st, rows, people, [G1, G2]))
    assert not t.group_play
    assert [(e["name"], e["score"], e["place"]) for e in t.board_entries] == [
        ("Pia", 4, 1),
        ("Ole", 2, 2),
        ("Åse", 2, 2),  # Danish order: å after o (and after æ and ø)
    ]


def test_skipping_the_group_coupon_scores_people_instead():
    people, rows, _ = group_room()
    skipped = state("locked", 4, True, grouped=False)
    t = tally(view(state=skipped, responses=rows, participants=people, groups=[G1, G2]))
    assert not t.group_play and t.board_entries[0]["name"] == "Pia"


def test_running_score_counts_only_revealed_rows():
    people, rows, _ = group_room()
    v = view(state=state("locked", 2, grouped=True), responses=rows, participants=people)
    ctx = kind.context("phone", v.for_participant(people[2]))  # Åse, Bord 2 (no groups here)
    assert ctx["hits"] == 1
    assert [line["revealed"] for line in ctx["lines"]] == [True, True, False, False]


def test_phone_shows_the_group_coupon_with_ones_own_answers_beside_it():
    people, rows, _ = group_room()
    v = view(state=state("group", grouped=True), responses=rows, participants=people, groups=[G1])
    ctx = kind.context("phone", v.for_participant(people[1]))  # Ole
    assert ctx["on_group"] and ctx["coupon_field"] == "group" and ctx["group_name"] == "Bord 1"
    assert [line["chosen"] for line in ctx["lines"]] == ["1", "X", "2", "X"]
    assert [line["mine"] for line in ctx["lines"]] == ["2", "X", "2", None]
    assert ctx["filled"] == 4 and ctx["editable"]


def test_phone_board_entry_and_shared_place():
    people, rows, st = group_room()
    v = view(state=st, responses=rows, participants=people, groups=[G1, G2])
    ctx = kind.context("phone", v.for_participant(people[3]))  # Bo, Bord 2, no own coupon
    assert ctx["entry"]["place"] == 1 and ctx["entry"]["shared"] and ctx["board_size"] == 2
    assert not ctx["own_answered"]


def test_phone_key_shares_renders_only_between_equal_views():
    people, rows, _ = group_room()
    v = view(state=state("group", grouped=True), responses=rows, participants=people, groups=[G1])
    keys = [kind.phone_key(v.for_participant(p)) for p in people]
    assert len(set(keys)) == 4  # different own coupons
    twin = person(5, "Tvilling", G1)
    twin_rows = rows + answers("p:5", "1X21")
    v2 = view(state=state("group", grouped=True), responses=twin_rows, participants=[*people, twin])
    assert kind.phone_key(v2.for_participant(twin)) == kind.phone_key(v2.for_participant(people[0]))


def test_room_distribution_hidden_below_the_anonymity_threshold():
    people, rows, _ = group_room()
    v = view(state=state("locked", 1, grouped=True), responses=rows, participants=people)
    reveal = kind.context("projector", v)["reveal"]
    assert reveal["people_total"] == 3 and not reveal["people_shown"]
    people += [person(5, "Ib"), person(6, "Kim")]
    rows += answers("p:5", "1---") + answers("p:6", "X---")
    v = view(state=state("locked", 1), responses=rows, participants=people)
    reveal = kind.context("projector", v)["reveal"]
    assert reveal["people_shown"] and [o["people"] for o in reveal["options"]] == [3, 1, 1]
    assert [o["right"] for o in reveal["options"]] == [True, False, False]


def test_projector_reveal_shows_group_counts_and_who_hit():
    people, rows, _ = group_room()
    st = state("locked", 2, grouped=True)
    reveal = kind.context(
        "projector", view(state=st, responses=rows, participants=people, groups=[G1, G2])
    )["reveal"]
    assert reveal["row"].number == 2 and reveal["row"].answer == "X"
    assert [o["groups"] for o in reveal["options"]] == [0, 1, 1]
    assert reveal["group_hits"] == ["Bord 1"]


def test_progress_counts_complete_coupons_not_names_on_screen():
    people, rows, _ = group_room()
    p = kind.context("projector", view(responses=rows, participants=people, groups=[G1, G2]))
    progress = p["progress"]
    assert (progress["done"], progress["total"]) == (1, 4)
    assert [(g["name"], g["filled"], g["done"]) for g in progress["groups"]] == [
        ("Bord 1", 4, True),
        ("Bord 2", 4, True),
    ]


def test_topics_to_repeat_are_the_rows_most_got_wrong():
    people = [person(i, f"P{i}") for i in range(1, 7)]
    rows = []
    for i, coupon in enumerate(["1221", "1221", "1X12", "1212", "1X21", "1221"], start=1):
        rows += answers(f"p:{i}", coupon)
    v = view(content(mode="individual"), state("locked", 4, True), rows, people)
    repeat = kind.context("projector", v)["repeat"]
    assert [(r["row"].number, r["percent"]) for r in repeat] == [(2, 67), (3, 33), (4, 33)]
    result = kind.results(v)
    assert [r["row"] for r in result["repeat"]] == [2, 3, 4]
    assert result["plan_candidates"][0]["source"] == "Tip en 13'er"
    assert result["plan_candidates"][0]["theme"] == "Udsagn 2"


def test_results_count_every_row_and_keep_names_out_of_group_play():
    people, rows, _ = group_room(board=False)
    v = view(
        state=state("locked", 1, grouped=True), responses=rows, participants=people, groups=[G1]
    )
    result = kind.results(v)
    assert [g["score"] for g in result["groups"]] == [3]
    assert "participants" not in result and result["rows"][0]["answers"] is None
    assert result["rows"][0]["group_answers"] == {"1": 1, "X": 0, "2": 0}
    assert result["locked"] and result["row_count"] == 4
    individual = kind.results(view(content(mode="individual"), responses=rows, participants=people))
    assert [p["name"] for p in individual["participants"]][0] == "Pia"


def test_the_tally_is_computed_once_per_render():
    people, rows, _ = group_room()
    v = view(state=state("group", grouped=True), responses=rows, participants=people, groups=[G1])
    assert tally(v) is tally(v.for_participant(people[0]))
    v.step.state = state("locked", 1, grouped=True)
    assert tally(v).revealed == 1


def test_group_mode_in_a_room_without_groups_is_played_alone():
    v = view(content(mode="group"), participants=[person(1, "Pia")])
    t = tally(v)
    assert t.phase == "group" and t.alone and not t.group_play
    ctx = kind.context("phone", v.for_participant(person(1, "Pia")))
    assert not ctx["on_group"] and ctx["coupon_field"] == "mine"
