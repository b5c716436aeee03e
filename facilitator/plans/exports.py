"""A plan's exports: CSV and XLSX for the municipality's APV system, an iCalendar feed.

CSV is semicolon-separated UTF-8 with a BOM, like exports.py, so Danish Excel opens it with
æ, ø and å intact; every text cell passes safe_cell (no formula injection). XLSX writes
text as text (never as a formula) and dates as real date cells.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from ..exports import Formats, csv_bytes, safe_cell
from ..exports.sheets import Sheet, xlsx_bytes
from ..models import utcnow
from ..timefmt import local
from .models import ActionItem, ActionPlan
from .rules import EFFECTS, PRIORITIES, evaluation_stage, is_done, is_overdue

PLAN_FORMATS = Formats()
HEADER = [
    "Handleplan",
    "Udvalg/gruppe",
    "Nr.",
    "Problem/tema",
    "Aktivitet",
    "Tovholder",
    "Deadline",
    "Prioritet",
    "Status",
    "Trin",
    "Overskredet",
    "Har det virket?",
    "Hvad lærte vi?",
    "Note",
    "Seneste beslutning",
    "Kilde",
    "Sidst ændret",
]
HISTORY_HEADER = [
    "Nr.",
    "Aktivitet",
    "Tidspunkt",
    "Hvem",
    "Fra",
    "Til",
    "Note",
    "Beslutning",
    "Har det virket?",
    "Hvad lærte vi?",
]


def filename(plan: ActionPlan) -> str:
    """An ASCII file name (without extension) from the plan's title: handleplan-bord-1"""
    name = f"{plan.title} {plan.group_name}".lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        name = name.replace(a, b)
    slug = re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:60] or "handleplan"
    return slug


def stage_name(plan: ActionPlan, item: ActionItem) -> str:
    return plan.stages[min(item.stage, len(plan.stages) - 1)]


def effect_of(plan: ActionPlan, item: ActionItem) -> tuple[str, str]:
    """The row's answer to "Har det virket?" and what was learned, while it stands evaluated."""
    if item.effect and item.stage == evaluation_stage(plan.stages):
        return EFFECTS.get(item.effect, item.effect), item.learned
    return "", ""


def last_decision(item: ActionItem) -> str:
    return next((c.decision for c in reversed(item.changes) if c.decision), "")


def rows(plan: ActionPlan, on: date) -> list[list[Any]]:
    """One list per plan row, in the plan's order; dates and times as values, not text."""
    out = []
    for number, item in enumerate(plan.items, start=1):
        out.append(
            [
                plan.title,
                plan.group_name,
                number,
                item.theme,
                item.activity,
                item.tovholder,
                item.deadline,
                PRIORITIES.get(item.priority, ""),
                stage_name(plan, item),
                f"{min(item.stage, len(plan.stages) - 1) + 1}/{len(plan.stages)}",
                "ja" if is_overdue(item, plan, on) else "nej",
                *effect_of(plan, item),
                item.note,
                last_decision(item),
                item.source,
                local(item.updated_at).replace(tzinfo=None, microsecond=0),
            ]
        )
    return out


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(str(value))


@PLAN_FORMATS.register("csv", "text/csv")
def plan_csv(plan: ActionPlan, *, on: date, **_: Any) -> bytes:
    return csv_bytes(HEADER, ([_text(v) for v in row] for row in rows(plan, on)))


@PLAN_FORMATS.register("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
def plan_xlsx(plan: ActionPlan, *, on: date, **_: Any) -> bytes:
    widths = [24, 18, 6, 36, 44, 20, 12, 10, 18, 6, 12, 12, 36, 40, 36, 18, 17]
    history_widths = [6, 44, 17, 20, 18, 18, 40, 40, 12, 36]
    return xlsx_bytes(
        [
            Sheet("Handleplan", HEADER, rows(plan, on), widths),
            Sheet("Historik", HISTORY_HEADER, history_rows(plan), history_widths),
        ]
    )


def history_rows(plan: ActionPlan) -> list[list[Any]]:
    out = []
    for number, item in enumerate(plan.items, start=1):
        for change in item.changes:
            out.append(
                [
                    number,
                    item.activity or item.theme,
                    local(change.at).replace(tzinfo=None, microsecond=0),
                    change.by_name,
                    "" if change.from_stage is None else _stage(plan, change.from_stage),
                    _stage(plan, change.to_stage),
                    change.note,
                    change.decision,
                    EFFECTS.get(change.effect, change.effect) if change.effect else "",
                    change.learned,
                ]
            )
    return out


def _stage(plan: ActionPlan, index: int) -> str:
    return plan.stages[index] if 0 <= index < len(plan.stages) else f"Trin {index + 1}"


@PLAN_FORMATS.register("ics", "text/calendar")
def plan_ics(plan: ActionPlan, *, view_url: str | None = None, **_: Any) -> bytes:
    """Deadlines and follow-up meetings as all-day events a calendar can subscribe to."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", "-//Facilitator//Handleplan//DA")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Handleplan: {plan.title} ({plan.group_name})")
    cal.add("x-wr-timezone", "Europe/Copenhagen")
    stamp = utcnow().replace(microsecond=0)
    for item in plan.items:
        if item.deadline is None:
            continue
        done = " (gennemført)" if is_done(item, plan) else ""
        lines = [
            f"Problem/tema: {item.theme}" if item.theme else "",
            f"Tovholder: {item.tovholder}" if item.tovholder else "",
            f"Status: {stage_name(plan, item)}",
            f"Prioritet: {PRIORITIES.get(item.priority, '')}",
            f"Planen: {view_url}" if view_url else "",
        ]
        event = _event(
            f"{plan.uid}-row{item.id}",
            item.deadline,
            f"Frist: {item.activity or item.theme}{done}",
            "\n".join(line for line in lines if line),
            stamp,
        )
        cal.add_component(event)
    # One event per meeting day: the next meeting, once held, updates the same event.
    meetings = {plan.last_followup: "Opfølgningsmøde (holdt)"}
    meetings[plan.next_followup] = "Opfølgningsmøde"
    for day, label in sorted((d, t) for d, t in meetings.items() if d is not None):
        text = f"Hvor langt er vi? Gå handleplanen igennem række for række.\n{view_url or ''}"
        cal.add_component(
            _event(f"{plan.uid}-meeting-{day}", day, f"{label}: {plan.title}", text, stamp)
        )
    return cal.to_ical()


def _event(uid: str, day: date, summary: str, description: str, stamp: datetime) -> Any:
    """An all-day event; `uid` starts with the plan's random uid, so no two servers share one."""
    from icalendar import Event

    event = Event()
    event.add("uid", f"{uid}@facilitator")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("transp", "TRANSPARENT")
    return event
