"""The program editor's picture upload: one picture per step of a kind that shows one."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for

from .. import programs
from ..db import db
from ..kinds import ContentError
from ..media import store as media_store
from ..media.check import EXTENSIONS, MAX_BYTES, MediaError, check
from ..views.auth import current_instructor, login_required
from . import store as program_store
from .access import bp, form_version, kinds, own


@bp.post("/<int:program_id>/trin/<int:number>/billede")
@login_required
def step_image(program_id: int, number: int):
    """Upload (or remove, op=remove) the picture of a step; back to the step's form."""
    program = own(program_id)
    if not 1 <= number <= len(program.steps):
        abort(404)
    stored = program.steps[number - 1]
    kind = kinds()[stored["kind"]]
    if not kind.media_fields:
        abort(404)
    back = url_for("programs.step", program_id=program.id, number=number)
    content, field = dict(stored["content"]), kind.media_fields[0]
    if request.form.get("op") == "remove":
        content[field], done = "", "Billedet er fjernet fra trinnet."
    else:
        upload = request.files.get("image")
        if upload is None or not upload.filename:
            flash("Vælg et billede at uploade.", "error")
            return redirect(back, 303)
        try:
            checked = check(upload.stream.read(MAX_BYTES + 1))
        except MediaError as exc:
            flash(f"Billedet er ikke gemt. {exc}", "error")
            return redirect(back, 303)
        row = media_store.save(checked, current_instructor().id)
        content[field] = f"{row.sha256}.{EXTENSIONS[checked.content_type]}"
        done = "Billedet er gemt. Det vises stort på projektoren og lille på telefonerne."
    try:
        program_store.update_step(program, form_version(), number - 1, stored["title"], content)
    except (ContentError, programs.ProgramError, program_store.StaleProgram) as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(back, 303)
    flash(done, "info")
    return redirect(back, 303)
