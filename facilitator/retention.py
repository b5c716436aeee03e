"""Retention: removing a participant, anonymising or deleting a workshop, purging old ones.

The one promise here: the committee's handleplaner outlive all of it. Plans point at their
workshop and group with ON DELETE SET NULL and keep the group's name and every tovholder as
plain text. What goes is the participants' names in the plans' history (who moved what):
those become «Deltager N» like the names in the workshop. Closed plans themselves are
deleted only by `purge_closed_plans`, after the installation's PLAN_RETENTION_MONTHS.
"""

from __future__ import annotations

import calendar
import re
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from . import changes
from .db import db
from .models import Participant, Response, Step, Workshop, utcnow
from .plans.models import ActionItem, ActionPlan, StatusChange


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def scrub_plan_history(workshop_id: int, names: dict[str, str]) -> None:
    """Replace participants' names (name -> replacement) in the workshop's plans' history.

    The author of an entry is matched whole (case and spaces aside); inside notes, decisions
    and what was learned a name is replaced as a whole word, so «Ole» leaves «Olesen» alone.
    """
    names = {n: r for n, r in names.items() if n.strip()}
    if not names:
        return
    authors = {_key(n): r for n, r in names.items()}
    words = sorted(names, key=len, reverse=True)  # «Anne Marie» before «Anne»
    pattern = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in words) + r")(?!\w)")
    found = db.scalars(
        select(StatusChange)
        .join(ActionItem, StatusChange.item_id == ActionItem.id)
        .join(ActionPlan, ActionItem.plan_id == ActionPlan.id)
        .where(ActionPlan.workshop_id == workshop_id)
    )
    for change in found:
        change.by_name = authors.get(_key(change.by_name), change.by_name)
        for field in ("note", "decision", "learned"):
            setattr(change, field, pattern.sub(lambda m: names[m.group(1)], getattr(change, field)))
    # A row shows its latest «Hvad lærte vi?» itself: the same words as in its history.
    items = db.scalars(
        select(ActionItem)
        .join(ActionPlan, ActionItem.plan_id == ActionPlan.id)
        .where(ActionPlan.workshop_id == workshop_id, ActionItem.learned != "")
    )
    for item in items:
        item.learned = pattern.sub(lambda m: names[m.group(1)], item.learned)


def remove_participant(participant: Participant) -> None:
    """Delete a participant and what they wrote alone; group answers and plan rows stay."""
    workshop_id = participant.workshop_id
    step_ids = select(Step.id).where(Step.workshop_id == workshop_id)
    db.execute(
        delete(Response).where(
            Response.step_id.in_(step_ids), Response.owner == f"p:{participant.id}"
        )
    )
    scrub_plan_history(workshop_id, {participant.name: "Tidligere deltager"})
    db.delete(participant)
    changes.commit(workshop_id)


def anonymise(workshop: Workshop) -> None:
    """Replace every name with «Deltager N», cut the phones loose, and close the workshop.

    The answers stay for the results (they are stored per participant id, never by name);
    new tokens and re-entry codes mean no phone or old code reaches the workshop again.
    """
    people = list(
        db.scalars(
            select(Participant)
            .where(Participant.workshop_id == workshop.id)
            .order_by(Participant.id)
        )
    )
    scrub_plan_history(workshop.id, _numbered(people))
    for number, person in enumerate(people, start=1):
        person.name = f"Deltager {number}"
        person.role = None
        person.token = secrets.token_urlsafe(32)
        person.reentry_code = f"x{number}"  # not digits: never matches a typed code
    step_ids = select(Step.id).where(Step.workshop_id == workshop.id)
    db.execute(update(Response).where(Response.step_id.in_(step_ids)).values(idempotency_key=None))
    workshop.status = "closed"
    changes.commit(workshop)


def _numbered(people: Iterable[Participant]) -> dict[str, str]:
    """Each participant's name -> «Deltager N», N as in the anonymised workshop."""
    out: dict[str, str] = {}
    for number, person in enumerate(people, start=1):
        out.setdefault(person.name, f"Deltager {number}")
    return out


def delete_workshop(workshop: Workshop) -> None:
    """Delete a workshop with its steps, participants and answers; its plans stay, nameless."""
    workshop_id = workshop.id
    people = db.scalars(
        select(Participant).where(Participant.workshop_id == workshop_id).order_by(Participant.id)
    )
    scrub_plan_history(workshop_id, _numbered(people))
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


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time N calendar months earlier (31 March - 1 month: 28/29 February)."""
    years, month = divmod(moment.month - 1 - months, 12)
    year = moment.year + years
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def purge_closed_plans(months: int, *, now: datetime | None = None) -> int:
    """Delete every plan closed (both links closed) more than N months ago; returns how many."""
    if months <= 0:
        raise ValueError("months must be positive")
    cutoff = months_before(now or utcnow(), months)
    old = list(
        db.scalars(
            select(ActionPlan).where(
                ActionPlan.closed_at.is_not(None), ActionPlan.closed_at < cutoff
            )
        )
    )
    for plan in old:
        db.delete(plan)
    db.commit()
    return len(old)
