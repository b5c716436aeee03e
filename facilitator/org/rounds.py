"""Follow-up rounds: their timetable and milestones, and the plans their overview counts."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db import db
from ..plans.models import ActionPlan
from ..plans.rules import PlanError, parse_date
from ..timefmt import COPENHAGEN
from .models import Milestone, Place, Round
from .places import OrgError
from .rollup import Node, plan_facts, rollup
from .tree import Tree, clean_name

MAX_MILESTONES = 30


# ---- the plans a round counts --------------------------------------------------------------


def start_of(day: date) -> datetime:
    """Midnight in Copenhagen at the start of `day`, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=COPENHAGEN)


def plans_in(place_ids: Iterable[int], since: date | None = None) -> list[ActionPlan]:
    """The plans that belong to these places (made on or after `since`), rows loaded."""
    ids = list(place_ids)
    if not ids:
        return []
    query = select(ActionPlan).where(ActionPlan.place_id.in_(ids))
    if since is not None:
        query = query.where(ActionPlan.created_at >= start_of(since))
    query = query.options(selectinload(ActionPlan.items)).order_by(ActionPlan.id)
    return list(db.scalars(query))


def overview(tree: Tree, root_id: int, round_: Round | None, on: date) -> Node | None:
    """The roll-up of a subtree: for a round, only the plans made since its start."""
    plans = plans_in(tree.subtree_ids(root_id), round_.plans_from if round_ else None)
    by_place: dict[int, list] = {}
    for plan in plans:
        by_place.setdefault(plan.place_id, []).append(plan_facts(plan, on))
    return rollup(tree, by_place, root_id)


# ---- rounds --------------------------------------------------------------------------------

# The 2026 timetable of «Trivselsmåling og APV» (Store MED dag): (month, day), end, label.
# The deadline for handleplaner (30/6) is the round's own date, shown among these. A soft
# hyphen (\u00ad) lets the long compound break on a narrow timeline.
TEMPLATE = [
    ((3, 18), None, "Store MED dag: den lokale proces planlægges"),
    ((4, 8), None, "Spørgeskema\u00adundersøgelsen igangsættes"),
    ((4, 22), None, "Spørgeskema\u00adundersøgelsen stopper"),
    ((5, 5), None, "Rapporterne frigives"),
    ((5, 11), (6, 30), "Trivselsdialoger og opsamling på resultaterne"),
    ((8, 1), (9, 30), "Evaluering i MED"),
]
TEMPLATE_DEADLINE = (6, 30)
TEMPLATE_FROM = (4, 8)  # plans made from the day the survey opens count
TEMPLATE_TITLE = "Trivselsmåling og APV {year}"


def template(year: int) -> tuple[list[tuple[date, date | None, str]], date, date]:
    """The default milestones, deadline and first plan day for a year."""
    stones = [
        (date(year, *start), date(year, *end) if end else None, label)
        for start, end, label in TEMPLATE
    ]
    return stones, date(year, *TEMPLATE_DEADLINE), date(year, *TEMPLATE_FROM)


def rounds_of(owner_id: int) -> list[Round]:
    query = select(Round).join(Place, Round.place_id == Place.id).where(Place.owner_id == owner_id)
    return list(db.scalars(query.order_by(Round.deadline.desc(), Round.id.desc())))


def create_round(place: Place, title: str, year: int) -> Round:
    if not 2000 <= year <= 2100:
        raise OrgError("Vælg et år mellem 2000 og 2100.")
    title = clean_name(title, 201) or TEMPLATE_TITLE.format(year=year)
    if len(title) > 200:
        raise OrgError("«Titel» er for lang (højst 200 tegn).")
    stones, deadline, since = template(year)
    round_ = Round(place_id=place.id, title=title, deadline=deadline, plans_from=since)
    round_.milestones = [
        Milestone(position=i, label=label, starts_on=start, ends_on=end)
        for i, (start, end, label) in enumerate(stones)
    ]
    db.add(round_)
    db.commit()
    return round_


_DATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4})"
_STONE = re.compile(rf"^({_DATE})(?:\s*[–—-]\s*({_DATE}))?\s*[:·]?\s+(.+)$")


def format_day(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def milestones_text(round_: Round) -> str:
    """The milestones as the settings form shows them, one a line: «11-05-2026 – 30-06-2026 …»."""
    lines = []
    for stone in round_.milestones:
        span = format_day(stone.starts_on)
        if stone.ends_on:
            span += " – " + format_day(stone.ends_on)
        lines.append(f"{span} {stone.label}")
    return "\n".join(lines)


def parse_milestones(text: str) -> list[tuple[date, date | None, str]]:
    out, errors = [], []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = " ".join(raw.split())
        if not line:
            continue
        match = _STONE.match(line)
        if not match:
            errors.append(f"Linje {number}: skriv en dato og hvad der sker, fx «08-04-2026 "
                          "Spørgeskemaundersøgelsen igangsættes».")  # fmt: skip
            continue
        try:
            start = parse_date(match.group(1), f"Linje {number}")
            end = parse_date(match.group(2), f"Linje {number}") if match.group(2) else None
        except PlanError as exc:
            errors.append(str(exc))
            continue
        if end is not None and end < start:
            errors.append(f"Linje {number}: perioden slutter før den begynder.")
            continue
        label = match.group(3)
        if len(label) > 200:
            errors.append(f"Linje {number}: teksten er for lang (højst 200 tegn).")
            continue
        out.append((start, end, label))
    if len(out) > MAX_MILESTONES:
        errors.append(f"Højst {MAX_MILESTONES} milepæle.")
    if errors:
        raise OrgError("\n".join(errors))
    return sorted(out, key=lambda s: (s[0], s[1] or s[0]))


def update_round(
    round_: Round, title: str, deadline: str, plans_from: str, milestones: str
) -> Round:
    title = clean_name(title, 201)
    if not title:
        raise OrgError("Giv runden en titel.")
    if len(title) > 200:
        raise OrgError("«Titel» er for lang (højst 200 tegn).")
    try:
        due = parse_date(deadline, "Deadline for handleplaner")
        since = parse_date(plans_from, "Planer tæller med fra")
    except PlanError as exc:
        raise OrgError(str(exc)) from None
    if due is None or since is None:
        raise OrgError("Skriv både deadline for handleplaner og datoen, planerne tæller fra.")
    if since > due:
        raise OrgError("Planerne kan ikke tælle fra en dato efter deadline.")
    stones = parse_milestones(milestones)
    round_.title = title
    round_.deadline = due
    round_.plans_from = since
    round_.milestones = [
        Milestone(position=i, label=label, starts_on=start, ends_on=end)
        for i, (start, end, label) in enumerate(stones)
    ]
    db.commit()
    return round_


@dataclass(frozen=True)
class Stop:
    """One stop on the round's timeline, as the overview draws it."""

    label: str
    starts_on: date
    ends_on: date | None
    state: str  # "past", "now", "next", "later"
    deadline: bool = False


def timeline(round_: Round, on: date) -> list[Stop]:
    """The milestones and the deadline in date order, each past, now, next or later."""
    raw = [(m.starts_on, m.ends_on, m.label, False) for m in round_.milestones]
    raw.append((round_.deadline, None, "Deadline for handleplaner", True))
    raw.sort(key=lambda s: (s[0], s[1] or s[0], not s[3]))
    stops, next_given = [], False
    for start, end, label, is_deadline in raw:
        last = end or start
        if last < on:
            state = "past"
        elif start <= on:
            state = "now"
        elif not next_given:
            state, next_given = "next", True
        else:
            state = "later"
        stops.append(Stop(label, start, end, state, is_deadline))
    return stops
