"""A table's agenda as pure functions: the content, the items in priority order, the totals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import Rejected, int_field, lines_field, text_field

ITEM = "item:"  # + the item's number at its table: one group-scoped row per agenda item
ORDER = "order"  # the table's priority order: {"ids": [item numbers]}
TYPES = {
    "information": "Information",
    "droeftelse": "Drøftelse",
    "beslutning": "Beslutning",
}
TITLE_MAX = 120
NOTE_MAX = 1000
# The projector in lines of its type (1.9vw based, so 1920x1080 and 1280x720 alike): two
# tables side by side at 1.1em, or one at 1.45em; a row is its title's lines plus its type.
ALL_CHARS, ONE_CHARS = 20, 45
ALL_LINES, ONE_LINES = 13.0, 8.5


@dataclass(frozen=True)
class AgendaContent:
    meeting: str = text_field(
        "Mødet", required=True, max_len=200, help="Fx «Et MED-møde på to timer»."
    )
    minutes: int = int_field(
        "Mødets længde i minutter", default=120, low=15, high=480, help="Standard: 120."
    )
    task: str = text_field(
        "Opgaven", area=True, max_len=1500, help="Det, bordene skal gøre. Vises på telefonerne."
    )
    suggestions: list[str] = lines_field(
        "Forslag til punkter",
        max_items=30,
        max_len=TITLE_MAX,
        help="Én pr. linje. Bordene kan vælge dem, når de skriver et punkt.",
    )
    max_items: int = int_field(
        "Højst punkter pr. bord", default=12, low=1, high=30, help="Standard: 12."
    )


@dataclass(frozen=True)
class Item:
    """One agenda item of a table; `number` is its stable slot, `position` its priority."""

    number: int
    title: str
    type: str
    minutes: int
    note: str
    position: int = 0

    @property
    def type_label(self) -> str:
        return TYPES.get(self.type, self.type)


def clean_item(data: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of a saved item, checked, or Rejected with a Danish reason."""
    title = " ".join(str(data.get("title", "")).split())
    if not title:
        raise Rejected("Skriv punktets overskrift.")
    if len(title) > TITLE_MAX:
        raise Rejected(f"Overskriften er for lang: højst {TITLE_MAX} tegn.")
    kind = str(data.get("type", ""))
    if kind not in TYPES:
        raise Rejected("Vælg, om punktet er til information, drøftelse eller beslutning.")
    raw = str(data.get("minutes", "")).strip()
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 480):
        raise Rejected("Skriv, hvor mange minutter punktet skal have (1 til 480).")
    note = "\n".join(
        s.rstrip() for s in str(data.get("note", "")).replace("\r\n", "\n").split("\n")
    )
    if len(note.strip()) > NOTE_MAX:
        raise Rejected(f"Noten er for lang: højst {NOTE_MAX} tegn.")
    return {"title": title, "type": kind, "minutes": int(raw), "note": note.strip()}


def agenda(rows: Iterable[Any]) -> tuple[list[Item], int]:
    """A table's live items in priority order, and the highest item number it has used."""
    items: dict[int, Item] = {}
    order: list[int] = []
    used = 0
    for r in rows:
        p = r.payload or {}
        if r.slot == ORDER:
            order = [int(n) for n in p.get("ids", []) if isinstance(n, int)]
        elif r.slot.startswith(ITEM) and r.slot[len(ITEM) :].isdigit():
            number = int(r.slot[len(ITEM) :])
            used = max(used, number)
            if not p.get("deleted"):
                items[number] = Item(
                    number, str(p.get("title", "")), str(p.get("type", "")),
                    int(p.get("minutes", 0)), str(p.get("note", "")),
                )  # fmt: skip
    # Items missing from the order (new ones) come last, in the order they were written.
    ranked = [n for n in order if n in items] + sorted(n for n in items if n not in order)
    return [_at(items[n], i + 1) for i, n in enumerate(ranked)], used


def _at(item: Item, position: int) -> Item:
    return Item(item.number, item.title, item.type, item.minutes, item.note, position)


def moved(items: list[Item], number: int, step: int) -> list[int]:
    """The order with one item moved a place up (-1) or down (+1)."""
    numbers = [i.number for i in items]
    if number not in numbers:
        raise Rejected("Punktet findes ikke længere.")
    at = numbers.index(number)
    to = min(max(at + step, 0), len(numbers) - 1)
    numbers.insert(to, numbers.pop(at))
    return numbers


def totals(items: list[Item], minutes: int) -> dict[str, Any]:
    """The time the agenda takes against the meeting's length, in words for the screens."""
    used = sum(i.minutes for i in items)
    left = minutes - used
    if left > 0:
        words = f"{left} min til overs"
    elif left == 0:
        words = "præcis tiden"
    else:
        words = f"{-left} min for meget"
    return {"used": used, "of": minutes, "left": left, "over": left < 0, "words": words}


def fit(items: list[Item], width: int, lines: float) -> int:
    """How many items fit in a table's column on the projector without cutting a title.

    When some are left over, one line is kept free for "+ K punkter mere".
    """

    def count(budget: float) -> int:
        used, shown = 0.0, 0
        for item in items:
            used += -(-len(item.title) // width) + 1.1  # the type line and the row's padding
            if used > budget:
                break
            shown += 1
        return shown

    shown = count(lines)
    return shown if shown == len(items) else count(lines - 1)
