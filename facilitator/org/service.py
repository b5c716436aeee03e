"""The organisation's database work: the tree, the CSV import, rounds, read links, linking.

Pages call these; errors are OrgError with a Danish message shown beside the form.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..db import db
from ..models import Group, utcnow
from ..plans.models import ActionPlan
from ..plans.rules import PlanError, parse_date
from ..timefmt import COPENHAGEN
from . import csv_import
from .models import Milestone, Place, ReadLink, Round
from .rollup import Node, plan_facts, rollup
from .tree import DEFAULT_LEVELS, LEVEL_MAX, MAX_DEPTH, NAME_MAX, Tree, clean_name

LINK_DAYS = 365  # a read link works for a year unless the instructor chooses otherwise
LINK_MAX_DAYS = 3 * 366
MAX_MILESTONES = 30


class OrgError(ValueError):
    """An organisation action was refused; the message is Danish."""


# ---- the tree ------------------------------------------------------------------------------


def places_of(owner_id: int) -> list[Place]:
    return list(db.scalars(select(Place).where(Place.owner_id == owner_id)))


def tree_of(owner_id: int) -> Tree:
    return Tree(places_of(owner_id))


def tree_around(place: Place) -> Tree:
    """The whole tree a place is in (its owner's places; followed by hand if the owner is gone)."""
    if place.owner_id is not None:
        return tree_of(place.owner_id)
    root = place
    seen = {root.id}
    while root.parent_id is not None and root.parent_id not in seen:
        seen.add(root.parent_id)
        root = db.get(Place, root.parent_id) or root
    found, frontier = [root], [root.id]
    while frontier:
        kids = list(db.scalars(select(Place).where(Place.parent_id.in_(frontier))))
        found += kids
        frontier = [k.id for k in kids]
    return Tree(found)


def own_place(owner_id: int, place_id: int | None) -> Place | None:
    if place_id is None:
        return None
    place = db.get(Place, place_id)
    return place if place is not None and place.owner_id == owner_id else None


def _name(raw: str, what: str = "Navn") -> str:
    name = clean_name(raw, NAME_MAX + 1)
    if not name:
        raise OrgError(f"Skriv et {what.lower()}.")
    if len(name) > NAME_MAX:
        raise OrgError(f"«{what}» er for langt (højst {NAME_MAX} tegn).")
    return name


def _level(raw: str) -> str:
    level = clean_name(raw, LEVEL_MAX + 1)
    if len(level) > LEVEL_MAX:
        raise OrgError(f"«Niveau» er for langt (højst {LEVEL_MAX} tegn).")
    return level


def add_place(owner_id: int, parent: Place | None, name: str, level: str = "") -> Place:
    """A new kommune (no parent) or a place under `parent`; names are unique among siblings."""
    tree = tree_of(owner_id)
    name = _name(name)
    depth = 0 if parent is None else tree.depth(parent.id) + 1
    if depth >= MAX_DEPTH:
        raise OrgError(f"Træet kan højst have {MAX_DEPTH} niveauer.")
    if tree.sibling_named(parent.id if parent else None, name) is not None:
        where = f"under «{parent.name}»" if parent else "blandt dine kommuner"
        raise OrgError(f"Der er allerede et sted, der hedder «{name}», {where}.")
    level = _level(level) or _level_at(tree, parent, depth)
    place = Place(
        parent_id=parent.id if parent else None, owner_id=owner_id, name=name, level=level
    )
    db.add(place)
    db.commit()
    return place


def _level_at(tree: Tree, parent: Place | None, depth: int) -> str:
    """The level name a new place gets: its siblings', else the default for its depth."""
    siblings = tree.children.get(parent.id if parent else None, [])
    if siblings:
        return siblings[-1].level
    return DEFAULT_LEVELS[min(depth, len(DEFAULT_LEVELS) - 1)]


def update_place(place: Place, name: str, level: str, parent_id: int | None = None) -> Place:
    """Rename a place, change its level's name, or move it under another place of the tree."""
    tree = tree_of(place.owner_id)
    name = _name(name)
    level = _level(level)
    if parent_id is not None and parent_id != place.parent_id:
        if place.parent_id is None:
            raise OrgError("En kommune kan ikke flyttes ind under et andet sted.")
        if parent_id not in tree.by_id or tree.root_of(parent_id) is not tree.root_of(place.id):
            raise OrgError("Vælg et sted i samme træ at flytte til.")
        if tree.contains(place.id, parent_id):
            raise OrgError("Et sted kan ikke flyttes ind under sig selv.")
        height = max(d for _, d in tree.walk(place.id))
        if tree.depth(parent_id) + 1 + height >= MAX_DEPTH:
            raise OrgError(f"Træet kan højst have {MAX_DEPTH} niveauer.")
        place.parent_id = parent_id
    twin = tree.sibling_named(place.parent_id, name)
    if twin is not None and twin.id != place.id:
        raise OrgError(f"Der er allerede et sted, der hedder «{name}», samme sted i træet.")
    place.name = name
    place.level = level
    db.commit()
    return place


def delete_place(place: Place) -> None:
    """Remove a place without places under it; its plans and groups lose the link only."""
    if db.scalar(select(Place.id).where(Place.parent_id == place.id).limit(1)) is not None:
        raise OrgError(f"«{place.name}» har steder under sig. Flyt eller slet dem først.")
    if db.scalar(select(Round.id).where(Round.place_id == place.id).limit(1)) is not None:
        raise OrgError(f"«{place.name}» har en opfølgningsrunde. Slet runden først.")
    db.delete(place)
    db.commit()


def rename_level(owner_id: int, root_id: int, depth: int, old: str, new: str) -> int:
    """Give every place at one depth of a tree with level `old` the level name `new`."""
    new = _level(new)
    if not new:
        raise OrgError("Skriv niveauets nye navn.")
    tree = tree_of(owner_id)
    changed = 0
    for place, d in tree.walk(root_id):
        if d == depth and place.level == old:
            place.level = new
            changed += 1
    db.commit()
    return changed


@dataclass(frozen=True)
class Imported:
    created: int
    existing: int
    roots: list[Place]


def import_structure(owner_id: int, data: bytes) -> Imported:
    """Merge a CSV of the MED structure into the owner's trees: all of it, or nothing.

    Places are matched by name (case and spacing ignored) under the same parent; existing
    places keep their names and levels, missing ones are added with the file's level names.
    """
    parsed = csv_import.parse(data)
    tree = tree_of(owner_id)
    made: dict[tuple[str, ...], Place] = {}
    created = existing = 0
    roots: list[Place] = []
    try:
        for _line, path in parsed.paths:
            parent = made.get(path[:-1]) if len(path) > 1 else None
            parent_id = parent.id if parent is not None else None
            found = tree.sibling_named(parent_id, path[-1])
            if found is None:
                found = Place(
                    parent_id=parent_id,
                    owner_id=owner_id,
                    name=path[-1],
                    level=parsed.levels[len(path) - 1],
                )
                db.add(found)
                db.flush()  # its id, for the places under it
                tree.children.setdefault(parent_id, []).append(found)
                tree.by_id[found.id] = found
                created += 1
            else:
                existing += 1
            made[path] = found
            if len(path) == 1:
                roots.append(found)
        db.commit()
    except Exception:
        db.rollback()
        raise
    return Imported(created, existing, roots)


# ---- plans and groups in the tree ----------------------------------------------------------


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


def link_plan(plan: ActionPlan, place: Place | None) -> None:
    plan.place_id = place.id if place else None
    db.commit()


def link_group(group: Group, place: Place | None) -> int:
    """Link a workshop's group to a place; its plans without a place follow. Returns how many."""
    group.place_id = place.id if place else None
    moved = 0
    if place is not None:
        query = select(ActionPlan).where(
            ActionPlan.group_id == group.id, ActionPlan.place_id.is_(None)
        )
        for plan in db.scalars(query):
            plan.place_id = place.id
            moved += 1
    db.commit()
    return moved


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


# ---- read links ----------------------------------------------------------------------------


def links_of(place: Place) -> list[ReadLink]:
    query = select(ReadLink).where(ReadLink.place_id == place.id)
    return list(db.scalars(query.order_by(ReadLink.created_at.desc(), ReadLink.id.desc())))


def create_link(place: Place, label: str, expires_on: str | None, on: date) -> ReadLink:
    label = clean_name(label, 121) or f"MED for {place.name}"[:120]
    if len(label) > 120:
        raise OrgError("«Hvem er linket til?» er for langt (højst 120 tegn).")
    try:
        until = parse_date(expires_on, "Virker til og med")
    except PlanError as exc:
        raise OrgError(str(exc)) from None
    until = until or on + timedelta(days=LINK_DAYS)
    if until < on:
        raise OrgError("«Virker til og med» skal være i dag eller senere.")
    if until > on + timedelta(days=LINK_MAX_DAYS):
        raise OrgError("Et læselink kan højst virke i tre år. Lav et nyt, når det udløber.")
    link = ReadLink(place_id=place.id, token=secrets.token_urlsafe(32), label=label,
                    expires_on=until)  # fmt: skip
    db.add(link)
    db.commit()
    return link


def revoke_link(link: ReadLink) -> None:
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        db.commit()


def link_by_token(token: str) -> ReadLink | None:
    if not token or len(token) > 64:
        return None
    return db.scalar(select(ReadLink).where(ReadLink.token == token))


def link_state(link: ReadLink, on: date) -> str:
    """One of ok, revoked or expired (from the day after its last day)."""
    if link.revoked_at is not None:
        return "revoked"
    return "expired" if link.expires_on < on else "ok"
