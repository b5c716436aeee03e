"""The program editor: library, own and shared programs; steps, preview, import and export."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)

from .. import programs
from ..db import db
from ..kinds import ContentError, registry
from ..validation import as_int
from ..views.access import htmx
from ..views.auth import current_instructor, login_required
from . import store as program_store
from .forms import WHOLE, content_from_form, form_values
from .models import Program
from .preview import preview

bp = Blueprint("programs", __name__, url_prefix="/programmer", template_folder="templates")
SCREEN_NAMES = {"projector": "projektor", "phone": "telefon"}


def _kinds():  # noqa: ANN202
    return registry()


def _visible(program_id: int) -> Program:
    """A program the instructor owns or has been shared; 404 otherwise (no probing)."""
    program = db.get(Program, program_id)
    if program is None or not program_store.can_see(current_instructor(), program):
        abort(404)
    return program


def _own(program_id: int) -> Program:
    """A program the instructor may edit; a colleague's shared program is read-only (403)."""
    program = _visible(program_id)
    if not program_store.can_edit(current_instructor(), program):
        abort(403, "Programmet er delt med dig til at se og kopiere. Kopiér det for at ændre det.")
    return program


def _version() -> int | None:
    return as_int(request.form.get("version"), 0)


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
        steps=steps, slug=slug, program=None, kinds=_kinds(),
    )  # fmt: skip


@bp.get("/bibliotek/<slug>/trin/<int:number>/<screen>")
@login_required
def library_preview(slug: str, number: int, screen: str):
    try:
        program = programs.load(slug)
    except programs.ProgramError:
        abort(404)
    if not 1 <= number <= len(program.steps):
        abort(404)
    s = program.steps[number - 1]
    back = url_for("programs.library_program", slug=slug)
    step = {"kind": s.kind, "title": s.title, "content": s.content}
    return _preview_page(screen, program.title, step, number, back)


# ---- one program ---------------------------------------------------------------------------


@bp.get("/<int:program_id>")
@login_required
def edit(program_id: int):
    program = _visible(program_id)
    if not program_store.can_edit(current_instructor(), program):
        return render_template(
            "programs/view.html", title=program.title, description=program.description,
            steps=program.steps, slug=None, program=program, kinds=_kinds(),
        )  # fmt: skip
    return render_template("programs/edit.html", program=program, kinds=_kinds())


@bp.post("/<int:program_id>/kopi")
@login_required
def copy(program_id: int):
    program = program_store.copy_program(current_instructor(), _visible(program_id))
    flash("Programmet er kopieret til dine egne. Nu kan du rette i det.", "info")
    return redirect(url_for("programs.edit", program_id=program.id))


@bp.post("/<int:program_id>/om")
@login_required
def meta(program_id: int):
    program = _own(program_id)
    form = request.form
    try:
        program_store.update_meta(
            program, _version(), form.get("title", ""), form.get("description", "")
        )
        flash("Titel og beskrivelse er gemt.", "info")
    except (programs.ProgramError, program_store.StaleProgram) as exc:
        flash(str(exc), "error")
    return redirect(url_for("programs.edit", program_id=program.id))


def _steps_answer(program: Program, error: str | None = None):
    """After a change to the step list: the list itself for htmx, else the editor page."""
    if htmx:
        html = render_template("programs/_steps.html", program=program, kinds=_kinds(), error=error)
        return html, 422 if error else 200
    if error:
        flash(error, "error")
    return redirect(url_for("programs.edit", program_id=program.id) + "#trin")


@bp.post("/<int:program_id>/trin")
@login_required
def add_step(program_id: int):
    program = _own(program_id)
    try:
        program_store.add_step(program, _version(), request.form.get("kind", ""))
    except (programs.ProgramError, program_store.StaleProgram) as exc:
        return _steps_answer(program, str(exc))
    return _steps_answer(program)


@bp.post("/<int:program_id>/trin/<int:number>/flyt/<direction>")
@login_required
def move_step(program_id: int, number: int, direction: str):
    program = _own(program_id)
    delta = {"op": -1, "ned": 1}.get(direction)
    if delta is None:
        abort(404)
    try:
        program_store.move_step(program, _version(), number - 1, delta)
    except program_store.StaleProgram as exc:
        return _steps_answer(program, str(exc))
    return _steps_answer(program)


@bp.post("/<int:program_id>/trin/<int:number>/fjern")
@login_required
def remove_step(program_id: int, number: int):
    program = _own(program_id)
    try:
        program_store.remove_step(program, _version(), number - 1)
    except (programs.ProgramError, program_store.StaleProgram) as exc:
        return _steps_answer(program, str(exc))
    return _steps_answer(program)


@bp.route("/<int:program_id>/trin/<int:number>", methods=["GET", "POST"])
@login_required
def step(program_id: int, number: int):
    program = _own(program_id)
    if not 1 <= number <= len(program.steps):
        abort(404)
    stored = program.steps[number - 1]
    kind = _kinds()[stored["kind"]]
    title, values, errors, status = stored["title"], form_values(kind, stored["content"]), {}, 200
    if request.method == "POST":
        title = request.form.get("title", "")
        content, errors = content_from_form(kind, stored["content"], request.form)
        if not errors:
            try:
                program_store.update_step(program, _version(), number - 1, title, content)
            except (ContentError, programs.ProgramError, program_store.StaleProgram) as exc:
                errors = {"": str(exc)}
            else:
                flash(f"Trin {number} er gemt.", "info")
                return redirect(url_for("programs.edit", program_id=program.id) + f"#trin-{number}")
        values, status = {k: v for k, v in request.form.items()}, 422
        for f in kind.fields:
            if f.type == "bool":
                values[f.name] = f.name in request.form
    return render_template(
        "programs/step.html", program=program, number=number, kind=kind, title=title,
        values=values, errors=errors, whole=WHOLE,
    ), status  # fmt: skip


@bp.get("/<int:program_id>/trin/<int:number>/<screen>")
@login_required
def step_preview(program_id: int, number: int, screen: str):
    program = _visible(program_id)
    if not 1 <= number <= len(program.steps):
        abort(404)
    back = url_for("programs.edit", program_id=program.id) + f"#trin-{number}"
    return _preview_page(screen, program.title, program.steps[number - 1], number, back)


def _preview_page(screen: str, program_title: str, step: dict, number: int, back: str):
    if screen not in SCREEN_NAMES:
        abort(404)
    try:
        fragment = preview(screen, program_title, step)
    except ContentError as exc:
        abort(422, f"Trinnet kan ikke vises: {exc}")
    return render_template(
        "programs/preview.html", screen=screen, fragment=fragment, step=step, number=number,
        back=back, program_title=program_title,
    )  # fmt: skip


@bp.get("/<int:program_id>/eksport.toml")
@login_required
def export(program_id: int):
    program = _visible(program_id)
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
    program = _own(program_id)
    try:
        colleague = program_store.share(program, request.form.get("email", ""))
        flash(f"Programmet er delt med {colleague.name}.", "info")
    except programs.ProgramError as exc:
        flash(str(exc), "error")
    return redirect(url_for("programs.edit", program_id=program.id) + "#deling")


@bp.post("/<int:program_id>/del/<int:instructor_id>/fjern")
@login_required
def unshare(program_id: int, instructor_id: int):
    program = _own(program_id)
    program_store.unshare(program, instructor_id)
    flash("Delingen er fjernet.", "info")
    return redirect(url_for("programs.edit", program_id=program.id) + "#deling")


@bp.post("/<int:program_id>/slet")
@login_required
def delete(program_id: int):
    program = _own(program_id)
    title = program.title
    program_store.delete(program)
    flash(f"«{title}» er slettet.", "info")
    return redirect(url_for("programs.index"))
