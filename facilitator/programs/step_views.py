"""The program editor's step pages: one step's content as a form, and its previews."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from .. import programs
from ..kinds import ContentError
from ..views.auth import login_required
from . import store as program_store
from .access import bp, form_version, kinds, own, visible
from .forms import WHOLE, content_from_form, edit_rows, form_values, read_form
from .preview import preview

SCREENS = ("projector", "phone")


@bp.route("/<int:program_id>/trin/<int:number>", methods=["GET", "POST"])
@login_required
def step(program_id: int, number: int):
    program = own(program_id)
    if not 1 <= number <= len(program.steps):
        abort(404)
    stored = program.steps[number - 1]
    kind = kinds()[stored["kind"]]
    title, values, errors, status = stored["title"], form_values(kind, stored["content"]), {}, 200
    focus, edited, plan = "", "", dict(stored.get("plan") or {})
    if request.method == "POST":
        title = request.form.get("title", "")
        plan = {k: request.form.get(k, "").strip() for k in programs.PLAN_KEYS}
        op = request.form.get("op", "")
        if op:  # add, remove or move a row: show the form again, nothing is saved yet
            content, focus = edit_rows(kind, read_form(kind, stored["content"], request.form), op)
            edited = op.partition(":")[2].partition(":")[0]
            values = form_values(kind, content)
        else:
            content, errors = content_from_form(kind, stored["content"], request.form)
            errors |= _plan_errors(plan)
            if not errors:
                minutes, kl = programs.read_plan(plan)
                checked = {"plan_minutes": minutes, "kl": kl}
                try:
                    program_store.update_step(
                        program, form_version(), number - 1, title, content, checked
                    )
                except (ContentError, programs.ProgramError, program_store.StaleProgram) as exc:
                    errors = {"": str(exc)}
                else:
                    flash(f"Trin {number} er gemt.", "info")
                    anchor = f"#trin-{number}"
                    return redirect(url_for("programs.edit", program_id=program.id) + anchor)
            # What was typed is shown again (a TOML text as it was, even if it does not parse).
            values = form_values(kind, content) if kind.fields else dict(request.form)
            status = 422
    return render_template(
        "programs/step.html", program=program, number=number, kind=kind, title=title,
        values=values, errors=errors, whole=WHOLE, focus=focus, edited=edited, plan=plan,
    ), status  # fmt: skip


def _plan_errors(plan: dict[str, str]) -> dict[str, str]:
    """The day clock's inputs' errors, keyed by input, in Danish."""
    errors = {}
    for key in programs.PLAN_KEYS:
        try:
            programs.read_plan({key: plan.get(key)})
        except ValueError as exc:
            errors[key] = str(exc)
    return errors


@bp.get("/<int:program_id>/trin/<int:number>/<screen>")
@login_required
def step_preview(program_id: int, number: int, screen: str):
    program = visible(program_id)
    if not 1 <= number <= len(program.steps):
        abort(404)
    back = url_for("programs.edit", program_id=program.id) + f"#trin-{number}"
    return _preview_page(screen, program.title, program.steps[number - 1], number, back)


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


def _preview_page(screen: str, program_title: str, step: dict, number: int, back: str):
    if screen not in SCREENS:
        abort(404)
    try:
        fragment = preview(screen, program_title, step)
    except ContentError as exc:
        abort(422, f"Trinnet kan ikke vises: {exc}")
    return render_template(
        "programs/preview.html", screen=screen, fragment=fragment, step=step, number=number,
        back=back, program_title=program_title,
    )  # fmt: skip
