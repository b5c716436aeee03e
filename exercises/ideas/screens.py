"""What each screen of the idea board shows, and the step's results, read from the board."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.kinds import StepView
from facilitator.validation import as_int

from .logic import COLLECT, REVEAL, SORT, VOTE, Board, Unit, Wall, dots_word

CANDIDATES_PER_WALL = 8
RANKING_SHOWN = 10


def _phase(view: StepView) -> tuple[str, bool]:
    return view.state.get("phase", COLLECT), bool(view.state.get("locked"))


def _labels(view: StepView) -> list[str]:
    return list(view.content.categories) or [""]


def phone(view: StepView, board: Board) -> dict[str, Any]:
    content, p = view.content, view.participant
    phase, locked = _phase(view)
    ctx: dict[str, Any] = {"content": content, "board_phase": phase, "locked": locked}
    ctx["labels"] = _labels(view)
    if p is None:
        return ctx
    if phase in {COLLECT, SORT}:
        mine = [n for n in board.by_owner.get(p.id, ()) if not n.hidden]
        ctx.update(
            mine=mine,
            next_slot=board.next_slot.get(p.id, 1),
            can_add=phase == COLLECT and not locked and len(mine) < content.max_notes,
            full=len(mine) >= content.max_notes,
            editable=not locked,
        )
        return ctx
    wall = board.wall_of(p.group_id if content.per_group else None) or Wall(None, "")
    spent = board.spent.get(p.id, {})
    left = content.dots - sum(spent.values())
    open_vote = phase == VOTE and not locked
    mine_by_unit = _mine_by_unit(board, spent)
    columns = []
    for _index, label, units in wall.columns:
        cards = [_card(content, unit, spent, mine_by_unit, left, open_vote) for unit in units]
        if cards:
            columns.append((label, cards))
    ctx.update(
        wall=wall,
        columns=columns,
        left=left,
        open_vote=open_vote,
        dots_word=dots_word,
        ranking=wall.ranking[:RANKING_SHOWN] if phase == REVEAL else [],
        my_dots={key: sum(c for _t, c in on) for key, on in mine_by_unit.items()},
        cached=_card_cache(view),
    )
    return ctx


def patch(view: StepView, board: Board, data: Mapping[str, Any]) -> dict[str, Any] | None:
    """The phone's context for a patch after its own dot: the dotted card and the dots left.

    None (the whole screen) unless voting is open and the voter's other + buttons stay as
    they were: they flip when the last dot is spent or the first one comes back.
    """
    if view.participant is None or _phase(view) != (VOTE, False) or data.get("op") != "dot":
        return None
    unit = board.unit_of(str(data.get("target", "")))
    count, was = as_int(data.get("count"), 0), as_int(data.get("was"), 0)
    if unit is None or count is None or was is None:
        return None
    if view.content.per_group and unit.group_id != view.participant.group_id:
        return None  # not on the voter's wall
    spent = board.spent.get(view.participant.id, {})
    left = view.content.dots - sum(spent.values())
    if (left + count - was == 0) != (left == 0):
        return None
    card = _card(view.content, unit, spent, _mine_by_unit(board, spent), left, True)
    base = {"content": view.content, "board_phase": VOTE, "open_vote": True, "left": left}
    return {**base, "card": card, "dots_word": dots_word}


def _card(
    content: Any,
    unit: Unit,
    spent: dict[str, int],
    mine_by_unit: dict[str, list[tuple[str, int]]],
    left: int,
    open_vote: bool,
) -> dict[str, Any]:
    """One card of the vote wall as a voter sees it: their dots on it and its buttons."""
    on = mine_by_unit.get(unit.key, [])
    my = sum(c for _t, c in on)
    own = spent.get(unit.key, 0)
    plus = open_vote and left > 0 and my < content.max_per_item
    card = {
        "unit": unit,
        "my": my,
        # "was": the count the tap starts from, so the reply knows whether the voter's dots
        # ran out or came back (every other + flips) or only this card changed.
        "plus": {"op": "dot", "target": unit.key, "count": own + 1, "was": own} if plus else None,
        "minus": {"op": "dot", "target": on[0][0], "count": on[0][1] - 1, "was": on[0][1]}
        if open_vote and on
        else None,
    }
    # Everything the card shows besides the screen-wide values and the unit itself.
    card["memo"] = (unit.key, my, _dot_key(card["plus"]), _dot_key(card["minus"]))
    return card


def _mine_by_unit(board: Board, spent: dict[str, int]) -> dict[str, list[tuple[str, int]]]:
    """A participant's counted dots per unit, as mine_on gives them, in one pass over the dots.

    mine_on per card looked at every dot of the voter for each of the wall's cards.
    """
    found: dict[str, list[tuple[str, int]]] = {}
    for target, count in spent.items():
        unit = board.unit_of(target)
        if unit is not None:
            found.setdefault(unit.key, []).append((target, count))
    return {key: sorted(on, key=lambda tc: tc[0] != key) for key, on in found.items()}


def _dot_key(dot: dict[str, Any] | None) -> tuple[str, int] | None:
    return (dot["target"], dot["count"]) if dot else None


def _card_cache(view: StepView) -> Any:
    """A Jinja call-block helper: a card's HTML drawn once per board for every phone.

    The memo lives with the board (view.derived), so it holds as long as the units do: one
    burst of answers, or one push. Without it each voter's reply drew every card on the wall.
    """
    memo: dict[Any, Any] = view.derived("ideas-cards", dict)

    def cached(key: Any, caller: Any) -> Any:
        if key not in memo:
            memo[key] = caller()
        return memo[key]

    return cached


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
    phase, locked = _phase(view)
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
        "labels": _labels(view),
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
    phase, locked = _phase(view)
    walls = board.walls
    return {
        "content": view.content,
        "board_phase": phase,
        "locked": locked,
        "labels": _labels(view),
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
    labels = _labels(view)
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
        "phase": _phase(view)[0],
        "notes": notes,
        "walls": walls,
        "dots_placed": sum(w.dots for w in board.walls),
        "voters": sum(w.voters for w in board.walls),
        "plan_candidates": candidates,
    }
