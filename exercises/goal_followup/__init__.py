"""Opfølgning på dit personlige mål: each participant sees their own goal back and reflects."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import (
    ExerciseKind,
    ExportRow,
    Rejected,
    Screen,
    StepView,
    Submission,
    lines_field,
    text_field,
)

GOAL_MAX = 1000
ANSWER_MAX = 1000
QUESTIONS = [
    "Hvad har du lært i forhold til dit mål?",
    "Hvad vil du arbejde videre med?",
    "Hvad er det første, du gør, når du kommer hjem?",
]
# Kinds whose "goal" slot holds a participant's personal goal, newest step last.
GOAL_KINDS = ("interview", "goal_followup")


@dataclass(frozen=True)
class FollowupContent:
    title: str = text_field("Overskrift", max_len=200, default="Opfølgning på dit personlige mål")
    questions: list[str] = lines_field(
        "Spørgsmål til refleksion", default=tuple(QUESTIONS), max_items=8, help="Ét pr. linje."
    )


def latest_goal(view: StepView) -> str | None:
    """The viewer's newest goal: from this step, else the latest earlier step that has one."""
    found: list[tuple[int, str]] = []
    for kind in GOAL_KINDS:
        for step, rows in view.earlier(kind):
            found += [(step.position, r.payload.get("text", "")) for r in rows if r.slot == "goal"]
    found += [
        (view.step.position, r.payload.get("text", "")) for r in view.own() if r.slot == "goal"
    ]
    found = [f for f in found if f[1]]
    return max(found, key=lambda f: f[0])[1] if found else None


class GoalFollowup(ExerciseKind[FollowupContent]):
    name = "goal_followup"
    title = "Opfølgning på dit personlige mål"
    description = (
        "Hver deltager ser sit eget mål fra interviewet igen og svarer på spørgsmål til "
        "refleksion. Kun de selv kan se det."
    )
    main_field = "title"
    example = {"title": "Opfølgning på dit personlige mål", "questions": QUESTIONS}
    Content = FollowupContent

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        what = data.get("what")
        if what == "goal":
            goal = str(data.get("text", "")).strip()
            if not goal:
                raise Rejected("Skriv dit mål først.")
            if len(goal) > GOAL_MAX:
                raise Rejected(f"Målet er for langt. Brug højst {GOAL_MAX} tegn.")
            return Submission(slot="goal", payload={"text": goal})
        if what == "reflection":
            answers = [
                str(data.get(f"a{i}", "")).strip() for i in range(len(view.content.questions))
            ]
            if not any(answers):
                raise Rejected("Skriv mindst ét svar først.")
            if any(len(a) > ANSWER_MAX for a in answers):
                raise Rejected(f"Et svar er for langt. Brug højst {ANSWER_MAX} tegn.")
            return Submission(slot="reflection", payload={"answers": answers})
        raise Rejected("Ukendt svar.")

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        ctx: dict[str, Any] = {"content": view.content}
        if screen == "phone":
            own = {r.slot: r.payload for r in view.own()}
            answers = own.get("reflection", {}).get("answers", [])
            ctx["goal_text"] = latest_goal(view)
            ctx["edited"] = "goal" in own
            ctx["questions"] = [
                (i, q, answers[i] if i < len(answers) else "")
                for i, q in enumerate(view.content.questions)
            ]
            ctx["answered"] = any(answers)
        elif screen == "controls":
            ctx.update(self.results(view))
            ctx["people"] = len(view.participants)
        return ctx

    def export_rows(self, view: StepView) -> list[ExportRow]:
        found = self.results(view)
        return [
            ExportRow("Refleksioner skrevet (private)", str(found["reflections"])),
            ExportRow("Mål rettet (private)", str(found["goals_edited"])),
        ]

    def results(self, view: StepView) -> dict[str, Any]:
        """Only counts: the goals and reflections are private to each participant."""
        slots = [r.slot for r in view.responses]
        return {"reflections": slots.count("reflection"), "goals_edited": slots.count("goal")}
