"""Instructor accounts: login with throttling, revocable sessions, passwords, deactivation.

A session names its instructor, the generation it was issued in and when it began. Raising
an instructor's generation ends every session issued before ("log ud overalt", a new
password, deactivation); a session older than INSTRUCTOR_SESSION_HOURS ends by itself.
"""

from __future__ import annotations

import time

from flask import current_app, session
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from . import limits
from .db import db
from .models import Instructor

PASSWORD_MIN = 10


class Throttled(Exception):
    """Too many wrong passwords for one account, or too many logins from one address."""


def _find(email: str) -> Instructor | None:
    return db.scalar(select(Instructor).where(Instructor.email == email.strip().lower()))


def check_password_rules(password: str, again: str | None = None) -> None:
    """Raise ValueError with a Danish message when a new password is not acceptable."""
    if len(password) < PASSWORD_MIN:
        raise ValueError(f"Adgangskoden skal have mindst {PASSWORD_MIN} tegn.")
    if again is not None and password != again:
        raise ValueError("De to adgangskoder er ikke ens.")


def authenticate(email: str, password: str, address: str | None) -> Instructor | None:
    """The active instructor with this email and password; raises Throttled after many misses.

    Only failures count: per account (guessing one password) and per client address
    (trying many accounts). A venue's shared address is no problem for those who log in right.
    """
    key = f"login-failures:{email.strip().lower()}"
    by_address = f"login-failures-from:{address}"
    if not limits.test(key, limits.LOGIN_FAILURES) or not limits.test(
        by_address, limits.LOGIN_FAILURES_PER_ADDRESS
    ):
        raise Throttled
    instructor = _find(email)
    if (
        instructor is not None
        and instructor.active
        and check_password_hash(instructor.password_hash, password)
    ):
        limits.clear(key, limits.LOGIN_FAILURES)
        return instructor
    limits.hit(key, limits.LOGIN_FAILURES)
    limits.hit(by_address, limits.LOGIN_FAILURES_PER_ADDRESS)
    return None


def log_in(instructor: Instructor) -> None:
    """Start a fresh session for the instructor (a new session id against fixation)."""
    session.clear()
    session.permanent = True
    session["instructor_id"] = instructor.id
    session["generation"] = instructor.session_generation
    session["since"] = int(time.time())


def from_session() -> Instructor | None:
    """The session's instructor, or None when it ended, was revoked or is deactivated."""
    ident = session.get("instructor_id")
    if not ident:
        return None
    instructor = db.get(Instructor, ident)
    lifetime = current_app.config.get("INSTRUCTOR_SESSION_HOURS", 12) * 3600
    valid = (
        instructor is not None
        and instructor.active
        and session.get("generation") == instructor.session_generation
        and time.time() - session.get("since", 0) < lifetime
    )
    if not valid:
        for name in ("instructor_id", "generation", "since"):
            session.pop(name, None)
        return None
    return instructor


def revoke_sessions(instructor: Instructor) -> None:
    """End every session of the instructor, on every device and process."""
    db.execute(
        update(Instructor)
        .where(Instructor.id == instructor.id)
        .values(session_generation=Instructor.session_generation + 1)
    )
    db.commit()
    db.refresh(instructor)


def change_password(instructor: Instructor, current: str, new: str, again: str) -> None:
    """Change one's own password; other sessions end, this one goes on."""
    if not check_password_hash(instructor.password_hash, current):
        raise ValueError("Den nuværende adgangskode er forkert.")
    check_password_rules(new, again)
    instructor.password_hash = generate_password_hash(new)
    db.commit()
    revoke_sessions(instructor)
    log_in(instructor)


def set_password(email: str, password: str) -> Instructor:
    """Give an account a new password (an administrator's reset); its sessions end."""
    instructor = _find(email)
    if instructor is None:
        raise ValueError("Der findes ingen underviser med den e-mailadresse.")
    check_password_rules(password)
    instructor.password_hash = generate_password_hash(password)
    db.commit()
    revoke_sessions(instructor)
    return instructor


def set_active(email: str, active: bool) -> Instructor:
    """Deactivate (or reactivate) an account; a deactivated one is out at its next request."""
    instructor = _find(email)
    if instructor is None:
        raise ValueError("Der findes ingen underviser med den e-mailadresse.")
    instructor.active = active
    db.commit()
    if not active:
        revoke_sessions(instructor)
    return instructor
