"""The instructor's own account: change the password, log out on every device."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import accounts
from .auth import current_instructor, login_required

bp = Blueprint("account", __name__, url_prefix="/konto")


@bp.get("")
@login_required
def page():
    return render_template("auth/account.html", error=None)


@bp.post("/adgangskode")
@login_required
def change_password():
    """Change one's own password; every other session of the account ends."""
    form = request.form
    try:
        accounts.change_password(
            current_instructor(),
            form.get("current", ""),
            form.get("password", ""),
            form.get("password2", ""),
        )
    except ValueError as exc:
        return render_template("auth/account.html", error=str(exc)), 422
    flash("Din adgangskode er skiftet. Du er logget ud på dine andre enheder.")
    return redirect(url_for("account.page"))


@bp.post("/log-ud-overalt")
@login_required
def log_out_everywhere():
    """End every session of this account, this one included (a lost or shared laptop)."""
    accounts.revoke_sessions(current_instructor())
    flash("Du er logget ud på alle enheder.")
    return redirect(url_for("auth.login"))
