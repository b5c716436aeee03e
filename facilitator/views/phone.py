"""The participant's phone: join in one screen, wait, then take part in the current step."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for

from .. import answers, limits, workshops
from ..db import db
from ..models import Workshop
from ..reading import (
    by_course_reentry_code,
    by_reentry_code,
    course_participant,
    normalise_code,
)
from ..screens import phone_reply, render
from .access import current_participant, open_workshop, phone_cookie, remember_phone

bp = Blueprint("phone", __name__, url_prefix="/j")
NOT_JOINED = "Du er ikke med i denne workshop. Genindlæs siden."
TOO_MANY_JOINS = "Der er mange, der melder sig til lige nu. Vent et øjeblik, og prøv igen."
TOO_MANY_CODES = (
    "Der er prøvet for mange koder på kort tid. Vent et minut, og prøv igen, "
    "eller bed underviseren om hjælp."
)


@bp.route("", methods=["GET", "POST"])
def enter_code():
    """For those who type the address: one box for the code."""
    if request.method == "POST":
        code = normalise_code(request.form.get("code", ""))
        if code:
            return redirect(url_for("phone.join", code=code))
    return render_template("phone/code.html")


@bp.route("/<code>", methods=["GET", "POST"])
def join(code: str):
    workshop = open_workshop(code)
    if normalise_code(code) != code:
        return redirect(url_for("phone.join", code=workshop.code))
    participant = current_participant(workshop)
    if participant is not None:
        return render_template(
            "phone/page.html",
            workshop=workshop,
            participant=participant,
            fragment=render("phone", workshop, participant=participant),
        )
    # The same phone on an earlier day of the course: offer to go on as that person.
    earlier = course_participant(workshop, session.get("phones", {}))
    error = None
    if request.method == "POST" and not limits.allow_client("join", workshops.JOINS_PER_CLIENT):
        error = TOO_MANY_JOINS
    elif request.method == "POST":
        try:
            if earlier is not None and request.form.get("continue"):
                participant = workshops.continue_as(workshop, earlier, request.form.get("group"))
            else:
                participant = workshops.join(
                    workshop, request.form.get("name", ""), request.form.get("group")
                )
        except workshops.JoinError as exc:
            error = str(exc)
        else:
            remember_phone(workshop, participant)
            return redirect(url_for("phone.join", code=workshop.code))
    status = 429 if error == TOO_MANY_JOINS else 422 if error else 200
    return render_template(
        "phone/join.html", workshop=workshop, error=error, form=request.form, earlier=earlier
    ), status


def _reentry_allowed(workshop: Workshop, typed: str) -> bool:
    """Count one re-entry attempt per client and per workshop (see workshops.REENTRY_*)."""
    if not limits.allow_client("reentry-client", workshops.REENTRY_PER_CLIENT):
        return False
    digits = sum(ch.isdigit() for ch in typed)
    if digits >= workshops.REENTRY_LENGTH:
        scope, budget = "reentry-workshop", workshops.REENTRY_PER_WORKSHOP
    else:
        scope, budget = "reentry-short", workshops.REENTRY_SHORT_PER_WORKSHOP
    return limits.allow(scope, workshop.code, budget)


@bp.post("/<code>/igen")
def reenter(code: str):
    """A new phone (or day 2 on another device): come back with the personal code."""
    workshop = open_workshop(code)
    typed = request.form.get("reentry", "")
    if not _reentry_allowed(workshop, typed):
        return render_template(
            "phone/join.html", workshop=workshop, reentry_error=TOO_MANY_CODES, form=request.form
        ), 429
    participant = by_reentry_code(workshop, typed)
    earlier = by_course_reentry_code(workshop, typed) if participant is None else None
    if earlier is not None:
        # Their code from an earlier day of the course: the same person joins this day.
        remember_phone(db.get(Workshop, earlier.workshop_id), earlier)
        try:
            participant = workshops.continue_as(workshop, earlier)
        except workshops.JoinError:  # their table is not here: they choose one
            return redirect(url_for("phone.join", code=workshop.code))
    if participant is None:
        return render_template(
            "phone/join.html",
            workshop=workshop,
            reentry_error="Koden passer ikke. Den står øverst på din første telefon.",
            form=request.form,
        ), 422
    remember_phone(workshop, participant)
    return redirect(url_for("phone.join", code=workshop.code))


@bp.get("/<code>/fragment")
def fragment(code: str):
    workshop = open_workshop(code)
    participant = current_participant(workshop)
    if participant is None:
        return "Log ind igen", 401
    return render("phone", workshop, participant=participant)


@bp.post("/<code>/s/<int:step_id>")
def submit(code: str, step_id: int):
    """An answer by plain POST: the same entry point as the socket's, replied to the same."""
    sender = phone_cookie(code)  # the hot path reads nothing: the burst looks its phones up
    key = request.headers.get("Idempotency-Key")
    if sender is not None:
        outcome, html = answers.submit(sender, step_id, request.form, key, phone_reply)
        if html is not None:
            return html, 422 if outcome.error else 200
    # Refused before the store: say why (unknown or closed workshop, not joined, a limit).
    workshop = open_workshop(code)
    participant = current_participant(workshop)
    if sender is None or participant is None or outcome.unknown:
        return NOT_JOINED, 401
    return render("phone", workshop, participant=participant, error=outcome.error), 422
