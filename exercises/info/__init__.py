"""Info: a titled text or program overview on the projector, optionally on the phones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import url_for

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

IMAGE_REF = re.compile(r"[0-9a-f]{64}\.(png|jpg|svg)")


@dataclass(frozen=True)
class InfoContent:
    body: str = text_field("Tekst", area=True, max_len=4000)
    points: list[str] = lines_field("Punkter", help="Ét punkt pr. linje.")
    show_on_phone: bool = bool_field("Vis også teksten på telefonerne", default=True)
    # "<sha256>.<ext>" of an uploaded picture (facilitator/media); set by the upload form.
    image: str = text_field("Billede", max_len=80)
    image_alt: str = text_field(
        "Billedtekst",
        max_len=300,
        help="Sig kort, hvad billedet viser. Læses op for den, der ikke kan se det.",
    )
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
        if self.image and not IMAGE_REF.fullmatch(self.image):
            raise field_error(InfoContent, "image", "er ikke et billede, der er uploadet her.")
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
    media_fields = ("image",)

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        content = view.content
        image = content.image
        return {
            "content": content,
            "link_qr": qr.svg(content.link) if content.link else None,
            "image_url": url_for("media.picture", sha=image[:64], ext=image[65:])
            if image
            else None,
        }

    def phone_key(self, view: StepView) -> Any:
        return "same"
