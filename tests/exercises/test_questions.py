"""Evt. spørgsmål, pure logic: parsing, asking, one vote per person, marks, anonymity."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from exercises.questions import Questions
from facilitator.kinds import ContentError, Rejected, StepView

kind = Questions()
NOW = datetime(2026, 2, 26, 9, 5, tzinfo=UTC)
PIA = SimpleNamespace(id=1, name="Pia Hansen", group_id=None)
OLE = SimpleNamespace(id=2, name="Ole Jensen", group_id=None)


def row(rid, pid, slot, **payload):
    return SimpleNamespace(id=rid, owner=f"p:{pid}", slot=slot, payload=payload)


def view(responses=(), state=None, participant=None, **content):
    parsed = kind.parse({"prompt": "Spørgsmål til i går?", **content})
    step = SimpleNamespace(state=state if state is not None else kind.initial_state(parsed))
    workshop = SimpleNamespace(min_anonymous=5, groups=[])
    return StepView(
        workshop, step, parsed, NOW, responses=list(responses), participants=[PIA, OLE],
        participant=participant,
    )  # fmt: skip


ROOM = [
    row(10, 1, "q:1", text="Hvornår er næste møde?"),
    row(11, 2, "q:1", text="Hvem skriver referatet?"),
    row(12, 1, "v:11", on=True),
]


def test_parse_names_the_field_in_danish():
    with pytest.raises(ContentError) as caught:
        kind.parse({})
    assert str(caught.value).startswith("«Opfordring» mangler")
    with pytest.raises(ContentError) as caught:
        kind.parse({"prompt": "x", "max_chars": 5})
    assert caught.value.field == "max_chars" and "«Højst tegn pr. spørgsmål»" in str(caught.value)


def test_asking_is_one_slot_per_question_and_limited():
    sub = kind.accept(view(participant=PIA), {"op": "ask", "slot": "1", "text": "  Hvad  nu? "})
    assert (sub.slot, sub.payload, sub.audience) == ("q:1", {"text": "Hvad nu?"}, "all")
    with pytest.raises(Rejected, match="Skriv dit spørgsmål"):
        kind.accept(view(participant=PIA), {"op": "ask", "slot": "1", "text": "  "})
    with pytest.raises(Rejected, match="højst 20 tegn"):
        kind.accept(
            view(participant=PIA, max_chars=20), {"op": "ask", "slot": "1", "text": "x" * 21}
        )
    full = view(ROOM, participant=PIA, max_questions=1)
    with pytest.raises(Rejected, match="højeste antal"):
        kind.accept(full, {"op": "ask", "slot": "2", "text": "Et til"})
    # Editing the one question already asked is still allowed.
    assert kind.accept(full, {"op": "ask", "slot": "1", "text": "Ny tekst"}).slot == "q:1"
    with pytest.raises(Rejected):
        kind.accept(view(participant=PIA), {"op": "ask", "slot": "٣", "text": "x"})


def test_one_vote_per_question_can_be_taken_back_and_never_on_ones_own():
    sub = kind.accept(view(ROOM, participant=OLE), {"op": "vote", "q": "10", "on": "1"})
    assert (sub.slot, sub.payload) == ("v:10", {"on": True})
    back = kind.accept(view(ROOM, participant=PIA), {"op": "vote", "q": "11", "on": "0"})
    assert (back.slot, back.payload) == ("v:11", {"on": False})  # same slot: replaces the vote
    with pytest.raises(Rejected, match="dit eget"):
        kind.accept(view(ROOM, participant=PIA), {"op": "vote", "q": "10", "on": "1"})
    with pytest.raises(Rejected):
        kind.accept(view(ROOM, participant=PIA), {"op": "vote", "q": "999", "on": "1"})


def test_marks_hide_and_answer_and_closing_stops_votes():
    v = view(ROOM)
    hidden = kind.apply(v, "hide", {"q": "11"})
    assert hidden["marks"] == {"11": "hidden"}
    with pytest.raises(Rejected):
        kind.accept(view(ROOM, hidden, participant=PIA), {"op": "vote", "q": "11", "on": "1"})
    assert kind.apply(view(ROOM, hidden), "restore", {"q": "11"})["marks"] == {}
    with pytest.raises(Rejected):
        kind.apply(v, "answer", {"q": "404"})
    closed = kind.apply(v, "close", {})
    with pytest.raises(Rejected, match="lukket"):
        kind.accept(view(ROOM, closed, participant=OLE), {"op": "vote", "q": "10", "on": "1"})


def test_ranking_puts_votes_first_and_answered_last_without_names():
    state = {"open": True, "marks": {"11": "answered"}}
    ctx = kind.context("projector", view(ROOM + [row(13, 2, "v:10", on=True)], state))
    assert [q.text for q in ctx["top"]] == ["Hvornår er næste møde?"]
    assert ctx["answered"] == 1 and ctx["total"] == 2
    ctx = kind.context("projector", view(ROOM))
    assert [q.text for q in ctx["top"]] == ["Hvem skriver referatet?", "Hvornår er næste møde?"]
    result = kind.results(view(ROOM, state))
    assert result["questions"][0] == {
        "text": "Hvornår er næste møde?",
        "votes": 0,
        "answered": False,
    }
    assert "Pia" not in str(result) and "Ole" not in str(result) and "owner" not in str(result)


def test_the_projector_shows_a_page_and_counts_the_rest():
    many = [row(100 + i, 1 + i % 2, f"q:{i}", text=f"Spørgsmål {i}") for i in range(1, 11)]
    ctx = kind.context("projector", view(many))
    assert len(ctx["top"]) == 5 and ctx["more"] == 5
    long = [row(100 + i, 1, f"q:{i}", text="Ord " * 50) for i in range(1, 4)]  # 199 chars
    ctx = kind.context("projector", view(long))
    assert len(ctx["top"]) == 1 and ctx["more"] == 2  # never cut: the rest wait their turn


def test_a_hidden_question_stays_on_its_writers_phone_only():
    state = {"open": True, "marks": {"10": "hidden"}}
    pia = kind.context("phone", view(ROOM, state, participant=PIA))
    ole = kind.context("phone", view(ROOM, state, participant=OLE))
    assert 10 in {q.id for q in pia["listed"]} and 10 not in {q.id for q in ole["listed"]}
    assert pia["voted"] == {"11"} and pia["next_slot"] == 2
