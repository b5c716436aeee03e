"""The instructor's retention buttons: remove a participant, anonymise or delete a workshop."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, request, url_for

from .. import retention
from ..validation import as_int
from .access import instructor_workshop, workshop_participant
from .auth import login_required

bp = Blueprint("retention", __name__)


@bp.post("/w/<int:workshop_id>/participants/remove")
@login_required
def remove_participant(workshop_id: int):
    ws = instructor_workshop(workshop_id)
    number = as_int(request.form.get("participant"), 1)
    if number is None:
        abort(404)
    person = workshop_participant(ws, number)
    name = person.name
    retention.remove_participant(person)
    flash(f"{name} er fjernet med sine egne svar. Handleplanerne er uændrede.", "info")
    return redirect(url_for("controls.workshop", workshop_id=ws.id))


@bp.post("/w/<int:workshop_id>/anonymise")
@login_required
def anonymise(workshop_id: int):
    ws = instructor_workshop(workshop_id)
    if request.form.get("confirm") != "ja":
        flash("Sæt flueben for at bekræfte, at navnene skal fjernes.", "error")
        return redirect(url_for("controls.workshop", workshop_id=ws.id))
    retention.anonymise(ws)
    flash("Navnene er erstattet med «Deltager 1, 2 …», og workshoppen er lukket.", "info")
    return redirect(url_for("controls.workshop", workshop_id=ws.id))


@bp.post("/w/<int:workshop_id>/delete")
@login_required
def delete(workshop_id: int):
    ws = instructor_workshop(workshop_id)
    if request.form.get("confirm", "").strip().upper() != ws.code:
        flash(f"Skriv workshoppens kode ({ws.code}) for at bekræfte sletningen.", "error")
        return redirect(url_for("controls.workshop", workshop_id=ws.id))
    title = ws.title
    retention.delete_workshop(ws)
    flash(f"«{title}» er slettet. Handleplanerne fra den findes stadig.", "info")
    return redirect(url_for("controls.index"))
