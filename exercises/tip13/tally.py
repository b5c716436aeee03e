"""What the whole room's coupons add up to: progress, the revealed row, scoreboard, topics.

One Tally per render is shared by every phone of that render (it does not depend on who looks).
"""

from __future__ import annotations

import contextlib
from functools import cached_property
from typing import Any

from facilitator.kinds import StepView

from .logic import (
    ANSWERS,
    GROUP,
    LOCKED,
    coupon_of,
    distribution,
    first_phase,
    ranked,
    reveal_stamp,
    score,
    to_repeat,
    wrong_rows,
)

# The projector lists people (individual mode) down to this place; groups are all listed.
PROJECTOR_PEOPLE_PLACES = 5


def _coupons(view: StepView, prefix: str) -> dict[int, dict[int, str]]:
    out = {}
    for owner, responses in view.by_owner.items():
        if owner.startswith(prefix) and owner[2:].isdigit():
            coupon = coupon_of(responses)
            if coupon:
                out[int(owner[2:])] = coupon
    return out


class Tally:
    """The step as the room sees it. What needs every answer is computed on first use only,
    so a phone that just saved a row reads its own and its group's coupon, not the room's."""

    def __init__(self, view: StepView, every_row: bool = False) -> None:
        content, state = view.content, view.state
        self._view = view
        self.rows = content.rows
        self.n = len(self.rows)
        self.mode = content.mode
        self.warning = content.warning
        self.phase = state.get("phase") or first_phase(content)
        self.locked = self.phase == LOCKED
        revealed = min(max(int(state.get("revealed") or 0), 0), self.n)
        self.revealed = self.n if every_row else revealed
        self.board = every_row or (bool(state.get("board")) and revealed == self.n)
        self.stamp = reveal_stamp(revealed, state)
        self.groups = list(view.groups)
        self.grouped = bool(state.get("grouped")) or self.phase == GROUP
        # Groups score (and are ranked) once their coupons were opened; else each person does.
        self.group_play = self.mode != "individual" and bool(self.groups) and self.grouped
        # Everyone fills in their own coupon now (also "group" mode in a room without groups).
        self.alone = not self.locked and not (self.phase == GROUP and bool(self.groups))
        self.shown = self.rows[: self.revealed]
        self.current = self.rows[revealed - 1] if revealed and not self.board else None

    # ---- the whole room, on first use -------------------------------------------------------

    @cached_property
    def participants(self) -> list[Any]:
        return list(self._view.participants)

    @cached_property
    def mine(self) -> dict[int, dict[int, str]]:
        """Every person's own coupon (a removed person's is left out)."""
        people = {p.id for p in self.participants}
        return {k: c for k, c in _coupons(self._view, "p:").items() if k in people}

    @cached_property
    def ours(self) -> dict[int, dict[int, str]]:
        """Every group's coupon (a removed group's is left out)."""
        tables = {g.id for g in self.groups}
        return {k: c for k, c in _coupons(self._view, "g:").items() if k in tables}

    @cached_property
    def board_entries(self) -> list[dict[str, Any]]:
        if not self.board:
            return []
        if self.group_play:
            entries = [
                (("g", g.id), g.name, score(self.ours.get(g.id, {}), self.shown))
                for g in self.groups
            ]
        else:
            entries = [
                (("p", p.id), p.name, score(self.mine[p.id], self.shown))
                for p in self.participants
                if p.id in self.mine
            ]
        return ranked(entries)

    @cached_property
    def _by_key(self) -> dict[Any, dict[str, Any]]:
        return {e["key"]: e for e in self.board_entries}

    def entry(self, key: tuple[str, int | None]) -> dict[str, Any] | None:
        return self._by_key.get(key)

    def coupons_of(self, view: StepView) -> tuple[dict[int, str], dict[int, str]]:
        """The viewing participant's own coupon and their group's: from the room's coupons if
        they are loaded already, else by reading only those two owners' rows."""
        p = view.participant
        if p is None:
            return {}, {}
        gid = p.group_id
        if "mine" in self.__dict__:
            return self.mine.get(p.id, {}), self.ours.get(gid, {}) if gid else {}
        return coupon_of(view.own()), coupon_of(view.of_group(gid)) if gid else {}

    @property
    def projector_board(self) -> list[dict[str, Any]]:
        """All groups; people only down to a few places (nobody is shown at the bottom)."""
        if self.group_play:
            return self.board_entries
        return [e for e in self.board_entries if e["place"] <= PROJECTOR_PEOPLE_PLACES]

    @property
    def basis(self) -> list[dict[int, str]]:
        """The coupons that say what the room knows: each person's, or in group mode the groups'."""
        if self.group_play and self.mode == "group":
            return list(self.ours.values())
        return list(self.mine.values())

    def progress(self) -> dict[str, Any]:
        """How far the room is: complete coupons, per group rows filled (never who, on screen)."""
        done = [p for p in self.participants if len(self.mine.get(p.id, {})) == self.n]
        groups = [
            {
                "name": g.name,
                "filled": len(self.ours.get(g.id, {})),
                "done": len(self.ours.get(g.id, {})) == self.n,
                "members": sum(1 for p in self.participants if p.group_id == g.id),
                "members_done": sum(1 for p in done if p.group_id == g.id),
            }
            for g in self.groups
        ]
        missing = [p.name for p in self.participants if len(self.mine.get(p.id, {})) < self.n]
        return {
            "done": len(done),
            "total": len(self.participants),
            "groups": groups,
            "groups_done": sum(1 for g in groups if g["done"]),
            "missing": missing,
        }

    def current_row(self, min_anonymous: int) -> dict[str, Any] | None:
        """The row being revealed, with how the room answered it."""
        row = self.current
        if row is None:
            return None
        people = distribution(self.mine.values(), row.number)
        people_total = sum(people.values())
        people_shown = self.mode != "group" and people_total >= min_anonymous
        groups = distribution(self.ours.values(), row.number) if self.group_play else None
        top_people = max(people.values()) or 1
        top_groups = (max(groups.values()) or 1) if groups else 1
        options = [
            {
                "answer": a,
                "label": row.label(a),
                "right": a == row.answer,
                "people": people[a],
                "people_height": people[a] / top_people,
                "groups": groups[a] if groups else None,
                "groups_width": (groups[a] / top_groups) if groups else 0,
            }
            for a in ANSWERS
        ]
        hit = [g.name for g in self.groups if self.ours.get(g.id, {}).get(row.number) == row.answer]
        return {
            "row": row,
            "options": options,
            "people_total": people_total,
            "people_shown": people_shown,
            "people_counted": self.mode != "group",
            "min_answers": min_anonymous,
            "groups_total": sum(groups.values()) if groups else 0,
            "group_hits": hit if self.group_play else [],
        }

    def repeat(self, min_anonymous: int) -> list[dict[str, Any]]:
        """'Emner at tage op igen': the revealed rows most got wrong."""
        basis = self.basis
        numbers = len(basis) >= min_anonymous or (self.group_play and self.mode == "group")
        return [
            {**s, "percent": round(100 * s["share"]), "numbers": numbers}
            for s in to_repeat(wrong_rows(basis, self.shown))
        ]

    def results(self, min_anonymous: int) -> dict[str, Any]:
        """For export: every row, the scoreboard over all rows, and the topics to repeat."""
        stats = {s["row"].number: s for s in wrong_rows(self.basis, self.rows)}
        enough = len(self.basis) >= min_anonymous or (self.group_play and self.mode == "group")
        rows = []
        for row in self.rows:
            people = distribution(self.mine.values(), row.number)
            entry: dict[str, Any] = {
                "row": row.number,
                "text": row.text,
                "answer": f"{row.answer} ({row.label(row.answer)})",
                "reference": row.reference,
                "answers": people if sum(people.values()) >= min_anonymous else None,
            }
            if self.group_play:
                entry["group_answers"] = distribution(self.ours.values(), row.number)
            s = stats[row.number]
            entry["wrong_percent"] = round(100 * s["share"]) if enough and s["answered"] else None
            rows.append(entry)
        board = [
            {"place": e["place"], "shared": e["shared"], "name": e["name"], "score": e["score"]}
            for e in self.board_entries
        ]
        result: dict[str, Any] = {
            "mode": self.mode,
            "row_count": self.n,
            "locked": self.locked,
            "coupons": len(self.mine),
            "rows": rows,
        }
        repeat = to_repeat(list(stats.values()))
        result["repeat"] = [{"row": s["row"].number, "text": s["row"].text} for s in repeat]
        # The topics to repeat may go on to the action plan (anonymous: rows, never names).
        result["plan_candidates"] = [
            {
                "theme": s["row"].text,
                "activity": "Tag emnet op igen i MED-udvalget"
                + (f" ({s['row'].reference})" if s["row"].reference else ""),
                "source": "Tip en 13'er",
                "weight": round(100 * s["share"]),
            }
            for s in repeat
        ]
        if self.warning:
            result["warning"] = self.warning
        if self.group_play:
            result["groups"] = board
            own = [score(c, self.rows) for c in self.mine.values()]
            if own and self.mode != "group" and len(own) >= min_anonymous:
                result["own_coupons_average"] = round(sum(own) / len(own), 1)
        else:
            result["participants"] = board
        return result


def tally(view: StepView, every_row: bool = False) -> Tally:
    """The room's tally, made once per render and shared by every phone it renders.

    Views made for the phones of one render share their step and their `now`.
    """
    if every_row:
        return Tally(view, every_row=True)
    cached = getattr(view.step, "_tip13_tally", None)
    if cached is not None and cached[0] == view.now and cached[1] == view.state:
        return cached[2]
    result = Tally(view)
    with contextlib.suppress(AttributeError):  # a step that takes no attributes: no cache
        view.step._tip13_tally = (view.now, dict(view.state), result)
    return result
