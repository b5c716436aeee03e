"""Info: a titled text or program overview on the projector, optionally on the phones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator.kinds import (
    ExerciseKind,
    Screen,
    StepView,
    bool_field,
    lines_field,
    text_field,
)


@dataclass(frozen=True)
class InfoContent:
    body: str = text_field("Tekst", area=True, max_len=4000)
    points: list[str] = lines_field("Punkter", help="Ét punkt pr. linje.")
    show_on_phone: bool = bool_field("Vis også teksten på telefonerne", default=True)


class Info(ExerciseKind[InfoContent]):
    name = "info"
    title = "Information"
    description = "En overskrift med tekst eller punkter, fx dagens program."
    main_field = "body"
    example = {"body": "Velkommen til dagen.", "points": ["Formiddag", "Frokost", "Eftermiddag"]}
    Content = InfoContent

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        return {"content": view.content}

    def phone_key(self, view: StepView) -> Any:
        return "same"
