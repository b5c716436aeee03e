"""The organisation's trees in the database: places, levels, the CSV import, linked plans."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..db import db
from ..models import Group
from ..plans.models import ActionPlan
from ..plans.rules import PlanError, parse_email
from . import csv_import
from .models import Place, Round
from .tree import DEFAULT_LEVELS, LEVEL_MAX, MAX_DEPTH, NAME_MAX, Tree, clean_name


# rounds.py and read_links.py raise it too; it lives here because they both build on places.
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


def update_place(
    place: Place,
    name: str,
    level: str,
    parent_id: int | None = None,
    contact_email: str | None = None,
) -> Place:
    """Rename a place, change its level's name or contact, or move it in the tree.

    contact_email None leaves the contact as it is; "" removes it.
    """
    tree = tree_of(place.owner_id)
    name = _name(name)
    level = _level(level)
    if contact_email is not None:
        try:
            place.contact_email = parse_email(contact_email)
        except PlanError as exc:
            raise OrgError(str(exc)) from None
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
