"""Retention: removing a participant, anonymising or deleting a workshop, purging old ones.

The one promise here: the committee's handleplaner outlive all of it. Plans point at their
workshop and group with ON DELETE SET NULL and keep the group's name and every tovholder as
plain text, so nothing below ever touches a plan.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from . import changes
from .db import db
from .models import Participant, Response, Step, Workshop, utcnow


def remove_participant(participant: Participant) -> None:
    """Delete a participant and what they wrote alone; group answers and plan rows stay."""
    workshop_id = participant.workshop_id
    step_ids = select(Step.id).where(Step.workshop_id == workshop_id)
    db.execute(
        delete(Response).where(
            Response.step_id.in_(step_ids), Response.owner == f"p:{participant.id}"
        )
    )
    db.delete(participant)
    changes.commit(workshop_id)


def anonymise(workshop: Workshop) -> None:
    """Replace every name with «Deltager N», cut the phones loose, and close the workshop.

    The answers stay for the results (they are stored per participant id, never by name);
    new tokens and re-entry codes mean no phone or old code reaches the workshop again.
    """
    people = db.scalars(
        select(Participant).where(Participant.workshop_id == workshop.id).order_by(Participant.id)
    )
    for number, person in enumerate(people, start=1):
        person.name = f"Deltager {number}"
        person.role = None
        person.token = secrets.token_urlsafe(32)
        person.reentry_code = f"x{number}"  # not digits: never matches a typed code
    step_ids = select(Step.id).where(Step.workshop_id == workshop.id)
    db.execute(update(Response).where(Response.step_id.in_(step_ids)).values(idempotency_key=None))
    workshop.status = "closed"
    changes.commit(workshop)


def delete_workshop(workshop: Workshop) -> None:
    """Delete a workshop with its steps, participants and answers; its plans stay."""
    workshop_id = workshop.id
    db.delete(workshop)
    db.commit()
    changes.announce(workshop_id)  # its screens fetch, find nothing, and say so


def purge(older_than_days: int, *, anonymise_only: bool = False, now: datetime | None = None):
    """Delete (or anonymise) every workshop created more than N days ago; returns how many."""
    cutoff = (now or utcnow()) - timedelta(days=older_than_days)
    old = list(db.scalars(select(Workshop).where(Workshop.created_at < cutoff)))
    for workshop in old:
        if anonymise_only:
            anonymise(workshop)
        else:
            delete_workshop(workshop)
    return len(old)
