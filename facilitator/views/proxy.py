"""Acting on behalf of people without a phone: the instructor answers from the controls."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import answers, workshops
from ..kinds import StepView
from ..models import Participant, Workshop
from ..screens import render
from .access import instructor_workshop, workshop_participant
from .auth import login_required

bp = Blueprint("proxy", __name__, url_prefix="/w/<int:workshop_id>")


def proxy_phone(workshop: Workshop, participant: Participant, **extra):  # noqa: ANN201
    """The participant's phone fragment as the instructor sees it: its forms post here."""
    step = workshop.current_step
    if step is not None:
        extra.setdefault(
            "submit_url",
            url_for("proxy.submit", workshop_id=workshop.id, pid=participant.id, step_id=step.id),
        )
    return render("phone", workshop, participant=participant, **extra)


@bp.post("/participants")
@login_required
def add(workshop_id: int):
    """Add someone without a phone; the instructor answers for them."""
    workshop = instructor_workshop(workshop_id)
    try:
        participant = workshops.join(
            workshop, request.form.get("name", ""), request.form.get("group"), proxy=True
        )
    except workshops.JoinError as exc:
        flash(str(exc), "error")
        return redirect(url_for("controls.workshop", workshop_id=workshop.id))
    return redirect(url_for("proxy.page", workshop_id=workshop.id, pid=participant.id))


@bp.get("/as/<int:pid>")
@login_required
def page(workshop_id: int, pid: int):
    workshop = instructor_workshop(workshop_id)
    participant = workshop_participant(workshop, pid)
    return render_template(
        "controls/proxy.html",
        workshop=workshop,
        participant=participant,
        fragment=proxy_phone(workshop, participant),
    )


@bp.post("/as/<int:pid>/s/<int:step_id>")
@login_required
def submit(workshop_id: int, pid: int, step_id: int):
    workshop = instructor_workshop(workshop_id)
    participant = workshop_participant(workshop, pid)

    def reply(ws: Workshop, view: StepView | None, p: Participant, outcome: answers.Outcome):  # noqa: ANN202
        extra = {"error": outcome.error} if outcome.error else {"saved": True}
        return proxy_phone(ws, p, view=view, **extra)

    key = request.headers.get("Idempotency-Key")
    sender = answers.Sender.of(participant)
    outcome, html = answers.submit(sender, step_id, request.form, key, reply)
    if html is None:  # refused before the store (a limit); the request's session was let go
        workshop = instructor_workshop(workshop_id)
        html = proxy_phone(workshop, workshop_participant(workshop, pid), error=outcome.error)
    return html, 422 if outcome.error else 200
