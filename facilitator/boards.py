"""Instructor actions every table-board kind shares: lock, and what the projector shows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .kinds import Rejected


def table_board_action(
    state: Mapping[str, Any], action: str, data: Mapping[str, Any], group_ids: Iterable[int]
) -> dict[str, Any] | None:
    """The new state for lock/unlock, «page» (all tables, a page of them) or «project» (one
    table, or all again); None when the action is the kind's own."""
    if action in {"lock", "unlock"}:
        return {**state, "locked": action == "lock"}
    if action == "page":
        raw = str(data.get("page", ""))
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 4):
            raise Rejected("Ugyldig side.")
        return {**state, "show": "all", "page": int(raw)}
    if action == "project":
        raw = str(data.get("group", "all"))
        if raw == "all":
            return {**state, "show": "all"}
        if raw.isascii() and raw.isdigit() and len(raw) <= 10 and int(raw) in set(group_ids):
            return {**state, "show": int(raw)}
        raise Rejected("Det bord findes ikke.")
    return None
