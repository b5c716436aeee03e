"""The instructor's actions on the idea board, pure: each returns a new state, never mutates.

Notes are referred to as "n:<id>", themes as "t:<id>". A theme merged into another keeps its
id with "into" (dots on it follow), a dissolved one is marked "gone" (its notes come loose).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.kinds import Rejected
from facilitator.validation import as_int

from .logic import PHASES, Board, Note, resolve

THEME_TITLE_MAX = 120


def apply(content: Any, state: Mapping[str, Any], board: Board, action: str, data: Any) -> dict:
    """The state after `action`, or Rejected with a Danish reason."""
    if action in PHASES:
        return {**state, "phase": action}
    if action in {"lock", "unlock"}:
        return {**state, "locked": action == "lock"}
    if action == "project":
        group = as_int(data.get("group"), 0)
        return {**state, "show": "all" if group is None else group}
    if action == "merge":
        items = [_item(board, raw) for raw in _many(data, "items")]
        return merge(content, state, board, items, str(data.get("title", "")))
    item = _item(board, str(data.get("item", "")))
    if action == "move":
        return move(content, state, board, item, str(data.get("to", "")))
    if action == "edit":
        return edit(content, state, item, str(data.get("text", "")))
    if action in {"hide", "unhide"}:
        if not isinstance(item, Note):
            raise Rejected("Kun sedler kan skjules. Et tema kan opløses.")
        return _note(state, item, hidden=True if action == "hide" else None)
    if action == "dissolve":
        if isinstance(item, Note):
            raise Rejected("Vælg et tema at opløse.")
        return _theme(state, item, gone=True)
    raise Rejected("Ukendt handling.")


def _many(data: Any, key: str) -> list[str]:
    values = data.getlist(key) if hasattr(data, "getlist") else data.get(key, [])
    if isinstance(values, str):
        values = values.split(",")
    return [str(v).strip() for v in values if str(v).strip()]


def _item(board: Board, raw: str) -> Note | int:
    """A note (also a hidden one), or a theme's id after merges."""
    kind, _, raw_number = raw.partition(":")
    number = as_int(raw_number, 0)
    if number is not None and kind == "n" and number in board.notes:
        return board.notes[number]
    if number is not None and kind == "t":
        tid = resolve(board.themes, number)
        if tid is not None:
            return tid
    raise Rejected("Den seddel eller det tema findes ikke længere.")


def _note(state: Mapping[str, Any], note: Note, **changes: Any) -> dict:
    notes = dict(state.get("notes") or {})
    changed = {**(notes.get(str(note.id)) or {}), **changes}
    notes[str(note.id)] = {k: v for k, v in changed.items() if v is not None}
    return {**state, "notes": notes}


def _theme(state: Mapping[str, Any], tid: int, **changes: Any) -> dict:
    themes = dict(state.get("themes") or {})
    themes[str(tid)] = {**(themes.get(str(tid)) or {}), **changes}
    return {**state, "themes": themes}


def _group(board: Board, item: Note | int) -> int | None:
    return item.group_id if isinstance(item, Note) else board.units[f"t:{item}"].group_id


def _category(board: Board, item: Note | int) -> int:
    return item.category if isinstance(item, Note) else board.units[f"t:{item}"].category


def new_theme(
    content: Any, state: Mapping[str, Any], title: str, category: int, group: int | None
) -> tuple[dict, int]:
    """A new, empty theme; ids are never reused, so old dots never land on a new theme."""
    tid = int(state.get("next_theme") or 1)
    title = _title(title)
    state = {**state, "next_theme": tid + 1}
    return _theme(state, tid, title=title, category=category, group=group), tid


def _title(raw: str) -> str:
    title = " ".join(raw.split())
    if not title:
        raise Rejected("Giv temaet en titel.")
    if len(title) > THEME_TITLE_MAX:
        raise Rejected(f"Titlen er for lang: højst {THEME_TITLE_MAX} tegn.")
    return title


def _join(state: dict, item: Note | int, tid: int) -> dict:
    if isinstance(item, Note):
        return _note(state, item, theme=tid)
    if item == tid:
        return state
    return _theme(state, item, into=tid)


def merge(content: Any, state: Mapping[str, Any], board: Board, items: list, title: str) -> dict:
    """Gather notes (and themes) into one theme: the first chosen theme, or a new one."""
    if len(items) < 1:
        raise Rejected("Vælg de sedler, der skal samles i et tema.")
    if content.per_group and len({_group(board, i) for i in items}) > 1:
        raise Rejected("Sedler fra forskellige gruppers tavler kan ikke samles i ét tema.")
    target = next((i for i in items if not isinstance(i, Note)), None)
    new = dict(state)
    if target is None:
        first = items[0]
        name = title or first.text[:THEME_TITLE_MAX]
        new, target = new_theme(content, new, name, _category(board, first), _group(board, first))
    elif title.strip():
        new = _theme(new, target, title=_title(title))
    for item in items:
        new = _join(new, item, target)
    return new


def move(content: Any, state: Mapping[str, Any], board: Board, item: Note | int, to: str) -> dict:
    """Move a note or theme: to a category ("c:<n>"), into a theme ("t:<id>"), "new", "out"."""
    kind, _, raw = to.partition(":")
    number = as_int(raw, 0)
    if kind == "c" and number is not None and number < max(1, len(content.categories)):
        category = number
        if isinstance(item, Note):
            return _note(state, item, theme=None, category=category, cat_rev=item.rev)
        return _theme(state, item, category=category)
    if to == "out":
        return _note(state, item, theme=None) if isinstance(item, Note) else dict(state)
    if to == "new":
        return merge(content, state, board, [item], "")
    if kind == "t":
        return merge(content, state, board, [_item(board, to), item], "")
    raise Rejected("Vælg, hvor den skal hen.")


def edit(content: Any, state: Mapping[str, Any], item: Note | int, raw: str) -> dict:
    """Correct a note's typo, or rename a theme."""
    if not isinstance(item, Note):
        return _theme(state, item, title=_title(raw))
    text = " ".join(raw.split())
    if not text:
        raise Rejected("Sedlen kan ikke være tom. Skjul den i stedet.")
    if len(text) > content.max_chars:
        raise Rejected(f"Sedlen er for lang: højst {content.max_chars} tegn.")
    if text == item.written:
        return _note(state, item, text=None, text_rev=None)
    return _note(state, item, text=text, text_rev=item.rev)
