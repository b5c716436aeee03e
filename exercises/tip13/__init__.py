"""Tip en 13'er: a coupon of 1/X/2 rows, filled in alone and then per group, revealed row by row.

State: phase ("individual" | "group" | "locked"), reopen (the phase `unlock` returns to),
grouped (the group coupons were opened), revealed (rows shown so far), board (scoreboard shown).
Answers are Response rows in slot "row:<n>": per participant, or per group (scope="group").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from facilitator.kinds import ExerciseKind, ExportRow, Rejected, Screen, StepView, Submission

from .logic import (
    ANSWERS,
    GROUP,
    LOCKED,
    Coupon,
    first_phase,
    normalise_answer,
    reveal_stamp,
    score,
)
from .tally import Tally, tally


class Tip13(ExerciseKind[Coupon]):
    name = "tip13"
    title = "Tip en 13'er"
    description = (
        "En kupon med 13 udsagn, der besvares 1, X eller 2: først alene, så i gruppen. "
        "Facit vises række for række med forklaring."
    )
    main_field = "rows"
    example = {
        "labels": ["Rigtigt", "Det afhænger af", "Forkert"],
        "rows": [
            {
                "text": "Informationspligten i MED gælder begge veje.",
                "answer": "1",
                "explanation": "Både ledelse og medarbejderrepræsentanter skal informere.",
                "reference": "Lokalaftalen § 8, stk. 1",
            }
        ],
    }
    Content = Coupon

    def initial_state(self, content: Coupon) -> dict[str, Any]:
        phase = first_phase(content)
        return {"phase": phase, "grouped": phase == GROUP, "revealed": 0, "board": False}

    # ---- the instructor ----------------------------------------------------------------------

    def apply(self, view: StepView, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        state = {**self.initial_state(view.content), **view.state}
        n = len(view.content.rows)
        revealed = min(max(int(state.get("revealed") or 0), 0), n)
        phase = state["phase"]
        locked = {**state, "phase": LOCKED, "reopen": state.get("reopen") or phase}
        if phase != LOCKED:
            locked["reopen"] = phase
        at = str(data.get("at", "")).strip()
        if action in {"reveal_next", "reveal_prev"} and at and at != reveal_stamp(revealed, state):
            return state  # a double press or a co-teacher's press: that row is already shown
        if action == "to_group":
            if view.content.mode != "individual_then_group":
                raise Rejected("Denne kupon udfyldes ikke i grupperne bagefter.")
            if not view.groups:
                raise Rejected("Workshoppen har ingen grupper, så der er ingen gruppekupon.")
            if revealed or state["board"]:
                raise Rejected("Facit er allerede vist. Skjul det først.")
            return {**state, "phase": GROUP, "grouped": True}
        if action == "lock":
            return locked
        if action == "unlock":
            if revealed or state["board"]:
                raise Rejected("Skjul facit først, ellers kan man rette efter facit.")
            return {**state, "phase": state.get("reopen") or first_phase(view.content)}
        if action == "reveal_next":
            if revealed < n:
                return {**locked, "revealed": revealed + 1, "board": False}
            return {**locked, "revealed": n, "board": True}
        if action == "reveal_prev":
            if state["board"]:
                return {**state, "board": False}
            return {**state, "revealed": max(0, revealed - 1)}
        if action == "reveal_all":
            return {**locked, "revealed": n, "board": True}
        if action == "hide":
            return {**state, "revealed": 0, "board": False}
        raise Rejected("Ukendt handling.")

    # ---- the phones --------------------------------------------------------------------------

    def accept(self, view: StepView, data: Mapping[str, Any]) -> Submission:
        coupon: Coupon = view.content
        phase = view.state.get("phase") or first_phase(coupon)
        if phase == LOCKED:
            raise Rejected("Kuponen er låst, så svarene kan ikke ændres længere.")
        participant = view.participant
        for_group = phase == GROUP and participant is not None and participant.group_id is not None
        sent = str(data.get("coupon", "")).strip()
        if sent == "mine" and for_group:
            raise Rejected("Nu udfylder I bordets kupon. Den står her.")
        if sent == "group" and not for_group:
            raise Rejected("Gruppens kupon er ikke åben.")
        raw_row = str(data.get("row", "")).strip()
        plain = raw_row.isascii() and raw_row.isdigit() and len(raw_row) <= 3
        if not plain or not 1 <= int(raw_row) <= len(coupon.rows):
            raise Rejected("Den række findes ikke på kuponen.")
        answer = normalise_answer(data.get("answer"))
        if answer is None:
            raise Rejected("Vælg 1, X eller 2.")
        return Submission(
            slot=f"row:{int(raw_row)}",
            payload={"answer": answer},
            scope="group" if for_group else "participant",
            audience="group" if for_group else "self",
        )

    def _phone(self, view: StepView, t: Tally) -> dict[str, Any]:
        """What one participant's phone shows: the coupon it fills in or sees scored."""
        p = view.participant
        gid = p.group_id if p is not None else None
        mine, ours = t.coupons_of(view)
        on_group = bool(gid) and (t.phase == GROUP or (t.group_play and t.phase == LOCKED))
        shown = ours if on_group else mine
        with_mine = on_group and view.content.mode == "individual_then_group"
        lines = []
        for row in t.rows:
            chosen = shown.get(row.number)
            revealed = row.number <= t.revealed
            lines.append(
                {
                    "row": row,
                    "chosen": chosen,
                    "mine": mine.get(row.number) if with_mine else None,
                    "revealed": revealed,
                    "hit": revealed and chosen == row.answer,
                }
            )
        key = ("g", gid) if on_group else ("p", p.id if p is not None else None)
        return {
            "on_group": on_group,
            "coupon_field": "group" if on_group else "mine",
            "group_name": getattr(getattr(p, "group", None), "name", "") if on_group else "",
            "lines": lines,
            "filled": len(shown),
            "editable": t.phase != LOCKED,
            "hits": score(shown, t.shown),
            "own_hits": score(mine, t.shown),
            "own_answered": bool(mine),
            "entry": t.entry(key) if t.board else None,
            "board_size": len(t.board_entries),
        }

    def phone_key(self, view: StepView) -> Any:
        """Phones whose coupons (and group) are alike see the same fragment: rendered once."""
        p = view.participant
        if p is None:
            return None
        t = tally(view)
        mine, ours = t.coupons_of(view)
        own, group = tuple(sorted(mine.items())), tuple(sorted(ours.items()))
        return (t.phase, t.revealed, t.board, p.group_id, own, group)

    # ---- every screen ------------------------------------------------------------------------

    def context(self, screen: Screen, view: StepView) -> dict[str, Any]:
        t = tally(view)
        ctx: dict[str, Any] = {"content": view.content, "t": t, "answers": ANSWERS}
        if screen == "phone":
            ctx.update(self._phone(view, t))
        else:
            ctx["progress"] = t.progress()
            ctx["reveal"] = t.current_row(view.min_anonymous)
            ctx["repeat"] = t.repeat(view.min_anonymous) if t.board else []
        return ctx

    def export_rows(self, view: StepView) -> list[ExportRow]:
        found = self.results(view)
        out = []
        for row in found["rows"]:
            wrong = row["wrong_percent"]
            told = f"; {wrong} % svarede forkert" if wrong is not None else ""
            out.append(ExportRow(f"{row['row']}. {row['text']}", f"Rigtigt: {row['answer']}{told}"))
        for entry in found.get("groups") or found.get("participants") or []:
            place = f"{entry['place']}. plads" + (" (delt)" if entry["shared"] else "")
            out.append(ExportRow("Resultat", f"{place}: {entry['score']} rigtige", entry["name"]))
        return out

    def results(self, view: StepView) -> dict[str, Any]:
        return tally(view, every_row=True).results(view.min_anonymous)
