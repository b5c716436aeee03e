"""The idea board's shapes: a note with the instructor's changes, a unit that takes dots
(a note or a theme), one table's wall, and the whole board as derived from the rows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


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
