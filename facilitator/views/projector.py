"""The projector: the lobby's QR code and join code, then the current step for the room."""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import qr
from ..screens import render
from .access import instructor_workshop_by_code
from .auth import login_required

bp = Blueprint("projector", __name__, url_prefix="/p")


@bp.get("/<code>")
@login_required
def page(code: str):
    workshop = instructor_workshop_by_code(code)
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
    return render("projector", instructor_workshop_by_code(code))
