"""A table's årshjul as a calendar file: each item a yearly all-day event on its month's first day.

The kind's own format registry and route (its blueprint), so no core module names the kind.
Only the workshop's instructor downloads it, from the controls.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import Blueprint, abort

from facilitator.db import db
from facilitator.exports import Formats, download
from facilitator.kinds import kind_of
from facilitator.models import Step, utcnow
from facilitator.reading import step_view
from facilitator.views.access import instructor_workshop

from .logic import Item, WheelContent

WHEEL_FORMATS = Formats()
bp = Blueprint("annual_wheel", __name__, url_prefix="/aarshjul")


def first_day(content: WheelContent, item: Item, year: int) -> date:
    """The day an item's event falls on: the first of its month, or of its quarter."""
    month = item.period if content.unit == "month" else 3 * (item.period - 1) + 1
    return date(year, month, 1)


@WHEEL_FORMATS.register("ics", "text/calendar")
def wheel_ics(subject: tuple[str, WheelContent, list[Item], int], **_: Any) -> bytes:
    """The items as events that repeat every year, as an årshjul does."""
    from icalendar import Calendar, Event

    table, content, items, year = subject
    cal = Calendar()
    cal.add("prodid", "-//Facilitator//Aarshjul//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Årshjul: {table}")
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    stamp = utcnow().replace(microsecond=0)
    for item in items:
        day = first_day(content, item, year)
        event = Event()
        event.add("uid", f"aarshjul-{table}-{item.number}-{year}@facilitator".replace(" ", "_"))
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("rrule", {"freq": "yearly"})
        event.add("summary", f"Årshjul: {item.title}")
        event.add("description", item.note or f"{content.periods[item.period - 1]} i årshjulet.")
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical()


@bp.get("/<int:workshop_id>/<int:step_id>/<int:group_id>.ics")
def calendar(workshop_id: int, step_id: int, group_id: int):
    """One table's årshjul as a calendar file for the instructor to pass on."""
    workshop = instructor_workshop(workshop_id)
    step = db.get(Step, step_id)
    group = next((g for g in workshop.groups if g.id == group_id), None)
    if step is None or step.workshop_id != workshop.id or step.kind != "annual_wheel" or not group:
        abort(404)
    view = step_view(workshop, step)
    kind = kind_of(step)
    items = next(t[2] for t in kind.tables(view) if t[0] == group_id)
    content = view.content
    year = content.year or view.now.year + 1
    fmt = WHEEL_FORMATS.get("ics")
    assert fmt is not None
    return download(fmt, (group.name, content, items, year), f"aarshjul-{group_id}-{year}")
