"""Opfølgning på dit personlige mål: the own goal shown back, edits, reflections, privacy."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from exercises.goal_followup import QUESTIONS, GoalFollowup, latest_goal
from facilitator.kinds import Rejected, StepView

kind = GoalFollowup()
NOW = datetime(2026, 3, 4, 13, 0, tzinfo=UTC)
ANNA, BO = SimpleNamespace(id=1, name="Anna"), SimpleNamespace(id=2, name="Bo")


def row(pid: int, slot: str, **payload) -> SimpleNamespace:
    return SimpleNamespace(owner=f"p:{pid}", slot=slot, payload=payload, participant_id=pid)


class Course:
    """A follow-up step at position 5, with earlier interview and follow-up steps."""

    def __init__(self, earlier: dict[str, list[tuple[int, list]]] | None = None, **raw) -> None:
        self.content = kind.parse(raw)
        self.step = SimpleNamespace(state={}, position=5)
        self.workshop = SimpleNamespace(groups=[], min_anonymous=5)
        self.responses: list[SimpleNamespace] = []
        self.earlier = earlier or {}

    def _earlier(self, kind_name: str, p) -> list:
        return [
            (SimpleNamespace(position=pos), [r for r in rows if r.participant_id == p.id])
            for pos, rows in self.earlier.get(kind_name, [])
        ]

    def view(self, who=None) -> StepView:
        return StepView(
            self.workshop, self.step, self.content, NOW, self.responses, [ANNA, BO], who,
            earlier=self._earlier,
        )  # fmt: skip

    def send(self, who, **data) -> None:
        sub = kind.accept(self.view(who), data)
        self.responses = [
            r for r in self.responses if (r.participant_id, r.slot) != (who.id, sub.slot)
        ] + [row(who.id, sub.slot, **sub.payload)]


def test_parse_defaults():
    content = kind.parse({})
    assert content.title == "Opfølgning på dit personlige mål" and content.questions == QUESTIONS
    assert kind.parse({"questions": "Hvad nu?\n"}).questions == ["Hvad nu?"]


def test_the_own_goal_from_the_interview_is_shown_back_to_its_owner_only():
    course = Course({"interview": [(1, [row(1, "goal", text="Tale mere på møderne")])]})
    anna = kind.context("phone", course.view(ANNA))
    assert anna["goal_text"] == "Tale mere på møderne" and not anna["edited"]
    assert kind.context("phone", course.view(BO))["goal_text"] is None
    assert kind.phone_key(course.view(ANNA)) is None


def test_the_newest_goal_wins_across_steps_and_days():
    course = Course(
        {
            "interview": [(1, [row(1, "goal", text="Dag 1")]), (3, [])],
            "goal_followup": [(4, [row(1, "goal", text="Rettet på dag 2")])],
        }
    )
    assert latest_goal(course.view(ANNA)) == "Rettet på dag 2"
    course.send(ANNA, what="goal", text="  Rettet igen nu ")
    ctx = kind.context("phone", course.view(ANNA))
    assert ctx["goal_text"] == "Rettet igen nu" and ctx["edited"]


def test_without_a_goal_one_can_be_written_now():
    course = Course()
    assert kind.context("phone", course.view(BO))["goal_text"] is None
    course.send(BO, what="goal", text="Lære at læse et budget")
    assert kind.context("phone", course.view(BO))["goal_text"] == "Lære at læse et budget"
    assert kind.context("phone", course.view(ANNA))["goal_text"] is None


def test_reflections_are_kept_per_question_and_can_be_edited():
    course = Course()
    course.send(ANNA, what="reflection", a0="At spørge ind", a2="Booke et møde")
    ctx = kind.context("phone", course.view(ANNA))
    assert [a for _i, _q, a in ctx["questions"]] == ["At spørge ind", "", "Booke et møde"]
    course.send(ANNA, what="reflection", a0="At lytte", a1="", a2="")
    assert kind.context("phone", course.view(ANNA))["questions"][0][2] == "At lytte"
    assert kind.context("phone", course.view(BO))["answered"] is False
    for data, message in [
        ({"what": "reflection"}, "mindst ét svar"),
        ({"what": "reflection", "a1": "x" * 1001}, "for langt"),
        ({"what": "goal", "text": ""}, "Skriv dit mål"),
        ({"what": "andet"}, "Ukendt"),
    ]:
        with pytest.raises(Rejected, match=message):
            kind.accept(course.view(BO), data)


def test_controls_and_results_only_count():
    course = Course({"interview": [(1, [row(1, "goal", text="Hemmeligt mål")])]})
    course.send(ANNA, what="reflection", a0="Hemmelig refleksion")
    course.send(BO, what="goal", text="Bos hemmelige mål")
    for screen in ("controls", "projector"):
        shown = json.dumps(kind.context(screen, course.view()), default=str)
        assert "Hemmelig" not in shown and "hemmelige" not in shown
    assert kind.results(course.view()) == {"reflections": 1, "goals_edited": 1}
