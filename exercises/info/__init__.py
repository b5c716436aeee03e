"""Info: a titled text or program overview on the projector, optionally on the phones."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import ExerciseKind, Field, Screen, StepView, flag, text, text_list


@dataclass(frozen=True)
class InfoContent:
    body: str
    points: list[str]
    show_on_phone: bool


class Info(ExerciseKind[InfoContent]):
    name = "info"
    title = "Information"
    description = "En overskrift med tekst eller punkter, fx dagens program."
    main_field = "body"
    example = {"body": "Velkommen til dagen.", "points": ["Formiddag", "Frokost", "Eftermiddag"]}
    fields = (
        Field("body", "Tekst", "textarea"),
        Field("points", "Punkter", "lines", help="Ét punkt pr. linje."),
        Field("show_on_phone", "Vis også teksten på telefonerne", "bool"),
    )

    def parse(self, raw: Mapping[str, Any]) -> InfoContent:
        return InfoContent(
            body=text(raw, "body", "Tekst", required=False, max_len=4000),
            points=text_list(raw, "points", "Punkter"),
            show_on_phone=flag(raw, "show_on_phone", default=True),
        )

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        return {"content": view.content}

    def phone_key(self, view: StepView) -> Any:
        return "same"
