"""Ordet rundt på tid: the instructor rearranges a table's order, before or during a round."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from facilitator.kinds import Rejected, StepView
from facilitator.validation import as_int

from . import logic

STEPS = {"up": -1, "down": 1}


def ready_orders(view: StepView) -> dict[str, list[int]]:
    """Before the start: each table's order as it will start (join order unless arranged)."""
    wanted = view.state.get("arranged") or {}
    return {
        key: logic.arranged([p.id for p in m], wanted.get(key, []))
        for key, _name, m in view.tables(view.content.plenum)
    }


def move(
    view: StepView,
    data: Mapping[str, Any],
    rounds: Callable[[StepView], list[logic.GroupRound]],
) -> dict[str, Any]:
    """The new state with one person a place up or down in their table's order."""
    state, key = view.state, str(data.get("group", ""))
    pid, step = as_int(data.get("pid")), STEPS.get(str(data.get("dir")))
    if pid is None or step is None:
        raise Rejected("Ukendt flytning.")
    if state.get("phase") != "running":
        orders = ready_orders(view)
        if key not in orders:
            raise Rejected("Bordet findes ikke.")
        moved = logic.move(orders[key], pid, step, 0)
        if moved is None:
            raise Rejected("Personen kan ikke flyttes længere den vej.")
        # Kept apart from the round itself: the start (and a restart) uses it as the order.
        return {**state, "arranged": {**(state.get("arranged") or {}), key: moved}}
    if state.get("stopped"):
        raise Rejected("Runden er stoppet. Start forfra for at ændre rækkefølgen.")
    group = next((g for g in rounds(view) if g.key == key), None)
    if group is None:
        raise Rejected("Bordet findes ikke i denne runde.")
    # Those who have spoken, and the speaker, keep their place: their times are history.
    moved = logic.move([t.pid for t in group.turns], pid, step, logic.movable_from(group))
    if moved is None:
        raise Rejected("Kun dem, der endnu ikke har talt, kan flyttes.")
    groups = [{**g, "order": moved} if g["key"] == key else g for g in state.get("groups", [])]
    return {**state, "groups": groups}
