"""The org Blueprint, its error page and template global, and the owner checks every page uses."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from ..db import db
from ..plans.views import PRIVATE
from ..views.auth import current_instructor
from . import places
from .models import Place, Round
from .rollup import STATUS_LABELS

bp = Blueprint("org", __name__, url_prefix="/org", template_folder="templates")


@bp.app_template_global("org_status_labels")
def _status_labels() -> dict[str, str]:
    return STATUS_LABELS


@bp.errorhandler(404)
@bp.errorhandler(410)
def gone(exc: Any):  # noqa: ANN201
    """Read links are opened by people without an account: a page that says what to do."""
    own = exc.description if exc.description != type(exc).description else None
    message = own or "Siden findes ikke."
    return render_template("org/gone.html", code=exc.code, message=message), exc.code, PRIVATE


def _me():  # noqa: ANN202
    return current_instructor()


def _own(place_id: int) -> Place:
    place = places.own_place(_me().id, place_id)
    if place is None:
        abort(404)
    return place


def _own_round(round_id: int) -> Round:
    round_ = db.get(Round, round_id)
    if round_ is None or round_.place.owner_id != _me().id:
        abort(404)
    return round_


def _back(place: Place, message: str, category: str = "info", anchor: str = ""):
    flash(message, category)
    return redirect(url_for("org.place", place_id=place.id) + anchor)
