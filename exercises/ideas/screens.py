"""What each screen of the idea board shows, and the step's results, read from the board."""

from __future__ import annotations

from typing import Any

from facilitator.kinds import StepView

from .logic import COLLECT, Board, Unit, Wall, dots_word

CANDIDATES_PER_WALL = 8
RANKING_SHOWN = 10


def phase_of(view: StepView) -> tuple[str, bool]:
    return view.state.get("phase", COLLECT), bool(view.state.get("locked"))


def labels_of(view: StepView) -> list[str]:
    return list(view.content.categories) or [""]


def _size(walls: list[Wall]) -> str:
    """How dense the walls are drawn: the fuller the fullest column, the smaller the type.

    A column's load is its notes (a theme: its title plus half a line per note), scaled by
    how many columns share the screen's width.
    """
    columns = sum(len(w.columns) for w in walls) or 1
    fullest = max(
        (
            sum(1 + len(u.notes) / 2 if u.kind == "theme" else 1 for u in units)
            for w in walls
            for _i, _label, units in w.columns
        ),
        default=0,
    )
    load = fullest * columns / 4
    return "s" if load <= 3 else "m" if load <= 6 else "l" if load <= 10 else "xl"


def projector(view: StepView, board: Board) -> dict[str, Any]:
    phase, locked = phase_of(view)
    show = view.state.get("show", "all")
    walls = [w for w in board.walls if w.group_id == show] or board.walls
    count = sum(w.notes for w in walls)
    people = view.participants
    if show != "all" and view.content.per_group:
        people = [p for p in people if p.group_id == show]
    return {
        "content": view.content,
        "board_phase": phase,
        "locked": locked,
        "labels": labels_of(view),
        "walls": walls,
        "one_wall": len(walls) == 1,
        "size": _size(walls),
        "notes_count": count,
        "dots_placed": sum(w.dots for w in walls),
        "dots_possible": len(people) * view.content.dots,
        "voters": sum(w.voters for w in walls),
        "ranked": [w.ranking[:RANKING_SHOWN] for w in walls],
        "dots_word": dots_word,
    }


def _destinations(view: StepView, wall: Wall) -> list[tuple[str, str]]:
    labels = view.content.categories
    places = [(f"c:{i}", f"Kolonne: {label}") for i, label in enumerate(labels)]
    themes = [(u.key, f"Tema: {u.title}") for u in wall.units if u.kind == "theme"]
    return places + themes


def controls(view: StepView, board: Board) -> dict[str, Any]:
    phase, locked = phase_of(view)
    walls = board.walls
    return {
        "content": view.content,
        "board_phase": phase,
        "locked": locked,
        "labels": labels_of(view),
        "walls": walls,
        "destinations": {w.group_id: _destinations(view, w) for w in walls},
        "hidden": board.hidden,
        "notes_count": sum(w.notes for w in walls),
        "dots_placed": sum(w.dots for w in walls),
        "dots_possible": len(view.participants) * view.content.dots,
        "voters": sum(w.voters for w in walls),
        "writers": len({n.owner for n in board.notes.values()}),
        "show": view.state.get("show", "all"),
        "group_names": {g.id: g.name for g in view.groups},
        "dots_word": dots_word,
    }


def _source(view: StepView, unit: Unit) -> str:
    label = "Idétavle"
    if view.content.categories:
        label += f" · {view.content.categories[unit.category]}"
    if unit.dots:
        label += f" · {unit.dots} {dots_word(unit.dots)}"
    return label


def results(view: StepView, board: Board) -> dict[str, Any]:
    """Notes (hidden ones marked), themes, dots and ranking per wall, and the plan candidates."""
    content = view.content
    labels = labels_of(view)
    names = {w.group_id: w.name for w in board.walls}
    themes = {u.key: u for u in board.units.values() if u.kind == "theme"}
    notes = []
    for note in sorted(board.notes.values(), key=lambda n: n.id):
        row = {
            "id": note.id,
            "text": note.text,
            "category": labels[note.category],
            "theme": themes[f"t:{note.theme}"].title if note.theme else "",
            "dots": note.dots,
            "hidden": note.hidden,
            "group": names.get(note.group_id, ""),
        }
        if content.named:
            row["author"] = note.name
        notes.append(row)
    walls, candidates = [], []
    for wall in board.walls:
        walls.append(
            {
                "group": wall.name,
                "group_id": wall.group_id,
                "notes": wall.notes,
                "dots": wall.dots,
                "voters": wall.voters,
                "themes": [
                    {
                        "title": u.title,
                        "category": labels[u.category],
                        "dots": u.dots,
                        "notes": [n.text for n in u.notes],
                    }
                    for u in wall.units
                    if u.kind == "theme"
                ],
                "ranking": [
                    {
                        "place": u.place,
                        "shared": u.shared,
                        "kind": u.kind,
                        "title": u.title,
                        "dots": u.dots,
                    }  # fmt: skip
                    for u in wall.ranking
                ],
            }
        )
        # The top themes and notes by dots; before any vote, the themes the room made.
        offered = list(wall.ranking)
        offered += [u for u in wall.units if u.kind == "theme" and not u.dots]
        for unit in offered[:CANDIDATES_PER_WALL]:
            candidate: dict[str, Any] = {
                "theme": unit.title,
                "source": _source(view, unit),
                "weight": unit.dots,
            }
            if content.per_group and wall.group_id is not None:
                candidate["group_id"] = wall.group_id
            candidates.append(candidate)
    return {
        "prompt": content.prompt,
        "categories": list(content.categories),
        "phase": phase_of(view)[0],
        "notes": notes,
        "walls": walls,
        "dots_placed": sum(w.dots for w in board.walls),
        "voters": sum(w.voters for w in board.walls),
        "plan_candidates": candidates,
    }
