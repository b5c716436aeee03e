"""Refleksion / postkort: parsing, answers, lock, recall, and privacy in every rendered screen."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
from flask import render_template

from exercises.reflection import Reflection
from facilitator.kinds import ContentError, Rejected, StepView

kind = Reflection()
NOW = datetime(2026, 2, 25, 15, 30, tzinfo=UTC)
PRIVATE = "PIA-HEMMELIGT: jeg er bange for min leder"
SHARED = "PIA-DELT: mere om arbejdsmiljø"
RAW = {
    "intro": "Tag et øjeblik for dig selv.",
    "questions": [
        {"text": "Hvad tager du med dig?"},
        {"text": "Hvad vil du have mere af?", "shared": True},
    ],
    "max_chars": 100,
}
PEOPLE = [
    SimpleNamespace(id=pid, name=name, group_id=gid)
    for pid, name, gid in [(1, "Pia", 1), (2, "Ole", 1), (3, "Åse", 2), (4, "Bo", 2), (5, "Kim", 2)]
]


class Room:
    """One reflection step, its rows and earlier steps, as the core would hand them over."""

    def __init__(self, raw=RAW, title="Overvej til i morgen", position=1, earlier=()) -> None:
        self.content = kind.parse(raw)
        self.step = SimpleNamespace(
            id=100 + position, title=title, position=position, kind="reflection", content=raw,
            state=kind.initial_state(self.content),
        )  # fmt: skip
        self.workshop = SimpleNamespace(
            groups=[], min_anonymous=5, steps=[room.step for room in earlier] + [self.step]
        )
        self.rows: list[SimpleNamespace] = []
        self.earlier_rooms = list(earlier)

    def _earlier(self, name, p):
        # Like workshops.earlier_responses: only the participant's own rows of earlier steps.
        return [
            (r.step, [row for row in r.rows if row.owner == f"p:{p.id}"])
            for r in self.earlier_rooms
        ]

    def view(self, pid: int | None = None) -> StepView:
        me = next((p for p in PEOPLE if p.id == pid), None)
        return StepView(
            self.workshop, self.step, self.content, NOW, self.rows, PEOPLE, me, self._earlier
        )

    def send(self, pid: int, *answers: str):
        data = {f"a{i}": a for i, a in enumerate(answers)}
        sub = kind.accept(self.view(pid), data)
        owner = f"p:{pid}"
        self.rows = [r for r in self.rows if not (r.owner == owner and r.slot == sub.slot)]
        self.rows.append(SimpleNamespace(owner=owner, slot=sub.slot, payload=sub.payload))
        return sub

    def act(self, action: str, **data) -> dict:
        before = json.dumps(self.step.state, sort_keys=True)
        state = kind.apply(self.view(), action, data)
        assert json.dumps(self.step.state, sort_keys=True) == before, "apply mutated state"
        self.step.state = state
        return state

    def render(self, screen: str, pid: int | None = None) -> str:
        view = self.view(pid)
        return render_template(
            kind.template(screen),
            **kind.context(screen, view),
            step=self.step,
            submit_url="/j/X/s/1",
            act_url=lambda action: f"/act/{action}",
        )


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


# ---- content -------------------------------------------------------------------------------


def test_example_parses_and_questions_may_be_plain_texts():
    assert kind.parse(kind.example).questions[1].mode == "anonymous"
    content = kind.parse({"questions": "Hvad lærte du?\n\nHvad undrer dig?"})
    assert [q.text for q in content.questions] == ["Hvad lærte du?", "Hvad undrer dig?"]
    assert all(q.mode == "private" for q in content.questions)
    named = kind.parse({"questions": [{"text": "Hvem?", "shared": True, "anonymous": False}]})
    assert named.questions[0].mode == "named"
    assert kind.parse({"questions": ["A"], "recall": "Forrige"}).recall == "previous"
    assert kind.parse({"questions": ["A"], "recall": "alle"}).recall == "all"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({}, "mindst ét spørgsmål"),
        ({"questions": 5}, "skal være en liste"),
        ({"questions": [{"shared": True}]}, "«Spørgsmål 1» mangler"),
        ({"questions": [3]}, "«Spørgsmål 1» skal være"),
        ({"questions": ["A"] * 9}, "højst have 8"),
        ({"questions": ["A"], "max_chars": 10}, "mellem 50 og 2000"),
    ],
)
def test_bad_content_gets_a_danish_message(raw, message):
    with pytest.raises(ContentError, match=message):
        kind.parse(raw)


# ---- answers and lock ------------------------------------------------------------------------


def test_answers_are_saved_whole_and_edited_in_place():
    room = Room()
    sub = room.send(1, "  første  ", "")
    assert sub.slot == "answers" and sub.payload == {"answers": ["første", ""]}
    room.send(1, "rettet", "noget delt")
    assert [r.payload for r in room.rows] == [{"answers": ["rettet", "noget delt"]}]
    # Emptying every answer is allowed once something was saved: the writer may take it back.
    room.send(1, "", "")
    assert room.rows[0].payload == {"answers": ["", ""]}


def test_a_first_empty_answer_and_a_too_long_one_are_refused():
    room = Room()
    with pytest.raises(Rejected, match="Skriv mindst ét svar"):
        room.send(2, " ", "")
    with pytest.raises(Rejected, match=r"spørgsmål 2 er for langt \(101 tegn\). Skriv højst 100"):
        room.send(2, "ok", "x" * 101)
    # Line breaks arrive as \r\n but count as one character, as the textarea counted them.
    room.send(2, "a\r\n" * 49 + "ab", "")  # 149 characters sent
    assert len(room.rows[0].payload["answers"][0]) == 100


def test_lock_refuses_changes_and_unlock_allows_them_again():
    room = Room()
    room.send(1, "før låsen", "")
    room.act("lock")
    with pytest.raises(Rejected, match="låst"):
        room.send(1, "efter låsen", "")
    assert room.rows[0].payload["answers"][0] == "før låsen"
    room.act("unlock")
    room.send(1, "efter oplåsning", "")
    assert room.rows[0].payload["answers"][0] == "efter oplåsning"


def test_only_shared_questions_can_be_shown():
    room = Room()
    with pytest.raises(Rejected, match="private"):
        room.act("show", q="0")
    for bad in ("7", "-1", "x", ""):
        with pytest.raises(Rejected, match="findes ikke"):
            room.act("show", q=bad)
    assert room.act("show", q="1")["shown"] == 1
    assert room.act("hide")["shown"] is None
    with pytest.raises(Rejected, match="Ukendt"):
        room.act("dans")


def test_every_phone_is_rendered_on_its_own():
    assert kind.phone_key(Room().view(1)) is None


# ---- privacy in the rendered screens ---------------------------------------------------------


def test_private_text_reaches_only_the_writers_phone(ctx):
    room = Room()
    room.send(1, PRIVATE, SHARED)
    room.send(2, "Oles eget", "")
    assert PRIVATE in room.render("phone", 1) and SHARED in room.render("phone", 1)
    ole = room.render("phone", 2)
    assert "Oles eget" in ole
    assert "PIA-" not in ole
    for screen in ("projector", "controls"):
        html = room.render(screen)
        assert "PIA-" not in html and "Oles eget" not in html, screen
    controls = room.render("controls")
    assert 'data-testid="rf-controls-count">2<' in controls  # question 1: two answered
    assert 'data-testid="rf-controls-count">1<' in controls  # question 2: one answered


def test_anonymous_shared_answers_wait_for_enough_writers_and_carry_no_names(ctx):
    room = Room()
    room.send(1, PRIVATE, SHARED)
    for pid in (2, 3, 4):
        room.send(pid, "", f"delt svar {pid}")
    room.act("show", q="1")
    few = room.render("projector")
    assert "For få svar endnu" in few and "PIA-" not in few and "delt svar" not in few
    room.send(5, "", "delt svar 5")
    wall = room.render("projector")
    assert SHARED in wall and "delt svar 5" in wall
    assert PRIVATE not in wall
    for person in PEOPLE:
        assert person.name not in wall
    # The controls still see counts only, even while the answers are on the projector.
    assert "delt svar" not in room.render("controls") and "PIA-" not in room.render("controls")
    controls_context = repr(kind.context("controls", room.view()))
    assert "delt svar" not in controls_context and "PIA-" not in controls_context
    # Sorted by text, not by who wrote first, so the order does not point at anyone.
    items = [i["text"] for i in kind.context("projector", room.view())["shown"]["items"]]
    assert items == sorted(items, key=str.casefold)


def test_named_answers_show_with_the_writers_name_and_private_ones_never(ctx):
    raw = {"questions": ["Privat?", {"text": "Spændt på?", "shared": True, "anonymous": False}]}
    room = Room(raw)
    room.send(1, PRIVATE, "at lære mere")
    room.act("show", q="1")
    html = room.render("projector")
    assert "Pia" in html and "at lære mere" in html and PRIVATE not in html


def test_participant_text_is_escaped_on_every_screen(ctx):
    room = Room()
    payload = '<img src=x onerror="alert(1)">'
    for pid in range(1, 6):
        room.send(pid, payload, payload)
    room.act("show", q="1")
    for screen, pid in (("phone", 1), ("projector", None)):
        html = room.render(screen, pid)
        assert "<img" not in html and "&lt;img src=x" in html, screen


# ---- recall across steps -----------------------------------------------------------------------


def day_two(recall: str, *earlier: Room) -> Room:
    raw = {"questions": ["Hvad har du tænkt over siden i går?"], "recall": recall}
    return Room(raw, title="Siden i går", position=5, earlier=earlier)


def test_recall_shows_each_phone_its_own_earlier_answers(ctx):
    day1 = Room()
    day1.send(1, PRIVATE, SHARED)
    day1.send(2, "Oles postkort", "")
    room = day_two("Overvej til i morgen", day1)
    pia, ole, bo = room.render("phone", 1), room.render("phone", 2), room.render("phone", 4)
    assert "Det skrev du under «Overvej til i morgen»" in pia
    assert PRIVATE in pia and SHARED in pia and "Oles postkort" not in pia
    assert "Oles postkort" in ole and "PIA-" not in ole
    assert "Du skrev ikke noget dengang" in bo and "PIA-" not in bo
    for screen in ("projector", "controls"):
        assert "PIA-" not in room.render(screen) and "Oles" not in room.render(screen)
    assert "Overvej til i morgen" in room.render("controls")


def test_recall_picks_previous_all_or_by_title(ctx):
    first = Room(title="Dag 1", position=1)
    second = Room(title="Dag 2", position=3)
    first.send(1, "fra dag 1", "")
    second.send(1, "fra dag 2", "")
    previous = day_two("forrige", first, second).render("phone", 1)
    assert "fra dag 2" in previous and "fra dag 1" not in previous
    both = day_two("alle", first, second).render("phone", 1)
    assert both.index("fra dag 1") < both.index("fra dag 2")
    titled = day_two("dag 1", first, second).render("phone", 1)
    assert "fra dag 1" in titled and "fra dag 2" not in titled


def test_a_recalled_answer_can_be_rewritten_later_and_only_by_its_writer(ctx):
    day1 = Room()
    day1.send(1, PRIVATE, SHARED)
    room = day_two("Overvej til i morgen", day1)
    assert "Ret det, du skrev" in room.render("phone", 1)
    data = {"op": "revise", "step": str(day1.step.id), "a0": "PIA-NY: nu tør jeg", "a1": SHARED}
    sub = kind.accept(room.view(1), data)
    assert sub.slot == f"revise:{day1.step.id}"
    room.rows.append(SimpleNamespace(owner="p:1", slot=sub.slot, payload=sub.payload))
    pia = room.render("phone", 1)
    assert "PIA-NY: nu tør jeg" in pia and PRIVATE not in pia and "(rettet siden)" in pia
    for screen, pid in (("phone", 2), ("projector", None), ("controls", None)):
        assert "PIA-NY" not in room.render(screen, pid)
    assert room.render("controls").count("PIA-") == 0
    # A later step that recalls day 1 again finds the newest version.
    later = Room(
        {"questions": ["Og nu?"], "recall": "Overvej til i morgen"},
        title="Afslutning", position=9, earlier=(day1, room),
    )  # fmt: skip
    assert "PIA-NY: nu tør jeg" in later.render("phone", 1)
    # Only steps the recall shows can be rewritten; the limits and the lock still hold.
    with pytest.raises(Rejected, match="kan ikke rettes"):
        kind.accept(room.view(1), {**data, "step": "999"})
    with pytest.raises(Rejected, match="for langt"):
        kind.accept(room.view(1), {**data, "a0": "x" * 101})
    room.act("lock")
    with pytest.raises(Rejected, match="låst"):
        kind.accept(room.view(1), data)
    assert "Ret det, du skrev" not in room.render("phone", 1)


def test_a_recall_that_points_at_nothing_warns_the_instructor(ctx):
    room = day_two("Findes ikke", Room(title="Dag 1"))
    assert "Intet tidligere refleksionstrin passer til «Findes ikke»" in room.render("controls")
    assert "Der er ingen tidligere svar at vise" in room.render("phone", 1)
    first_step = Room(raw={**RAW, "recall": "forrige"})
    assert "passer til «forrige»" in first_step.render("controls")


# ---- results ---------------------------------------------------------------------------------


def test_results_hold_counts_and_only_shared_texts():
    room = Room()
    room.send(1, PRIVATE, SHARED)
    for pid in (2, 3, 4):
        room.send(pid, "også privat", f"delt {pid}")
    few = kind.results(room.view())
    dumped = json.dumps(few, ensure_ascii=False)
    assert "PIA-HEMMELIGT" not in dumped and "også privat" not in dumped
    assert "delt" not in dumped.replace("Svarene vises", "")  # four: too few to show
    assert [q["answers"] for q in few["questions"]] == [4, 4]
    room.send(5, "", "delt 5")
    many = kind.results(room.view())
    assert many["questions"][1]["texts"] == sorted(
        [SHARED, "delt 2", "delt 3", "delt 4", "delt 5"], key=str.casefold
    )
    assert "texts" not in many["questions"][0]
    assert "Pia" not in json.dumps(many, ensure_ascii=False)
    assert many["participants_answered"] == 5
