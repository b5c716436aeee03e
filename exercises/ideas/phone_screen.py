"""The idea board on a participant's phone: their own notes, then the vote wall.

Each card of the wall is drawn once per board for every phone (the memo in `_card_cache`), and
a voter's own dot is answered with a patch of that card alone where the rest stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.kinds import StepView
from facilitator.validation import as_int

from .logic import COLLECT, REVEAL, SORT, VOTE, Board, Unit, Wall, dots_word
from .screens import RANKING_SHOWN, labels_of, phase_of


def phone(view: StepView, board: Board) -> dict[str, Any]:
    content, p = view.content, view.participant
    phase, locked = phase_of(view)
    ctx: dict[str, Any] = {"content": content, "board_phase": phase, "locked": locked}
    ctx["labels"] = labels_of(view)
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
    if view.participant is None or phase_of(view) != (VOTE, False) or data.get("op") != "dot":
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
