"""Who may see what: the access helpers every view uses, instead of a copy per view."""

from __future__ import annotations

from flask import abort, session
from flask_htmx import HTMX

from ..answers import PhoneCookie
from ..db import db
from ..models import Participant, Workshop
from ..reading import by_token, can_teach, normalise_code, workshop_by_code
from .auth import current_instructor

# `if htmx:` tells a request made by htmx (a fragment is enough) from a plain page load.
htmx = HTMX()
GONE = "Workshoppen er afsluttet. Tak fordi du var med!"
UNKNOWN = "Koden findes ikke. Tjek koden på skærmen, og prøv igen."


def instructor_workshop(workshop_id: int) -> Workshop:
    """The workshop, if the logged-in instructor teaches it; 404 otherwise (no probing)."""
    workshop = db.get(Workshop, workshop_id)
    if workshop is None or not can_teach(current_instructor(), workshop):
        abort(404)
    return workshop


def instructor_workshop_by_code(code: str) -> Workshop:
    """The same, found by join code (the projector's address)."""
    workshop = workshop_by_code(code)
    if workshop is None or not can_teach(current_instructor(), workshop):
        abort(404)
    return workshop


def workshop_participant(workshop: Workshop, participant_id: int) -> Participant:
    """A participant of the workshop (for the instructor acting on their behalf), else 404."""
    participant = db.get(Participant, participant_id)
    if participant is None or participant.workshop_id != workshop.id:
        abort(404)
    return participant


def open_workshop(code: str) -> Workshop:
    """The open workshop behind a join code; a clear Danish page for unknown or closed codes."""
    workshop = workshop_by_code(code)
    if workshop is None:
        abort(404, description=UNKNOWN)
    if workshop.status == "closed":
        abort(410, description=GONE)
    return workshop


def current_participant(workshop: Workshop) -> Participant | None:
    """The participant this phone is in the workshop, from the token in its cookie."""
    return by_token(workshop, session.get("phones", {}).get(workshop.code))


def phone_cookie(code: str) -> PhoneCookie | None:
    """Who answers from this phone, as its cookie says; looked up with the rest of its burst.

    None when the cookie holds no token for the code: the caller asks open_workshop() and
    current_participant() which message to give.
    """
    code = normalise_code(code)
    token = session.get("phones", {}).get(code)
    return PhoneCookie(code, token) if isinstance(token, str) and token else None


def remember_phone(workshop: Workshop, participant: Participant) -> None:
    """Keep the phone's identity in its cookie for a month: a course may span days."""
    phones = dict(session.get("phones", {}))
    phones[workshop.code] = participant.token
    session["phones"] = phones
    session.permanent = True
