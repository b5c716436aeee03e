"""The program editor's blueprint and who may see or edit a program (both route modules use it)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, abort, request

from ..db import db
from ..kinds import ExerciseKind, registry
from ..validation import as_int
from ..views.auth import current_instructor
from . import store as program_store
from .models import Program

bp = Blueprint("programs", __name__, url_prefix="/programmer", template_folder="templates")


def kinds() -> Mapping[str, ExerciseKind]:
    """Every exercise kind by name, for the templates."""
    return registry()


def visible(program_id: int) -> Program:
    """A program the instructor owns or has been shared; 404 otherwise (no probing)."""
    program = db.get(Program, program_id)
    if program is None or not program_store.can_see(current_instructor(), program):
        abort(404)
    return program


def own(program_id: int) -> Program:
    """A program the instructor may edit; a colleague's shared program is read-only (403)."""
    program = visible(program_id)
    if not program_store.can_edit(current_instructor(), program):
        abort(403, "Programmet er delt med dig til at se og kopiere. Kopiér det for at ændre det.")
    return program


def form_version() -> int | None:
    """The program version the submitted form was made from (None: not given)."""
    return as_int(request.form.get("version"), 0)
