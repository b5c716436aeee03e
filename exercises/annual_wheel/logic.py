"""A table's årshjul as pure functions: the content, its items placed on months or quarters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from facilitator.kinds import (
    Rejected,
    choice_field,
    field_error,
    int_field,
    lines_field,
    text_field,
)

ITEM = "item:"  # + the item's number at its table: one group-scoped row per item
# The projector's year: a row per period, a column per table. The characters a cell holds
# (1.9vw-based type, so 1920x1080 and 1280x720 alike): one line of a month, three of a quarter.
# By the number of tables side by side, with room left for "+ K". Three tables: measured in
# the room-of-30 screenshots (a line held 31 characters; 20 showed "1 punkt" needlessly).
ROW_CHARS = {1: 64, 2: 32, 3: 28}
MONTHS = (
    "Januar", "Februar", "Marts", "April", "Maj", "Juni",
    "Juli", "August", "September", "Oktober", "November", "December",
)  # fmt: skip
# The lines the twelve month rows may take together above the QR badge: a month where a
# table's first title does not fit on one line gets a second while these last.
MONTH_LINES = {False: 21, True: 16}  # by "one table shown big" (larger type)
QUARTERS = ("1. kvartal", "2. kvartal", "3. kvartal", "4. kvartal")
TITLE_MAX = 100
NOTE_MAX = 500


@dataclass(frozen=True)
class WheelContent:
    task: str = text_field(
        "Opgaven", area=True, max_len=1500, help="Det, bordene skal drøfte. Vises på telefonerne."
    )
    unit: str = choice_field(
        "Inddeling", (("month", "Måneder"), ("quarter", "Kvartaler")), default="month"
    )
    suggestions: list[str] = lines_field(
        "Forslag til punkter",
        max_items=30,
        max_len=TITLE_MAX,
        help="Én pr. linje, fx APV, budget, arbejdsskader. Bordene kan vælge dem.",
    )
    max_items: int = int_field(
        "Højst punkter pr. bord", default=24, low=1, high=40, help="Standard: 24."
    )
    # 0 (or left out): the year after the workshop's date, which is what a committee plans.
    year: int = int_field(
        "År", default=0, low=0, high=2100, help="Bruges i kalenderfilen. 0 eller tom: næste år."
    )

    def checked(self) -> WheelContent:
        """A year the calendar can use: 0 for next year, or a real one."""
        if 0 < self.year < 2020:
            raise field_error(
                WheelContent, "year", "skal være 0 (næste år) eller fra 2020 til 2100."
            )
        return self

    @property
    def periods(self) -> tuple[str, ...]:
        return MONTHS if self.unit == "month" else QUARTERS


@dataclass(frozen=True)
class Item:
    """One item on a table's wheel; `period` counts from 1 (January or the first quarter)."""

    number: int
    title: str
    period: int
    note: str


def clean_item(content: WheelContent, data: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of a saved item, checked, or Rejected with a Danish reason."""
    title = " ".join(str(data.get("title", "")).split())
    if not title:
        raise Rejected("Skriv, hvad der skal ske.")
    if len(title) > TITLE_MAX:
        raise Rejected(f"Punktet er for langt: højst {TITLE_MAX} tegn.")
    raw = str(data.get("period", ""))
    if not (raw.isascii() and raw.isdigit() and 1 <= int(raw) <= len(content.periods)):
        raise Rejected("Vælg en måned." if content.unit == "month" else "Vælg et kvartal.")
    note = " ".join(str(data.get("note", "")).split())
    if len(note) > NOTE_MAX:
        raise Rejected(f"Noten er for lang: højst {NOTE_MAX} tegn.")
    return {"title": title, "period": int(raw), "note": note}


def wheel(rows: Iterable[Any], periods: int) -> tuple[list[Item], int]:
    """A table's live items by period (then as written), and the highest number it used."""
    items: list[Item] = []
    used = 0
    for r in rows:
        number = r.slot[len(ITEM) :] if r.slot.startswith(ITEM) else ""
        if not number.isdigit():
            continue
        used = max(used, int(number))
        p = r.payload or {}
        period = int(p.get("period", 0) or 0)
        if not p.get("deleted") and 1 <= period <= periods:
            items.append(Item(int(number), str(p.get("title", "")), period, str(p.get("note", ""))))
    return sorted(items, key=lambda i: (i.period, i.number)), used


def by_period(items: list[Item], names: tuple[str, ...]) -> list[dict[str, Any]]:
    """One cell per period (name, its items), for the phone's month-by-month list."""
    return [
        {"index": n, "name": name, "items": [i for i in items if i.period == n]}
        for n, name in enumerate(names, start=1)
    ]


def fitted(items: list[Item], chars: int) -> tuple[list[str], int]:
    """The titles of one period that fit in `chars` characters (joined by commas), in order,
    and how many are left over for "+ K"; a title is never cut."""
    shown: list[str] = []
    used = 0
    for item in items:
        cost = len(item.title) + (2 if shown else 0)
        if used + cost > chars:
            break
        shown.append(item.title)
        used += cost
    return shown, len(items) - len(shown)


def year_rows(
    periods: list[str], cells: list[list[list[Item]]], chars: int, lines: int | None
) -> list[dict[str, Any]]:
    """The projector's rows: per period, each table's fitted titles and "+ K".

    `cells[period][table]` holds the items. With a line budget (months), a row where a table
    would show no title at all ("1 punkt") gets a second line, in the year's order, while the
    budget lasts: a long Danish title is read, not counted, wherever the screen has room.
    """
    extra = (lines - len(periods)) if lines is not None else 0
    rows = []
    for name, row in zip(periods, cells, strict=True):
        fitted_row = [fitted(items, chars) for items in row]
        if extra > 0 and any(more and not titles for titles, more in fitted_row):
            # Two lines hold a little less than twice one: a long word moves whole to the next.
            fitted_row = [fitted(items, 2 * chars - 6) for items in row]
            extra -= 1
        rows.append({"name": name, "cells": fitted_row})
    return rows
