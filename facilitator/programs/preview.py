"""Preview one program step as the projector and a phone show it, before any workshop exists."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..kinds import Screen, StepView, kind_of
from ..models import Participant, Step, Workshop, utcnow
from ..screens import render

PREVIEW_CODE = "PRØVE"


def preview(screen: Screen, program_title: str, step: dict[str, Any]) -> Markup:
    """The step's fragment for a screen, rendered with a throwaway workshop nobody saves.

    The workshop, step and participant are never added to a session: an empty room with
    no answers, as the screens look the moment the instructor shows the step.
    """
    kind = kind_of(step["kind"])
    content = kind.parse(step["content"])  # ContentError: the caller says what is wrong
    workshop = Workshop(
        id=0, code=PREVIEW_CODE, title=program_title, status="running", current=0, version=1,
        min_anonymous=5,
    )  # fmt: skip
    row = Step(
        id=0, position=0, kind=kind.name, title=step["title"], content=step["content"],
        state=kind.initial_state(content), version=1,
    )  # fmt: skip
    workshop.steps = [row]
    workshop.groups = []
    participant = None
    if screen == "phone":
        participant = Participant(
            id=0, workshop_id=0, name="Deltager", token="", reentry_code="0000000000", proxy=False
        )
    view = StepView(workshop, row, content, utcnow(), responses=[], participants=[])
    return render(screen, workshop, participant, view=view)
