"""The participant's phone: join in one screen, wait, then take part in the current step."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from sqlalchemy import select

from .. import limits, workshops
from ..db import db
from ..kinds import Rejected
from ..models import Participant, Step, Workshop
from ..screens import render

bp = Blueprint("phone", __name__, url_prefix="/j")


def _workshop(code: str) -> Workshop:
    """The open workshop behind a code; a clear Danish page for unknown or closed codes."""
    workshop = db.scalar(select(Workshop).where(Workshop.code == workshops.normalise_code(code)))
    if workshop is None:
        abort(404, description="Koden findes ikke. Tjek koden på skærmen, og prøv igen.")
    if workshop.status == "closed":
        abort(410, description="Workshoppen er afsluttet. Tak fordi du var med!")
    return workshop


def _participant(workshop: Workshop) -> Participant | None:
    return workshops.by_token(workshop, session.get("phones", {}).get(workshop.code))


def _remember(workshop: Workshop, participant: Participant) -> None:
    """Keep the phone's identity in its cookie for a month: a course may span days."""
    phones = dict(session.get("phones", {}))
    phones[workshop.code] = participant.token
    session["phones"] = phones
    session.permanent = True


@bp.route("", methods=["GET", "POST"])
def enter_code():
    """For those who type the address: one box for the code."""
    if request.method == "POST":
        code = workshops.normalise_code(request.form.get("code", ""))
        if code:
            return redirect(url_for("phone.join", code=code))
    return render_template("phone/code.html")


@bp.route("/<code>", methods=["GET", "POST"])
def join(code: str):
    workshop = _workshop(code)
    if workshops.normalise_code(code) != code:
        return redirect(url_for("phone.join", code=workshop.code))
    participant = _participant(workshop)
    if participant is not None:
        return render_template(
            "phone/page.html",
            workshop=workshop,
            participant=participant,
            fragment=render("phone", workshop, participant=participant),
        )
    error = None
    if request.method == "POST":
        try:
            participant = workshops.join(
                workshop, request.form.get("name", ""), request.form.get("group")
            )
        except workshops.JoinError as exc:
            error = str(exc)
        else:
            _remember(workshop, participant)
            return redirect(url_for("phone.join", code=workshop.code))
    return render_template(
        "phone/join.html", workshop=workshop, error=error, form=request.form
    ), 422 if error else 200


@bp.post("/<code>/igen")
def reenter(code: str):
    """A new phone (or day 2 on another device): come back with the personal code."""
    workshop = _workshop(code)
    participant = workshops.by_reentry_code(workshop, request.form.get("reentry", ""))
    if participant is None:
        return render_template(
            "phone/join.html",
            workshop=workshop,
            reentry_error="Koden passer ikke. Den står øverst på din første telefon.",
            form=request.form,
        ), 422
    _remember(workshop, participant)
    return redirect(url_for("phone.join", code=workshop.code))


@bp.get("/<code>/fragment")
def fragment(code: str):
    workshop = _workshop(code)
    participant = _participant(workshop)
    if participant is None:
        return "Log ind igen", 401
    return render("phone", workshop, participant=participant)


@bp.post("/<code>/s/<int:step_id>")
def submit(code: str, step_id: int):
    workshop = _workshop(code)
    participant = _participant(workshop)
    if participant is None:
        return "Du er ikke med i denne workshop. Genindlæs siden.", 401
    if not limits.answer_allowed(participant.id):  # a phone (or a script) may not flood the room
        refused = limits.ANSWERS_TOO_MANY
        return render("phone", workshop, participant=participant, error=refused), 422
    step = db.get(Step, step_id)
    if step is None or step.workshop_id != workshop.id:
        return render(
            "phone",
            workshop,
            participant=participant,
            error="Svaret hører ikke til denne workshop.",
        ), 422
    try:
        workshops.submit(
            workshop, participant, step, request.form, request.headers.get("Idempotency-Key")
        )
    except Rejected as exc:
        return render("phone", workshop, participant=participant, error=str(exc)), 422
    return render("phone", workshop, participant=participant, saved=True)
