"""Reminder mails to a place's contact when a round's deadline nears and the place has no plan.

`facilitator send-reminders` runs this after the plans' reminders. A place is reminded when
it is expected to have a plan (an arbejdsplads: no places under it), has a contact e-mail,
and none of its plans counts for the round (made on or after the round's first plan day),
from PLAN_REMINDER_DAYS before the deadline up to the deadline itself. Each place hears once
per round and deadline: what was sent is kept in org_round_reminders, and a moved deadline is
a new event. A mail names the place, the round and the deadline only; it holds no link.
"""

from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from sqlalchemy import select

from ..db import db
from ..models import utcnow
from ..plans import mail
from ..plans.rules import in_days, today
from ..timefmt import danish_date
from .models import Place, Round, RoundReminder
from .places import tree_around
from .rounds import plans_in


def event_key(round_: Round) -> str:
    return f"deadline:{round_.deadline.isoformat()}"


def rounds_due(on: date, days: int) -> list[Round]:
    """Rounds whose deadline is from today up to `days` ahead."""
    last = on + timedelta(days=days)
    query = select(Round).where(Round.deadline >= on, Round.deadline <= last)
    return list(db.scalars(query.order_by(Round.deadline, Round.id)))


def places_due(round_: Round) -> list[Place]:
    """The round's expected places with a contact, no counting plan and no mail yet."""
    tree = tree_around(round_.place)
    leaves = [p for p, _ in tree.walk(round_.place_id) if tree.is_leaf(p.id)]
    with_plan = {plan.place_id for plan in plans_in([p.id for p in leaves], round_.plans_from)}
    told = set(
        db.scalars(
            select(RoundReminder.place_id).where(
                RoundReminder.round_id == round_.id, RoundReminder.event == event_key(round_)
            )
        )
    )
    return [p for p in leaves if p.contact_email and p.id not in with_plan and p.id not in told]


def compose(place: Place, round_: Round, on: date) -> tuple[str, str]:
    """The Danish subject and body of one place's reminder."""
    deadline = danish_date(round_.deadline)
    subject = f"Påmindelse: {place.name} mangler en handleplan ({round_.title})"
    body = [
        "Hej",
        "",
        f"{place.name} har endnu ikke en handleplan i opfølgningsrunden «{round_.title}».",
        f"Deadline for handleplaner er {deadline} ({in_days((round_.deadline - on).days)}).",
        "",
        "Det skal I gøre:",
        "- Lav handleplanen sammen i jeres MED-udvalg eller arbejdsmiljøgruppe: problemet, "
        "løsningen, hvem der er tovholder, hvornår det er gjort, og hvornår I følger op.",
        f"- Sørg for, at planen bliver knyttet til {place.name}, så den tæller med i runden. "
        "Har I allerede en plan, så bed den, der står for runden, om at knytte den til jer.",
        "",
        f"Du får denne mail, fordi du står som kontaktperson for {place.name}. Den, der står "
        "for runden, kan ændre eller fjerne kontaktpersonen.",
        "",
        "Venlig hilsen",
        "Facilitator",
    ]
    return subject, "\n".join(body) + "\n"


def send_due(days: int, on: date | None = None) -> int:
    """Mail each place without a plan before its rounds' deadlines; returns mails sent."""
    on = on or today()
    config = current_app.config
    # Everything is read before the first mail: sending commits, and the session's objects
    # may not outlive a commit that failed.
    todo = []
    for round_ in rounds_due(on, days):
        for place in places_due(round_):
            subject, body = compose(place, round_, on)
            record = RoundReminder(
                round_id=round_.id, place_id=place.id, event=event_key(round_), sent_at=utcnow()
            )
            todo.append((record, mail.message(config, place.contact_email or "", subject, body)))
    return sum(mail.send_once(config, message, [record]) for record, message in todo)
