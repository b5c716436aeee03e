"""The projector: the lobby's QR code and join code, then the current step for the room."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from .. import qr
from ..db import db
from ..models import Workshop
from ..screens import render
from ..workshops import can_teach, normalise_code
from .auth import current_instructor, login_required

bp = Blueprint("projector", __name__, url_prefix="/p")


def _workshop(code: str) -> Workshop:
    workshop = db.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None or not can_teach(current_instructor(), workshop):
        abort(404)
    return workshop


@bp.get("/<code>")
@login_required
def page(code: str):
    workshop = _workshop(code)
    url = qr.join_url(workshop)
    return render_template(
        "projector/page.html",
        workshop=workshop,
        join_url=url,
        join_display=url.split("://", 1)[-1],
        qr_svg=qr.svg(url),
        unreachable=qr.points_at_this_machine(url),
        fragment=render("projector", workshop),
    )


@bp.get("/<code>/fragment")
@login_required
def fragment(code: str):
    return render("projector", _workshop(code))
