"""The program editor: library, own and shared programs, the step list, import and export.

Editing one step's content and the previews are in step_views.
"""

from __future__ import annotations

import re

from flask import Response, abort, flash, redirect, render_template, request, url_for

from .. import programs
from ..views.access import htmx
from ..views.auth import current_instructor, login_required
from . import media_views, step_views  # noqa: F401  (register their routes on bp)
from . import store as program_store
from .access import bp, form_version, kinds, own, visible
from .models import Program

__all__ = ["bp"]

# ---- lists ---------------------------------------------------------------------------------


@bp.get("/")
@login_required
def index(import_errors: list[str] | None = None, status: int = 200, filename: str = ""):
    me = current_instructor()
    return render_template(
        "programs/index.html",
        library=programs.library(),
        own=program_store.own(me),
        shared=program_store.shared_with(me),
        import_errors=import_errors or [],
        import_name=filename,
    ), status


@bp.post("/")
@login_required
def create():
    try:
        program = program_store.create_empty(current_instructor(), request.form.get("title", ""))
    except programs.ProgramError as exc:
        flash(str(exc), "error")
        return redirect(url_for("programs.index"))
    return redirect(url_for("programs.edit", program_id=program.id))


@bp.post("/import")
@login_required
def import_file():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return index(["Vælg en TOML-fil at importere."], 422)
    try:
        program = program_store.import_toml(
            current_instructor(), upload.read(), upload.filename[:120]
        )
    except programs.ProgramError as exc:
        return index(exc.errors, 422, upload.filename[:120])
    flash(f"«{program.title}» er importeret med {len(program.steps)} trin.", "info")
    return redirect(url_for("programs.edit", program_id=program.id))


@bp.post("/bibliotek/<slug>/kopi")
@login_required
def copy_library(slug: str):
    try:
        program = program_store.copy_library(current_instructor(), slug)
    except programs.ProgramError as exc:
        flash(str(exc), "error")
        return redirect(url_for("programs.index"))
    flash("Programmet er kopieret til dine egne. Nu kan du rette i det.", "info")
    return redirect(url_for("programs.edit", program_id=program.id))


@bp.get("/bibliotek/<slug>")
@login_required
def library_program(slug: str):
    try:
        program = programs.load(slug)
    except programs.ProgramError:
        abort(404)
    steps = [{"kind": s.kind, "title": s.title, "content": s.content} for s in program.steps]
    return render_template(
        "programs/view.html", title=program.title, description=program.description,
        steps=steps, slug=slug, program=None, kinds=kinds(),
    )  # fmt: skip


# ---- one program ---------------------------------------------------------------------------


@bp.get("/<int:program_id>")
@login_required
def edit(program_id: int):
    program = visible(program_id)
    if not program_store.can_edit(current_instructor(), program):
        return render_template(
            "programs/view.html", title=program.title, description=program.description,
            steps=program.steps, slug=None, program=program, kinds=kinds(),
        )  # fmt: skip
    return render_template("programs/edit.html", program=program, kinds=kinds())


@bp.post("/<int:program_id>/kopi")
@login_required
def copy(program_id: int):
    program = program_store.copy_program(current_instructor(), visible(program_id))
    flash("Programmet er kopieret til dine egne. Nu kan du rette i det.", "info")
    return redirect(url_for("programs.edit", program_id=program.id))


@bp.post("/<int:program_id>/om")
@login_required
def meta(program_id: int):
    program = own(program_id)
    form = request.form
    try:
        program_store.update_meta(
            program, form_version(), form.get("title", ""), form.get("description", "")
        )
        flash("Titel og beskrivelse er gemt.", "info")
    except (programs.ProgramError, program_store.StaleProgram) as exc:
        flash(str(exc), "error")
    return redirect(url_for("programs.edit", program_id=program.id))


def _steps_answer(program: Program, error: str | None = None):
    """After a change to the step list: the list itself for htmx, else the editor page."""
    if htmx:
        html = render_template("programs/_steps.html", program=program, kinds=kinds(), error=error)
        return html, 422 if error else 200
    if error:
        flash(error, "error")
    return redirect(url_for("programs.edit", program_id=program.id) + "#trin")


@bp.post("/<int:program_id>/trin")
@login_required
def add_step(program_id: int):
    program = own(program_id)
    try:
        program_store.add_step(program, form_version(), request.form.get("kind", ""))
    except (programs.ProgramError, program_store.StaleProgram) as exc:
        return _steps_answer(program, str(exc))
    return _steps_answer(program)


@bp.post("/<int:program_id>/trin/<int:number>/flyt/<direction>")
@login_required
def move_step(program_id: int, number: int, direction: str):
    program = own(program_id)
    delta = {"op": -1, "ned": 1}.get(direction)
    if delta is None:
        abort(404)
    try:
        program_store.move_step(program, form_version(), number - 1, delta)
    except program_store.StaleProgram as exc:
        return _steps_answer(program, str(exc))
    return _steps_answer(program)


@bp.post("/<int:program_id>/trin/<int:number>/fjern")
@login_required
def remove_step(program_id: int, number: int):
    program = own(program_id)
    try:
        program_store.remove_step(program, form_version(), number - 1)
    except (programs.ProgramError, program_store.StaleProgram) as exc:
        return _steps_answer(program, str(exc))
    return _steps_answer(program)


@bp.get("/<int:program_id>/eksport.toml")
@login_required
def export(program_id: int):
    program = visible(program_id)
    name = re.sub(r"[^a-z0-9æøå]+", "-", program.title.lower()).strip("-") or "program"
    ascii_name = name.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    return Response(
        program_store.export(program),
        mimetype="application/toml",
        headers={"Content-Disposition": f'attachment; filename="{ascii_name}.toml"'},
    )


@bp.post("/<int:program_id>/del")
@login_required
def share(program_id: int):
    program = own(program_id)
    try:
        colleague = program_store.share(program, request.form.get("email", ""))
        flash(f"Programmet er delt med {colleague.name}.", "info")
    except programs.ProgramError as exc:
        flash(str(exc), "error")
    return redirect(url_for("programs.edit", program_id=program.id) + "#deling")


@bp.post("/<int:program_id>/del/<int:instructor_id>/fjern")
@login_required
def unshare(program_id: int, instructor_id: int):
    program = own(program_id)
    program_store.unshare(program, instructor_id)
    flash("Delingen er fjernet.", "info")
    return redirect(url_for("programs.edit", program_id=program.id) + "#deling")


@bp.post("/<int:program_id>/slet")
@login_required
def delete(program_id: int):
    program = own(program_id)
    title = program.title
    program_store.delete(program)
    flash(f"«{title}» er slettet.", "info")
    return redirect(url_for("programs.index"))
