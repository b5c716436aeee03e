"""Info: a titled text or program overview on the projector, optionally on the phones."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from facilitator import qr
from facilitator.kinds import (
    ExerciseKind,
    Screen,
    StepView,
    bool_field,
    field_error,
    lines_field,
    text_field,
)


@dataclass(frozen=True)
class InfoContent:
    body: str = text_field("Tekst", area=True, max_len=4000)
    points: list[str] = lines_field("Punkter", help="Ét punkt pr. linje.")
    show_on_phone: bool = bool_field("Vis også teksten på telefonerne", default=True)
    link: str = text_field(
        "Link til en film eller side",
        max_len=500,
        help="Vises på projektoren som adresse og QR-kode, så deltagerne kan åbne det.",
    )
    notes: str = text_field(
        "Noter til underviseren",
        area=True,
        max_len=4000,
        help="Vises kun i styringen: aldrig på projektoren eller telefonerne.",
    )

    def checked(self) -> InfoContent:
        if self.link and not self.link.startswith(("https://", "http://")):
            raise field_error(InfoContent, "link", "skal begynde med https:// eller http://.")
        return self


class Info(ExerciseKind[InfoContent]):
    name = "info"
    title = "Information"
    description = "En overskrift med tekst eller punkter, fx dagens program."
    main_field = "body"
    example = {"body": "Velkommen til dagen.", "points": ["Formiddag", "Frokost", "Eftermiddag"]}
    Content = InfoContent

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        link = view.content.link
        return {"content": view.content, "link_qr": qr.svg(link) if link else None}

    def phone_key(self, view: StepView) -> Any:
        return "same"
