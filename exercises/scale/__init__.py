"""Hvor enig er du i ...: an anonymous agreement scale that opens a discussion."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from facilitator.kinds import (
    ExerciseKind,
    ExportRow,
    Rejected,
    Screen,
    StepView,
    Submission,
    field_error,
    int_field,
    lines_field,
    text_field,
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
    statement: str = text_field(
        "Udsagn", required=True, max_len=300, help="Fx «Hvor enig er du i, at …»."
    )
    case: str = text_field(
        "Case", area=True, max_len=1500, help="En kort situation, udsagnet handler om."
    )
    points: int = int_field(
        "Antal trin", default=5, low=5, high=7, allowed=(5, 7), help="5 eller 7."
    )
    labels: list[str] = lines_field(
        "Trinnenes navne",
        max_len=40,
        help="Ét navn pr. linje, lige så mange som trin. Tom: helt uenig … helt enig.",
    )

    def checked(self) -> ScaleContent:
        """As many labels as points; none given: the standard ones."""
        if not self.labels:
            return replace(self, labels=list(LABELS[self.points]))
        if len(self.labels) != self.points:
            problem = f"skal have {self.points} navne, ét for hvert trin."
            raise field_error(ScaleContent, "labels", problem)
        return self


class Scale(ExerciseKind[ScaleContent]):
    name = "scale"
    title = "Hvor enig er du i ..."
    description = "Et udsagn på en skala fra helt uenig til helt enig. Anonymt."
    main_field = "statement"
    example = {"statement": "Hvor enig er du i, at sagen skal drøftes i MED-udvalget?"}
    Content = ScaleContent

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

    def export_rows(self, view: StepView) -> list[ExportRow]:
        found = self.results(view)
        if found["distribution"] is None:
            return [ExportRow(found["statement"], f"{found['answers']} svar. {found['note']}")]
        return [
            ExportRow(found["statement"], f"{label}: {count}")
            for label, count in found["distribution"].items()
        ]

    def results(self, view: StepView) -> dict[str, Any]:
        answers, counts = self.tally(view)
        result: dict[str, Any] = {"statement": view.content.statement, "answers": answers}
        if answers >= view.min_anonymous:
            result["distribution"] = dict(zip(view.content.labels, counts, strict=True))
        else:
            result["distribution"] = None
            result["note"] = f"Fordelingen vises ikke ved færre end {view.min_anonymous} svar."
        return result
