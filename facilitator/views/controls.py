"""The instructor's controls: workshops, the program, start/next/jump, each step's controls."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .. import live, programs, workshops
from ..db import db
from ..exports import download
from ..exports.results import RESULTS
from ..kinds import ContentError, Rejected, registry
from ..models import Step, Workshop
from ..programs import store as program_store
from ..reading import participants_of, visible_to
from ..screens import render
from ..validation import as_int
from .access import instructor_workshop
from .auth import current_instructor, login_required

bp = Blueprint("controls", __name__)


def _screen(workshop: Workshop, error: str | None = None, status: int = 200):
    """The controls fragment: the answer to every htmx POST on this screen."""
    return render("controls", workshop, error=error), status


@bp.get("/")
@login_required
def index():
    return render_template(
        "controls/index.html",
        workshops=visible_to(current_instructor()),
        programs=programs.library(),
        own_programs=program_store.choices(current_instructor()),
        kinds=registry(),
    )


@bp.post("/workshops")
@login_required
def create():
    form = request.form
    try:
        me = current_instructor()
        program = program_store.resolve(me, form["program"]) if form.get("program") else None
        min_answers = as_int(form.get("min_anonymous") or 5, 0, 10_000)
        if min_answers is None:
            raise ValueError("Skriv mindste antal svar som et helt tal, fx 5.")
        earlier = as_int(form.get("continues"))
        # Only a workshop this instructor teaches: instructor_workshop() is 404 for others.
        continues = instructor_workshop(earlier) if earlier is not None else None
        workshop = workshops.create(
            me,
            form.get("title", ""),
            program=program,
            groups=form.get("groups", "").splitlines()[:100],
            min_anonymous=min_answers,
            continues=continues,
        )
    except (programs.ProgramError, workshops.JoinError, ValueError) as exc:
        flash(str(exc), "error")
        return redirect(url_for("controls.index"))
    return redirect(url_for("controls.workshop", workshop_id=workshop.id))


@bp.get("/w/<int:workshop_id>")
@login_required
def workshop(workshop_id: int):
    ws = instructor_workshop(workshop_id)
    return render_template(
        "controls/page.html",
        workshop=ws,
        fragment=render("controls", ws),
        kinds=registry(),
        programs=programs.library(),
        own_programs=program_store.choices(current_instructor()),
    )


@bp.get("/w/<int:workshop_id>/participants")
@login_required
def participants(workshop_id: int):
    """Everyone who joined, in join order: the controls list only the first of a big room."""
    ws = instructor_workshop(workshop_id)
    return render_template(
        "controls/participants.html", workshop=ws, participants=participants_of(ws)
    )


@bp.get("/w/<int:workshop_id>/fragment")
@login_required
def fragment(workshop_id: int):
    return _screen(instructor_workshop(workshop_id))


@bp.post("/w/<int:workshop_id>/go/<int(signed=True):position>")
@login_required
def go(workshop_id: int, position: int):
    ws = instructor_workshop(workshop_id)
    try:
        workshops.go_to(ws, position)
    except Rejected as exc:
        return _screen(ws, str(exc), 422)
    live.push_first(ws.id)  # the phones' new step before this reply's render
    return _screen(ws)


@bp.post("/w/<int:workshop_id>/steps/<int:step_id>/act/<action>")
@login_required
def act(workshop_id: int, step_id: int, action: str):
    ws = instructor_workshop(workshop_id)
    step = db.get(Step, step_id)
    if step is None or step.workshop_id != ws.id:
        abort(404)
    try:
        workshops.act(ws, step, action, request.form)
    except (Rejected, ContentError) as exc:
        return _screen(ws, str(exc), 422)
    return _screen(ws)


@bp.post("/w/<int:workshop_id>/steps")
@login_required
def add_step(workshop_id: int):
    ws = instructor_workshop(workshop_id)
    kind = registry().get(request.form.get("kind", ""))
    if kind is None:
        flash("Vælg en øvelsestype.", "error")
        return redirect(url_for("controls.workshop", workshop_id=ws.id))
    content = {}
    if kind.main_field:
        content[kind.main_field] = request.form.get("text", "")
    try:
        workshops.add_step(ws, kind.name, request.form.get("title", ""), content)
    except ContentError as exc:
        flash(str(exc), "error")
    return redirect(url_for("controls.workshop", workshop_id=ws.id))


@bp.post("/w/<int:workshop_id>/append")
@login_required
def append_program(workshop_id: int):
    """Run another program on in the same workshop (day 2): its steps go after the last."""
    ws = instructor_workshop(workshop_id)
    key = request.form.get("program", "")
    try:
        if not key:
            raise programs.ProgramError("Vælg et program.")
        program = program_store.resolve(current_instructor(), key)
        added = workshops.append_program(ws, program)
    except programs.ProgramError as exc:
        flash(str(exc), "error")
    else:
        flash(f"{added} trin fra «{program.title}» er lagt til sidst i programmet.", "info")
    return redirect(url_for("controls.workshop", workshop_id=ws.id))


@bp.post("/w/<int:workshop_id>/status/<status>")
@login_required
def status(workshop_id: int, status: str):
    ws = instructor_workshop(workshop_id)
    try:
        workshops.set_status(ws, status)
    except Rejected as exc:
        return _screen(ws, str(exc), 422)
    return _screen(ws)


@bp.get("/w/<int:workshop_id>/results.<fmt>")
@login_required
def results(workshop_id: int, fmt: str):
    ws = instructor_workshop(workshop_id)
    found = RESULTS.get(fmt)
    if found is None:
        abort(404)
    return download(found, ws, f"resultater-{ws.code}")
