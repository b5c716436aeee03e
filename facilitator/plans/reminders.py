"""Reminder mails to a plan's contact before a row's deadline and before a follow-up meeting.

`facilitator send-reminders` runs this once a day (a systemd timer or cron). Each event (a
row's deadline, a meeting day) is mailed once: what was sent is kept in plan_reminders, and
a moved deadline is a new event. A mail carries only what the plan itself shows its readers:
titles, activities, tovholdere, dates and status; never the history's names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, url_for
from sqlalchemy import select

from ..db import db
from ..models import utcnow
from ..timefmt import danish_date
from . import mail
from .models import ActionPlan, PlanReminder
from .rules import due_text, in_days, is_done, today


@dataclass(frozen=True)
class Event:
    """Something a plan's contact should hear about: its key says what was sent."""

    key: str
    day: date
    line: str


def due_events(plan: ActionPlan, on: date, days: int) -> list[Event]:
    """The plan's deadlines and next meeting from today up to `days` ahead, soonest first."""
    last = on + timedelta(days=days)
    out = []
    for item in plan.items:
        if item.deadline is None or is_done(item, plan) or not on <= item.deadline <= last:
            continue
        stage = plan.stages[min(item.stage, len(plan.stages) - 1)]
        who = f" Tovholder: {item.tovholder}." if item.tovholder else ""
        line = (
            f"- «{item.activity or item.theme}»: deadline {danish_date(item.deadline)} "
            f"({due_text(item, plan, on)}).{who} Status: {stage}."
        )
        out.append(Event(f"row{item.id}:{item.deadline.isoformat()}", item.deadline, line))
    meeting = plan.next_followup
    if meeting is not None and on <= meeting <= last:
        when = in_days((meeting - on).days)
        line = f"- Opfølgningsmøde {danish_date(meeting)} ({when}): hvor langt er vi?"
        out.append(Event(f"meeting:{meeting.isoformat()}", meeting, line))
    return sorted(out, key=lambda e: (e.day, e.key))


def _view_link(plan: ActionPlan) -> str | None:
    base = current_app.config.get("PUBLIC_URL")
    if not base or not plan.view_token:
        return None
    with current_app.test_request_context(base_url=base):
        return url_for("plan.view", token=plan.view_token, _external=True)


def compose(plan: ActionPlan, events: list[Event], days: int) -> tuple[str, str]:
    """The Danish subject and body of one plan's reminder."""
    subject = f"Påmindelse: {plan.title} ({plan.group_name})"
    link = _view_link(plan)
    body = [
        "Hej",
        "",
        f"Her er en påmindelse fra handleplanen «{plan.title}» ({plan.group_name}).",
        f"Det sker inden for de næste {days} dage:",
        "",
        *(e.line for e in events),
        "",
        f"Se planen her: {link}" if link else "Åbn planen med udvalgets link.",
        "Flyt rækkerne på statuspilen, når I er kommet videre, så alle kan se, hvor langt I er.",
        "",
        "Du får denne mail, fordi du står som kontaktperson på handleplanen. Udvalget kan "
        "ændre eller fjerne kontaktpersonen i planens indstillinger.",
        "",
        "Venlig hilsen",
        "Facilitator",
    ]
    return subject, "\n".join(body) + "\n"


def send_due(days: int, on: date | None = None) -> int:
    """Mail each open plan's contact about its coming events not yet mailed; returns mails sent."""
    on = on or today()
    config = current_app.config
    query = select(ActionPlan.id).where(
        ActionPlan.contact_email.is_not(None), ActionPlan.closed_at.is_(None)
    )
    sent = 0
    for plan_id in list(db.scalars(query.order_by(ActionPlan.id))):
        plan = db.get(ActionPlan, plan_id)
        if plan is None or not plan.contact_email:
            continue
        done = set(db.scalars(select(PlanReminder.event).where(PlanReminder.plan_id == plan_id)))
        events = [e for e in due_events(plan, on, days) if e.key not in done]
        if not events:
            continue
        subject, body = compose(plan, events, days)
        message = mail.message(config, plan.contact_email, subject, body)
        records = [PlanReminder(plan_id=plan.id, event=e.key, sent_at=utcnow()) for e in events]
        sent += mail.send_once(config, message, records)
    return sent
