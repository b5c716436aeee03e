"""Acting on behalf of people without a phone: the instructor answers from the controls."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .. import workshops
from ..db import db
from ..kinds import Rejected
from ..models import Participant, Step, Workshop
from ..screens import render
from .auth import current_instructor, login_required

bp = Blueprint("proxy", __name__, url_prefix="/w/<int:workshop_id>")


def _load(workshop_id: int, participant_id: int | None = None):
    workshop = db.get(Workshop, workshop_id)
    if workshop is None or not workshops.can_teach(current_instructor(), workshop):
        abort(404)
    if participant_id is None:
        return workshop, None
    participant = db.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        abort(404)
    return workshop, participant


def _phone(workshop: Workshop, participant: Participant, **extra):
    step = workshop.current_step
    submit_url = (
        url_for("proxy.submit", workshop_id=workshop.id, pid=participant.id, step_id=step.id)
        if step
        else ""
    )
    return render("phone", workshop, participant=participant, submit_url=submit_url, **extra)


@bp.post("/participants")
@login_required
def add(workshop_id: int):
    """Add someone without a phone; the instructor answers for them."""
    workshop, _ = _load(workshop_id)
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
    workshop, participant = _load(workshop_id, pid)
    return render_template(
        "controls/proxy.html",
        workshop=workshop,
        participant=participant,
        fragment=_phone(workshop, participant),
    )


@bp.post("/as/<int:pid>/s/<int:step_id>")
@login_required
def submit(workshop_id: int, pid: int, step_id: int):
    workshop, participant = _load(workshop_id, pid)
    step = db.get(Step, step_id)
    if step is None or step.workshop_id != workshop.id:
        abort(404)
    try:
        workshops.submit(
            workshop, participant, step, request.form, request.headers.get("Idempotency-Key")
        )
    except Rejected as exc:
        return _phone(workshop, participant, error=str(exc)), 422
    return _phone(workshop, participant, saved=True)
