"""Hvor enig er du i ...: an anonymous agreement scale that opens a discussion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import (
    ContentError,
    ExerciseKind,
    Field,
    Rejected,
    Screen,
    StepView,
    Submission,
    integer,
    text,
    text_list,
)
from facilitator.validation import as_int

LABELS = {
    5: ["Helt uenig", "Uenig", "Hverken enig eller uenig", "Enig", "Helt enig"],
    7: [
        "Helt uenig",
        "Uenig",
        "Lidt uenig",
        "Hverken enig eller uenig",
        "Lidt enig",
        "Enig",
        "Helt enig",
    ],
}


@dataclass(frozen=True)
class ScaleContent:
    statement: str
    case: str
    points: int
    labels: list[str]


class Scale(ExerciseKind[ScaleContent]):
    name = "scale"
    title = "Hvor enig er du i ..."
    description = "Et udsagn på en skala fra helt uenig til helt enig. Anonymt."
    main_field = "statement"
    example = {"statement": "Hvor enig er du i, at sagen skal drøftes i MED-udvalget?"}
    fields = (
        Field("statement", "Udsagn", help="Fx «Hvor enig er du i, at …»."),
        Field("case", "Case", "textarea", help="En kort situation, udsagnet handler om."),
        Field("points", "Antal trin", "int", help="5 eller 7."),
        Field(
            "labels",
            "Trinnenes navne",
            "lines",
            help="Ét navn pr. linje, lige så mange som trin. Tom: helt uenig … helt enig.",
        ),
    )

    def parse(self, raw: Mapping[str, Any]) -> ScaleContent:
        points = integer(raw, "points", "Antal trin", default=5, low=5, high=7)
        if points not in LABELS:
            raise ContentError("«Antal trin» skal være 5 eller 7.")
        labels = text_list(raw, "labels", "Trinnenes navne", max_len=40) or LABELS[points]
        if len(labels) != points:
            raise ContentError(f"«Trinnenes navne» skal have {points} navne, ét for hvert trin.")
        return ScaleContent(
            statement=text(raw, "statement", "Udsagn", max_len=300),
            case=text(raw, "case", "Case", required=False, max_len=1500),
            points=points,
            labels=labels,
        )

    def initial_state(self, content: ScaleContent) -> dict[str, Any]:
        return {"open": True, "revealed": False}

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        changes = {
            "close": {"open": False},
            "open": {"open": True},
            "reveal": {"revealed": True},
            "hide": {"revealed": False},
        }
        if action not in changes:
            raise Rejected("Ukendt handling.")
        return {**view.state, **changes[action]}

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        content = view.content
        if not view.state.get("open", True):
            raise Rejected("Der er lukket for svar.")
        value = as_int(data.get("value"), 1, content.points)
        if value is None:
            raise Rejected(f"Vælg et svar fra 1 til {content.points}.")
        return Submission(slot="answer", payload={"value": value})

    def tally(self, view: StepView) -> tuple[int, list[int]]:
        """The number of answers and the count per point of the scale."""
        counts = Counter(r.payload.get("value") for r in view.responses)
        return sum(counts.values()), [counts.get(i, 0) for i in range(1, view.content.points + 1)]

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        ctx: dict[str, Any] = {
            "content": view.content,
            "min_answers": view.min_anonymous,
            "is_open": view.state.get("open", True),
            "revealed": view.state.get("revealed", False),
        }
        if screen == "phone":
            # A phone sees only its own answer: no tally, so answering stays O(1) per phone.
            own = view.own()
            ctx["own_value"] = own[0].payload.get("value") if own else None
            return ctx
        answers, counts = self.tally(view)
        ctx.update(answers=answers, enough=answers >= view.min_anonymous)
        if ctx["enough"]:
            top = max(counts) or 1
            ctx["bars"] = [
                {"label": label, "count": n, "share": round(100 * n / answers), "height": n / top}
                for label, n in zip(view.content.labels, counts, strict=True)
            ]
        return ctx

    def phone_key(self, view: StepView) -> Any:
        own = view.own()
        return (own[0].payload.get("value") if own else None, view.state.get("open", True))

    def results(self, view: StepView) -> dict[str, Any]:
        answers, counts = self.tally(view)
        result: dict[str, Any] = {"statement": view.content.statement, "answers": answers}
        if answers >= view.min_anonymous:
            result["distribution"] = dict(zip(view.content.labels, counts, strict=True))
        else:
            result["distribution"] = None
            result["note"] = f"Fordelingen vises ikke ved færre end {view.min_anonymous} svar."
        return result
