"""The idea board, pure: notes with the instructor's changes, themes, walls, dots and ranking.

Rows are Response-like objects (id, owner, slot, payload, group_id). A note is the row in
slot "note:<n>" of its writer; a participant's dots on one target are the row in slot
"dot:<target>" holding an absolute count, so a repeated tap sets the same count again.
Targets are "n:<note id>" or "t:<theme id>". The instructor's changes live in the step's
state: "notes" (per note id: text, category, hidden, theme) and "themes" (per theme id).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

COLLECT, SORT, VOTE, REVEAL = "collect", "sort", "vote", "reveal"
PHASES = (COLLECT, SORT, VOTE, REVEAL)
NOTE, DOT = "note:", "dot:"


@dataclass
class Note:
    """One post-it as the wall shows it (the instructor's edits applied)."""

    id: int
    slot: int
    owner: int | None
    group_id: int | None
    text: str
    category: int
    hidden: bool = False
    theme: int | None = None
    edited: bool = False
    name: str = ""
    dots: int = 0
    written: str = ""  # the writer's own text, before the instructor's edits
    rev: int = 0  # the writer's version of the note: the instructor's edits hold for one

    @property
    def key(self) -> str:
        return f"n:{self.id}"


@dataclass
class Unit:
    """What the room votes on and the ranking lists: a theme, or a note in no theme."""

    key: str
    kind: str  # "theme" or "note"
    title: str
    category: int
    group_id: int | None
    notes: list[Note] = field(default_factory=list)
    dots: int = 0
    order: int = 0
    place: int = 0
    shared: bool = False


@dataclass
class Wall:
    """One board: the whole room's, or one group's when the board runs per group."""

    group_id: int | None
    name: str
    units: list[Unit] = field(default_factory=list)
    columns: list[tuple[int, str, list[Unit]]] = field(default_factory=list)
    ranking: list[Unit] = field(default_factory=list)
    notes: int = 0
    dots: int = 0
    voters: int = 0


@dataclass
class Board:
    notes: dict[int, Note]
    hidden: list[Note]
    units: dict[str, Unit]
    walls: list[Wall]
    themes: dict[int, dict[str, Any]]
    spent: dict[int, dict[str, int]]  # participant -> target -> counted dots
    by_owner: dict[int, list[Note]] = field(default_factory=dict)
    next_slot: dict[int, int] = field(default_factory=dict)  # deleted slots are never reused

    def unit_of(self, target: str) -> Unit | None:
        """The unit a dot on `target` counts for (None: a hidden note, a dissolved theme)."""
        kind, _, raw = target.partition(":")
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 10):  # "²" is a digit too
            return None
        number = int(raw)
        if kind == "n":
            note = self.notes.get(number)
            if note is None or note.hidden:
                return None
            return self.units.get(f"t:{note.theme}" if note.theme else note.key)
        if kind == "t":
            tid = resolve(self.themes, number)
            return self.units.get(f"t:{tid}") if tid is not None else None
        return None

    def wall_of(self, group_id: int | None) -> Wall | None:
        return next((w for w in self.walls if w.group_id == group_id), None)


def resolve(themes: Mapping[int, Mapping[str, Any]], tid: int | None) -> int | None:
    """A theme id after merges ("into"); None when it was dissolved or never existed."""
    for _hop in range(50):  # a cycle can only come from a hand-edited state: stop anyway
        theme = themes.get(tid) if tid is not None else None
        if theme is None or theme.get("gone"):
            return None
        if theme.get("into") is None:
            return tid
        tid = theme["into"]
    return None


def themes_of(state: Mapping[str, Any]) -> dict[int, dict[str, Any]]:
    return {int(k): v for k, v in (state.get("themes") or {}).items() if str(k).isdigit()}


def slot_number(slot: str) -> int | None:
    raw = slot[len(NOTE) :] if slot.startswith(NOTE) else ""
    return int(raw) if raw.isdigit() else None


def pid_of(owner: str) -> int | None:
    return int(owner[2:]) if owner.startswith("p:") and owner[2:].isdigit() else None


def effective(row: Any, override: Mapping[str, Any], n_categories: int) -> tuple[str, int, bool]:
    """(text, category, edited by the instructor) of a note row.

    The instructor's change holds only for the version of the note it was made on ("rev"):
    when the writer changes the note later, the writer's newer version shows instead.
    """
    payload = row.payload or {}
    rev = payload.get("rev", 0)
    text = str(payload.get("text") or "")
    category = clamp(payload.get("category"), n_categories)
    edited = "text" in override and override.get("text_rev") == rev
    if edited:
        text = str(override["text"])
    if "category" in override and override.get("cat_rev") == rev:
        category = clamp(override["category"], n_categories)
    return text, category, edited


def clamp(value: Any, n_categories: int) -> int:
    number = int(value) if isinstance(value, int) or str(value).isdigit() else 0
    return number if 0 <= number < max(1, n_categories) else 0


def build(
    content: Any,
    state: Mapping[str, Any],
    rows: Iterable[Any],
    names: Mapping[int, str] | None = None,
    groups: Iterable[tuple[int, str]] = (),
) -> Board:
    """Everything the screens and results need, from the rows and the state."""
    names = names or {}
    n_cat = len(content.categories)
    overrides = state.get("notes") or {}
    themes = themes_of(state)
    notes: dict[int, Note] = {}
    by_owner: dict[int, list[Note]] = {}
    next_slot: dict[int, int] = {}
    dot_rows = []
    for row in sorted(rows, key=lambda r: r.id):
        if row.slot.startswith(DOT):
            dot_rows.append(row)
            continue
        number, owner = slot_number(row.slot), pid_of(row.owner)
        if number is None:
            continue
        if owner is not None:
            next_slot[owner] = max(next_slot.get(owner, 1), number + 1)
        if (row.payload or {}).get("deleted"):
            continue
        o = overrides.get(str(row.id)) or {}
        text, category, edited = effective(row, o, n_cat)
        notes[row.id] = Note(
            id=row.id,
            slot=number,
            owner=owner,
            group_id=row.group_id if content.per_group else None,
            text=text,
            category=category,
            hidden=bool(o.get("hidden")),
            theme=resolve(themes, o.get("theme")),
            edited=edited,
            name=names.get(owner, "") if content.named and owner is not None else "",
            written=str((row.payload or {}).get("text") or ""),
            rev=(row.payload or {}).get("rev", 0),
        )
        if owner is not None:
            by_owner.setdefault(owner, []).append(notes[row.id])
    units: dict[str, Unit] = {}
    for tid, theme in sorted(themes.items()):
        if resolve(themes, tid) == tid:
            units[f"t:{tid}"] = Unit(
                key=f"t:{tid}",
                kind="theme",
                title=str(theme.get("title") or ""),
                category=clamp(theme.get("category"), n_cat),
                group_id=theme.get("group") if content.per_group else None,
            )
    for note in notes.values():
        if note.hidden:
            continue
        theme_unit = units.get(f"t:{note.theme}") if note.theme else None
        if theme_unit is not None:
            theme_unit.notes.append(note)
        else:
            note.theme = None
            units[note.key] = Unit(note.key, "note", note.text, note.category, note.group_id)
            units[note.key].notes.append(note)
    hidden = [n for n in notes.values() if n.hidden]
    board = Board(notes, hidden, units, [], themes, {}, by_owner, next_slot)
    by_pid: dict[int, list[Any]] = {}
    for row in dot_rows:
        by_pid.setdefault(pid_of(row.owner) or 0, []).append(row)
    for pid, mine in by_pid.items():
        counted = spent_of(board, content, mine) if pid else {}
        if counted:
            board.spent[pid] = counted
    for targets in board.spent.values():
        for target, count in targets.items():
            board.unit_of(target).dots += count  # type: ignore[union-attr]  # counted: valid
            if target.startswith("n:"):
                board.notes[int(target[2:])].dots += count
    board.walls = _walls(board, content, groups)
    return board


def spent_of(board: Board, content: Any, rows: Iterable[Any]) -> dict[str, int]:
    """One participant's counted dots per target: at most `dots` in all, `max_per_item` a unit.

    Dots on a hidden note or a dissolved theme do not count (the writer gets them back); if
    the note comes back, the oldest dots count first and the limits still hold.
    """
    per_unit: dict[str, int] = {}
    total, out = 0, {}
    for row in sorted(rows, key=lambda r: r.id):
        target = row.slot[len(DOT) :] if row.slot.startswith(DOT) else ""
        count = (row.payload or {}).get("count")
        unit = board.unit_of(target)
        if unit is None or not isinstance(count, int) or count <= 0:
            continue
        count = min(count, content.max_per_item - per_unit.get(unit.key, 0), content.dots - total)
        if count > 0:
            per_unit[unit.key] = per_unit.get(unit.key, 0) + count
            total += count
            out[target] = count
    return out


def _walls(board: Board, content: Any, groups: Iterable[tuple[int, str]]) -> list[Wall]:
    if content.per_group:
        walls = [Wall(gid, name) for gid, name in groups]
        known = {w.group_id for w in walls}
        strays = {u.group_id for u in board.units.values()} - known
        walls += [Wall(None, "Uden gruppe")] if None in strays else []
    else:
        walls = [Wall(None, "")]
    by_group = {w.group_id: w for w in walls}
    labels = content.categories or [""]
    for order, unit in enumerate(sorted(board.units.values(), key=_wall_order)):
        unit.order = order
        wall = by_group.get(unit.group_id)
        if wall is not None:
            wall.units.append(unit)
    voters_by_wall: dict[int | None, set[int]] = {}
    for pid, targets in board.spent.items():
        for target in targets:
            unit = board.unit_of(target)
            if unit is not None:
                voters_by_wall.setdefault(unit.group_id, set()).add(pid)
    for wall in walls:
        wall.columns = [
            (i, label, [u for u in wall.units if u.category == i]) for i, label in enumerate(labels)
        ]
        wall.notes = sum(len(u.notes) for u in wall.units)
        wall.dots = sum(u.dots for u in wall.units)
        wall.voters = len(voters_by_wall.get(wall.group_id, ()))
        wall.ranking = rank(wall.units)
    return walls


def _wall_order(unit: Unit) -> tuple[int, int, int]:
    # Themes first in their column (they gather the most), then notes as they were posted.
    first = min((n.id for n in unit.notes), default=0)
    return (unit.category, 0 if unit.kind == "theme" else 1, first or int(unit.key[2:]))


def rank(units: Iterable[Unit]) -> list[Unit]:
    """Units with dots, most first; equal dots share a place (1, 1, 3), wall order within."""
    ranked = sorted((u for u in units if u.dots > 0), key=lambda u: (-u.dots, u.order))
    for i, unit in enumerate(ranked):
        unit.place = i + 1 if i == 0 or ranked[i - 1].dots != unit.dots else ranked[i - 1].place
    for unit in ranked:
        unit.shared = sum(1 for u in ranked if u.dots == unit.dots) > 1
    return ranked


def spend_check(
    board: Board, content: Any, mine: Mapping[str, int], target: str, count: int
) -> str | None:
    """Why setting `count` dots on `target` breaks the limits (Danish), or None when it fits."""
    unit = board.unit_of(target)
    if unit is None:
        return "Den seddel er her ikke længere. Kig på tavlen igen."
    old = mine.get(target, 0)
    if count <= old:
        return None  # taking dots back always works
    on_unit = sum(c for t, c in mine.items() if board.unit_of(t) is unit) - old + count
    if on_unit > content.max_per_item:
        n = content.max_per_item
        return f"Du kan højst give {n} {dots_word(n)} til samme seddel eller tema."
    if sum(mine.values()) - old + count > content.dots:
        return (
            f"Du har brugt alle dine {content.dots} {dots_word(content.dots)}. "
            "Tag en prik væk fra en anden seddel, hvis du vil flytte den."
        )
    return None


def dots_word(n: int) -> str:
    return "prik" if n == 1 else "prikker"


def mine_on(board: Board, mine: Mapping[str, int], unit: Unit) -> list[tuple[str, int]]:
    """A participant's counted dots on a unit, per target: the unit's own key first."""
    found = [(t, c) for t, c in mine.items() if board.unit_of(t) is unit]
    return sorted(found, key=lambda tc: tc[0] != unit.key)
