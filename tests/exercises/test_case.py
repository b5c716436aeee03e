"""Case, pure logic: parsing, a table's answers, concurrent saves, showing back, pages."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from exercises.case import Case
from exercises.case.logic import pages
from facilitator.kinds import ContentError, Rejected, StepView

kind = Case()
NOW = datetime(2026, 2, 26, 10, 5, tzinfo=UTC)
B1, B2 = SimpleNamespace(id=1, name="Bord 1"), SimpleNamespace(id=2, name="Bord 2")
PIA = SimpleNamespace(id=1, name="Pia Hansen", group_id=1)
OLE = SimpleNamespace(id=2, name="Ole Jensen", group_id=1)
LONE = SimpleNamespace(id=3, name="Lone", group_id=None)
CONTENT = {"case": "Kun én må holde pause ad gangen.", "questions": ["Hvem høres?", "Hvordan?"]}


def answer(gid, index, text, rev=1, **extra):
    payload = {"text": text, "rev": rev, **extra}
    return SimpleNamespace(
        id=100 + gid * 10 + index, owner=f"g:{gid}", slot=f"a:{index}", payload=payload
    )


def view(responses=(), state=None, participant=None, **content):
    parsed = kind.parse({**CONTENT, **content})
    step = SimpleNamespace(
        state=state if state is not None else kind.initial_state(parsed), title="Bagland"
    )
    workshop = SimpleNamespace(min_anonymous=5, groups=[B1, B2])
    return StepView(
        workshop, step, parsed, NOW, responses=list(responses), participants=[PIA, OLE, LONE],
        participant=participant,
    )  # fmt: skip


def test_parse_names_the_field_in_danish():
    with pytest.raises(ContentError) as caught:
        kind.parse({"case": "x"})
    assert caught.value.field == "questions"
    assert str(caught.value) == "«Spørgsmål til bordet» mangler: skriv mindst ét spørgsmål."
    with pytest.raises(ContentError) as caught:
        kind.parse({"questions": ["a"]})
    assert str(caught.value).startswith("«Casen» mangler")


def test_a_table_answers_each_question_in_its_own_group_slot():
    sub = kind.accept(
        view(participant=PIA), {"q": "1", "text": "Ved et fællesmøde\r\n", "rev": "0"}
    )
    assert (sub.slot, sub.scope, sub.payload) == (
        "a:1",
        "group",
        {"text": "Ved et fællesmøde", "rev": 1},
    )
    with pytest.raises(Rejected, match="findes ikke"):
        kind.accept(view(participant=PIA), {"q": "2", "text": "x"})
    with pytest.raises(Rejected, match="ikke ved et bord"):
        kind.accept(view(participant=LONE), {"q": "0", "text": "x"})
    with pytest.raises(Rejected, match="højst 100 tegn"):
        kind.accept(view(participant=PIA, max_chars=100), {"q": "0", "text": "x" * 101})
    locked = {"locked": True, "show": None, "page": 0}
    with pytest.raises(Rejected, match="låst"):
        kind.accept(view(state=locked, participant=PIA), {"q": "0", "text": "x"})


def test_a_save_over_a_newer_version_keeps_the_other_words():
    rows = [answer(1, 0, "Tillidsrepræsentanten", rev=2)]
    over = kind.accept(view(rows, participant=OLE), {"q": "0", "text": "Alle kolleger", "rev": "1"})
    assert over.payload == {"text": "Alle kolleger", "rev": 3, "earlier": "Tillidsrepræsentanten"}
    same = kind.accept(view(rows, participant=OLE), {"q": "0", "text": "Alle", "rev": "2"})
    assert "earlier" not in same.payload


def test_the_instructor_shows_a_table_or_a_question_and_pages():
    rows = [answer(1, 0, "TR og AMiR"), answer(2, 0, "Personalemøde"), answer(2, 1, "Nyhedsbrev")]
    v = view(rows)
    shown = kind.apply(v, "show_table", {"item": "2"})
    ctx = kind.context("projector", view(rows, shown))
    assert ctx["heading"] == "Bord 2" and ctx["cards"] == [
        ("Hvem høres?", "Personalemøde"),
        ("Hvordan?", "Nyhedsbrev"),
    ]
    by_q = kind.apply(v, "show_question", {"item": "0"})
    ctx = kind.context("projector", view(rows, by_q))
    assert ctx["cards"] == [("Bord 1", "TR og AMiR"), ("Bord 2", "Personalemøde")]
    with pytest.raises(Rejected):
        kind.apply(v, "show_table", {"item": "9"})
    assert kind.apply(view(rows, by_q), "hide", {})["show"] is None
    assert (
        "Pia" not in str(kind.results(v))
        and kind.results(v)["tables"][1]["answers"][1]["answer"] == "Nyhedsbrev"
    )


def test_long_conclusions_are_paginated_never_cut():
    cards = [(f"Bord {i}", f"ord{i} " * 30) for i in range(1, 6)]  # 4 lines each
    split = pages(cards)
    assert len(split) > 1 and [c for page in split for c in page] == [
        (h, t.strip()) for h, t in cards
    ]
    long = pages([("Bord 1", "langt " * 400)])  # 2400 characters: several pages
    assert len(long) >= 4 and long[1][0][0] == "Bord 1 (fortsat)"
    words = " ".join(text for page in long for _h, text in page).split()
    assert words == ["langt"] * 400  # every word is on some page, none cut


def test_a_long_case_goes_on_the_projector_page_by_page():
    short = kind.context("projector", view())
    assert short["show"] is None  # the large overview
    long = kind.context("projector", view(case="Sådan er det. " * 120))  # 1680 characters
    assert long["show"] == {"case": True} and long["page_count"] > 1
    assert long["cards"][0][0] == "Casen"


def test_many_questions_are_paged_between_questions_never_inside_one():
    questions = [f"Spørgsmål {i}: hvordan sikrer I" + " løbende opfølgning" * 4 for i in range(6)]
    ctx = kind.context("projector", view(case="Kort case.", questions=questions))
    assert ctx["show"] == {"case": True}
    from exercises.case.logic import question_cards

    cards = question_cards("Kort case.", questions)
    texts = [line for _title, text in cards for line in text.split("\n")]
    assert texts == [f"{i}. {q}" for i, q in enumerate(questions, start=1)]  # whole, in order
    assert cards[0][0] == "Spørgsmål til bordet" and cards[1][0].endswith("(fortsat)")
    split = pages([("Casen", "Kort case."), *cards])
    assert split[0][1] == cards[0]  # the first questions share the case's page
    assert all(len(page) <= 2 for page in split) and len(split) == len(cards)
