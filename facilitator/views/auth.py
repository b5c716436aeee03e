"""Instructor accounts: first-run setup, login and logout."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from .. import accounts, limits
from ..db import db
from ..models import Instructor
from ..validation import safe_next

bp = Blueprint("auth", __name__)
PASSWORD_MIN = 10


def current_instructor() -> Instructor | None:
    """The logged-in instructor of this request, if any."""
    if "instructor" not in g:
        g.instructor = accounts.from_session()
    return g.instructor


def login_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Send anyone not logged in to the login page (or the first-run setup)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if current_instructor() is None:
            if not has_instructors():
                return redirect(url_for("auth.setup"))
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapped


def has_instructors() -> bool:
    return (db.scalar(select(func.count(Instructor.id))) or 0) > 0


def create_instructor(name: str, email: str, password: str) -> Instructor:
    """Validate and store a new instructor; raises ValueError with a Danish message."""
    name, email = " ".join(name.split()), email.strip().lower()
    if not name or len(name) > 120:
        raise ValueError("Skriv dit navn (højst 120 tegn).")
    if "@" not in email or len(email) > 254:
        raise ValueError("Skriv en gyldig e-mailadresse.")
    if len(password) < PASSWORD_MIN:
        raise ValueError(f"Adgangskoden skal have mindst {PASSWORD_MIN} tegn.")
    if db.scalar(select(Instructor).where(Instructor.email == email)):
        raise ValueError("Der findes allerede en underviser med den e-mailadresse.")
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    password_hash = generate_password_hash(password, method=method)
    instructor = Instructor(name=name, email=email, password_hash=password_hash)
    db.add(instructor)
    db.commit()
    return instructor


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """First run: create the first instructor account."""
    if has_instructors():
        return redirect(url_for("auth.login"))
    error = None
    if request.method == "POST":
        form = request.form
        if form.get("password") != form.get("password2"):
            error = "De to adgangskoder er ikke ens."
        else:
            try:
                instructor = create_instructor(
                    form.get("name", ""), form.get("email", ""), form.get("password", "")
                )
            except ValueError as exc:
                error = str(exc)
            else:
                accounts.log_in(instructor)
                return redirect(url_for("controls.index"))
    return render_template("auth/setup.html", error=error), 400 if error else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    if not has_instructors():
        return redirect(url_for("auth.setup"))
    error = None
    if request.method == "POST":
        email = request.form.get("email", "").strip().lower()
        try:
            password = request.form.get("password", "")
            instructor = accounts.authenticate(email, password, request.remote_addr)
        except accounts.Throttled:
            return render_template("auth/login.html", error=limits.TOO_MANY), 429
        if instructor is not None:
            accounts.log_in(instructor)
            # Only a same-site path: never an open redirect.
            return redirect(safe_next(request.args.get("next"), url_for("controls.index")))
        error = "Forkert e-mail eller adgangskode."
    return render_template("auth/login.html", error=error), 401 if error else 200


@bp.post("/logout")
def logout():
    for name in ("instructor_id", "generation", "since"):
        session.pop(name, None)
    flash("Du er logget ud.")
    return redirect(url_for("auth.login"))
